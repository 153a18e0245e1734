"""Per-scene work on big courses, shared by two processes.

Parsing scenes (YAML and Markdown) is pure Python, which one core does at its own
pace; a second process, forked so that it starts at once with the loaded code
and data, works beside this one. The items are not split in fixed halves: both
processes take the next small chunk from a shared counter until none is left,
so when one core runs slower (a busy or throttled machine) the other does more.

The child sends each chunk's results back through a pipe as soon as they are
done, and this process unpickles them between its own chunks, so little is left
to do when the work runs out. If the child fails or dies, the chunks it did not
deliver are simply done here (an error in the work then shows up here, where it
can be reported).
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import select
import signal
import struct
import warnings
from typing import Callable, Sequence, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# Below this many items a second process costs more than it saves.
PARALLEL_FROM = 400
# Items taken at a time: small enough that the processes finish within a few ms of
# each other, big enough that the shared counter is seldom touched.
CHUNK = 16

_FRAME = struct.Struct("<I")  # the length of one chunk's pickled results
# A child that sends nothing for this long is taken to be stuck (it can only be, in
# theory, if it was forked while another thread held a lock it needs); this
# process then does the rest. A chunk normally takes milliseconds.
STALLED_AFTER = 30.0
PIPE_READ = 65536  # a Linux pipe's capacity; bigger reads cost an allocation each


def map_in_two_processes(function: Callable[[Item], Result], items: Sequence[Item],
                         minimum: int = PARALLEL_FROM) -> list[Result]:
    """``[function(item) for item in items]``, computed by this process and a
    forked one side by side, in order. ``function`` should report problems in its
    results; if it raises, it raises here."""
    if len(items) < minimum or (os.cpu_count() or 1) < 2 or not hasattr(os, "fork"):
        return [function(item) for item in items]
    chunks = [range(start, min(start + CHUNK, len(items))) for start in range(0, len(items), CHUNK)]
    next_chunk = multiprocessing.get_context("fork").Value("i", 0)  # shared: the fork inherits it

    def take_chunk() -> int | None:
        with next_chunk.get_lock():
            index = next_chunk.value
            next_chunk.value = index + 1
        return index if index < len(chunks) else None

    def work(index: int) -> list[Result]:
        return [function(items[i]) for i in chunks[index]]

    read_end, write_end = os.pipe()
    with warnings.catch_warnings():
        # Python 3.12+ warns about fork() beside threads (a progress display, a
        # preview server); the child only runs ``work`` and leaves with _exit.
        warnings.simplefilter("ignore", DeprecationWarning)
        child = os.fork()
    if child == 0:
        _child(read_end, write_end, take_chunk, work)
    os.close(write_end)
    inbox = _Inbox(read_end)
    done: dict[int, list[Result]] = {}
    try:
        while (index := take_chunk()) is not None:
            done[index] = work(index)
            inbox.receive(done, wait=False)
        inbox.receive(done, wait=True)
    finally:
        os.close(read_end)
        os.kill(child, signal.SIGKILL)  # it has finished, unless this process failed or it is stuck
        os.waitpid(child, 0)
    for index in range(len(chunks)):
        if index not in done:  # taken by the child, which did not deliver it
            done[index] = work(index)
    return [result for index in range(len(chunks)) for result in done[index]]


def _child(read_end: int, write_end: int, take_chunk: Callable[[], int | None],
           work: Callable[[int], list]) -> None:
    """The forked process: work, send, and leave without running the parent's exit handlers."""
    status = 1
    try:
        os.close(read_end)
        with os.fdopen(write_end, "wb") as out:
            while (index := take_chunk()) is not None:
                data = pickle.dumps((index, work(index)), pickle.HIGHEST_PROTOCOL)
                out.write(_FRAME.pack(len(data)) + data)
                out.flush()
        status = 0
    finally:
        os._exit(status)


class _Inbox:
    """Chunks arriving from the child through a pipe, as length-prefixed pickles."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buffer = bytearray()
        os.set_blocking(fd, False)

    def receive(self, into: dict[int, list], wait: bool) -> None:
        """Unpickle every complete chunk that has arrived; with ``wait``, until the
        child closes the pipe or sends nothing for ``STALLED_AFTER`` seconds."""
        while True:
            if wait and not select.select([self.fd], [], [], STALLED_AFTER)[0]:
                return
            try:
                data = os.read(self.fd, PIPE_READ)
            except BlockingIOError:
                return  # nothing more for now
            self.buffer += data
            self._unpack(into)
            if not data:
                return  # the child closed the pipe

    def _unpack(self, into: dict[int, list]) -> None:
        start = 0
        while len(self.buffer) - start >= _FRAME.size:
            (length,) = _FRAME.unpack_from(self.buffer, start)
            end = start + _FRAME.size + length
            if end > len(self.buffer):
                break
            index, results = pickle.loads(self.buffer[start + _FRAME.size:end])
            into[index] = results
            start = end
        del self.buffer[:start]
