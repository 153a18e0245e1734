"""Per-scene work on big courses, shared by two processes.

Parsing scenes (YAML and Markdown) is pure Python, which one core does at its own
pace; a second process (forked, so it starts at once and inherits the loaded
code and data) works beside this one. The items are not split in fixed halves:
both processes take the next small chunk from a shared counter until none is
left, so when one core runs slower (a busy or throttled machine) the other does
more, and neither waits for the other for longer than one chunk. Only the
results travel back, pickled.
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
# Items taken at a time: small enough that the processes finish within a few ms of
# each other, big enough that the shared counter is seldom touched.
CHUNK = 16

_lock = threading.Lock()
_in_child: Callable[[], list] | None = None  # what the forked process runs


def _run_in_child() -> list:
    assert _in_child is not None
    return _in_child()


def map_in_two_processes(function: Callable[[Item], Result], items: Sequence[Item],
                         minimum: int = PARALLEL_FROM) -> list[Result]:
    """``[function(item) for item in items]``, computed by this process and a forked
    one side by side. ``function`` should report problems in its results rather
    than raise (an exception is re-raised here)."""
    if len(items) < minimum or (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [function(item) for item in items]
    context = multiprocessing.get_context("fork")
    next_chunk = context.Value("i", 0)  # shared with the child: the fork inherits it
    chunks = [range(start, min(start + CHUNK, len(items))) for start in range(0, len(items), CHUNK)]

    def take_chunks() -> list[tuple[int, list[Result]]]:
        done = []
        while True:
            with next_chunk.get_lock():
                index = next_chunk.value
                next_chunk.value = index + 1
            if index >= len(chunks):
                return done
            done.append((index, [function(items[i]) for i in chunks[index]]))

    global _in_child
    with _lock, warnings.catch_warnings():
        # Python 3.12+ warns about fork() beside threads (a progress display, zlib
        # workers); the child only runs ``take_chunks`` and returns, so it does not apply.
        warnings.simplefilter("ignore", DeprecationWarning)
        _in_child = take_chunks  # inherited by the fork, never pickled
        try:
            with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
                theirs = pool.submit(_run_in_child)
                by_chunk = dict(take_chunks())
                by_chunk.update(theirs.result())
        finally:
            _in_child = None
    return [result for index in range(len(chunks)) for result in by_chunk[index]]
