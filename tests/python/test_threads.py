"""The GIL is released while the library works, the thread count never changes the answer, and
progress, its exceptions and Ctrl-C reach the simulation."""

import signal
import threading
import time

import pytest

import aftermath
from conftest import read_json

POPULATION = read_json("tests/docs/pop.json")


def test_a_python_thread_keeps_running_during_a_simulation():
    counted = 0
    stop = threading.Event()

    def count():
        nonlocal counted
        while not stop.is_set():
            counted += 1

    counter = threading.Thread(target=count)
    counter.start()
    try:
        time.sleep(0.05)
        before = counted
        started = time.perf_counter()
        aftermath.simulate(POPULATION, n=500_000, threads=1)
        seconds = time.perf_counter() - started
        during = counted - before
    finally:
        stop.set()
        counter.join()
    # Held, the GIL would let the counter run only between the call's start and its end: a few
    # thousand counts at most. Released, it counts all along (millions a second on one core).
    assert seconds > 0.2, "the population is too small to tell"
    assert during > 50_000 * seconds, (during, seconds)


def test_one_thread_and_two_give_the_same_summary():
    one = aftermath.plain(aftermath.simulate(POPULATION, n=60_000, threads=1))
    two = aftermath.plain(aftermath.simulate(POPULATION, n=60_000, threads=2))
    assert one == two


def test_threads_may_share_one_model():
    model = aftermath.Model()
    profile = read_json("examples/profile.json")
    expected = aftermath.plain(model.project(profile))
    results = [None] * 4

    def work(i):
        results[i] = aftermath.plain(model.project(profile))

    workers = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert results == [expected] * 4


def test_progress_hears_of_patients_done_and_of_the_end():
    calls = []
    aftermath.simulate(POPULATION, n=300_000, threads=2, progress=lambda done, total: calls.append((done, total)))
    assert calls and calls[-1] == (300_000, 300_000)
    assert all(total == 300_000 for _, total in calls)
    assert [done for done, _ in calls] == sorted({done for done, _ in calls})  # increasing, each once


def test_an_exception_in_progress_stops_the_simulation():
    def fail(done, total):
        raise ZeroDivisionError(f"stop at {done}")

    started = time.perf_counter()
    with pytest.raises(ZeroDivisionError, match="stop at"):
        aftermath.simulate(POPULATION, n=20_000_000, threads=1, progress=fail)
    assert time.perf_counter() - started < 5  # the whole run takes about 20 s


def test_ctrl_c_stops_the_simulation():
    main = threading.get_ident()
    timer = threading.Timer(0.3, lambda: signal.pthread_kill(main, signal.SIGINT))
    started = time.perf_counter()
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            aftermath.simulate(POPULATION, n=20_000_000, threads=1)
    finally:
        timer.cancel()
    assert time.perf_counter() - started < 5
