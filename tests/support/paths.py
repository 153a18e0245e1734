"""Where things are, for tests and benchmarks."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
ROOT = TESTS.parent
SHARED = ROOT.parent / "shared"
DATA = TESTS / "data"
SAMPLE = ROOT / "content" / "professional-boundaries"
TEMPLATES = ROOT / "templates"
SCORM_AGAIN = ROOT / "node_modules" / "scorm-again" / "dist" / "scorm-again.min.js"
HARNESS = Path(__file__).resolve().parent / "harness" / "lms.html"
