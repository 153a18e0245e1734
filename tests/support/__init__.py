"""Helpers for the tests (and the benchmarks): courses, learners, LMSs, an LRS, sandboxes."""
