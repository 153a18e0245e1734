"""scormbuild.parallel: work shared by this process and a forked one, and what
happens when the forked one is slow, fails, dies or gets stuck."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from scormbuild import parallel
from scormbuild.parallel import PARALLEL_FROM, map_in_two_processes

ITEMS = list(range(PARALLEL_FROM + 100))
PARENT = os.getpid()


def in_child() -> bool:
    return os.getpid() != PARENT


def test_work_shared_by_two_processes_comes_back_whole_and_in_order():
    def double(item: int) -> tuple[int, int]:
        time.sleep(0.0005)  # long enough that the forked process gets chunks too
        return os.getpid(), item * 2

    results = map_in_two_processes(double, ITEMS)
    assert [value for _, value in results] == [item * 2 for item in ITEMS]
    assert len({pid for pid, _ in results}) == 2  # really two processes


def test_small_inputs_stay_in_this_process():
    pids = map_in_two_processes(lambda item: os.getpid(), ITEMS[:PARALLEL_FROM - 1])
    assert set(pids) == {PARENT}


def test_the_faster_process_takes_more_of_the_work():
    """A slow core (here: a child that takes four times as long per item) does not hold the other back."""
    def work(item: int) -> int:
        time.sleep(0.002 if in_child() else 0.0005)
        return os.getpid()

    pids = map_in_two_processes(work, ITEMS)
    mine = pids.count(PARENT)
    assert 0 < len(pids) - mine < mine / 3


def test_an_error_in_the_work_is_raised_here():
    def fails(item: int) -> int:
        if item == ITEMS[-1]:
            raise ValueError(f"item {item}")
        time.sleep(0.0002)
        return item

    with pytest.raises(ValueError, match=f"item {ITEMS[-1]}"):
        map_in_two_processes(fails, ITEMS)


def test_chunks_the_child_failed_on_or_never_sent_are_done_here():
    def work(item: int) -> tuple[int, int]:
        time.sleep(0.0003)
        if in_child() and item > len(ITEMS) // 2:
            raise RuntimeError("only in the child")  # e.g. a failure of its own
        return os.getpid(), item

    results = map_in_two_processes(work, ITEMS)
    assert [item for _, item in results] == ITEMS
    assert {pid for pid, item in results if item > len(ITEMS) // 2} == {PARENT}


def test_a_child_that_dies_loses_nothing():
    def work(item: int) -> int:
        time.sleep(0.0003)
        if in_child() and item > 100:
            os._exit(9)  # killed: no exception, no message, the pipe just closes
        return item * 3

    assert map_in_two_processes(work, ITEMS) == [item * 3 for item in ITEMS]


def test_a_stuck_child_is_given_up_on_and_killed(monkeypatch):
    monkeypatch.setattr(parallel, "STALLED_AFTER", 0.3)

    def work(item: int) -> int:
        time.sleep(0.0003)
        if in_child() and item > 100:
            time.sleep(3600)  # e.g. a lock that was held by another thread at fork time
        return item + 1

    start = time.monotonic()
    assert map_in_two_processes(work, ITEMS) == [item + 1 for item in ITEMS]
    assert time.monotonic() - start < 60  # not an hour: the child was killed and its chunk done here


def children() -> set[str]:
    """This process's child processes, zombies included (they stay until waited for)."""
    tasks = Path("/proc/self/task")
    return {pid for task in tasks.iterdir() for pid in (task / "children").read_text().split()}


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux's /proc")
def test_no_child_process_is_left_behind():
    before = children()
    map_in_two_processes(lambda item: item, ITEMS)
    map_in_two_processes(lambda item: os._exit(1) if in_child() else item, ITEMS)
    assert children() <= before
