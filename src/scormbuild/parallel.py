"""Per-scene work on big courses, split over two processes.

Parsing scenes (YAML and Markdown) is pure Python, which one core does at its own
pace; a second process (forked, so it starts at once and inherits the loaded
code and data) does the second half. Only the results travel back, pickled.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import warnings
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Sequence, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# Below this many items a second process costs more than it saves.
PARALLEL_FROM = 400

_lock = threading.Lock()
_second_half: Callable[[], list] | None = None  # what the forked process runs


def _run_second_half() -> list:
    assert _second_half is not None
    return _second_half()


def in_two_processes(work: Callable[[Sequence[Item]], list[Result]], items: Sequence[Item],
                     minimum: int = PARALLEL_FROM) -> list[Result]:
    """``work(items)``, computed as work on the first half here and on the second
    half in a forked process, concatenated in order. ``work`` must report
    problems in its results rather than raise (an exception is re-raised here)."""
    if len(items) < minimum or (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return work(items)
    global _second_half
    half = len(items) // 2
    with _lock, warnings.catch_warnings():
        # Python 3.12+ warns about fork() beside threads (a progress display, zlib
        # workers); the child only runs ``work`` and returns, so it does not apply.
        warnings.simplefilter("ignore", DeprecationWarning)
        _second_half = lambda: work(items[half:])  # noqa: E731  (inherited by the fork, never pickled)
        try:
            with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork")) as pool:
                second = pool.submit(_run_second_half)
                first = work(items[:half])
                return first + second.result()
        finally:
            _second_half = None
