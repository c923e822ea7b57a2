"""Two threads, one figure: ipykernel ≥ 7 handles JupyterLab's widget messages on a thread of its own
(a subshell) while cells run on the main thread, so an explorer's idle work and a slider move can
come from different threads. Every use of the figure holds the explorer's lock; without it a move
sent a background half drawn by the other thread (parts of the figure transparent)."""

import asyncio
import threading
import time

import pytest

from nbkit.explorers import NeuronExplorer, base


@pytest.fixture(autouse=True)
def _idle_work_on(monkeypatch):
    monkeypatch.setattr(base, "IDLE_WORK", True)


@pytest.fixture
def other_thread():
    """An event loop running on a thread of its own, as a kernel's subshell thread is."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield loop
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    loop.close()


def with_front_end(explorer, loop):
    """Return the explorer, its PNGs sent to explorer.sent and its idle work run on loop's thread."""
    explorer.fig.canvas.syncing_data_url = False
    explorer.sent = []
    explorer.fig.canvas.send_binary = explorer.sent.append
    explorer._loop = loop  # as after the front end's handshake, handled on that thread
    return explorer


def held_elsewhere(lock):
    """Return True if another thread cannot take lock now (this thread, or another, holds it)."""
    got = []

    def try_it():
        got.append(lock.acquire(blocking=False))
        if got[0]:
            lock.release()

    thread = threading.Thread(target=try_it)
    thread.start()
    thread.join()
    return not got[0]


def wait_until(condition, seconds=20):
    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, "idle work did not end"
        time.sleep(0.01)


def test_idle_work_waits_while_a_move_holds_the_figure(other_thread):
    explorer = with_front_end(NeuronExplorer(), other_thread)
    views = len(explorer._views)
    assert views > 0  # the other ends of the steps axis, to be drawn ahead
    with explorer._lock:  # a move being handled on this thread
        explorer._schedule()
        time.sleep(0.3)  # the other thread's idle work comes round and must find the figure busy
        assert len(explorer._views) == views, "idle work drew while a move held the figure"
    wait_until(lambda: not explorer.pending())
    assert explorer._views == []


def test_a_move_and_a_draw_the_front_end_asks_for_hold_the_lock():
    explorer = NeuronExplorer()
    seen = []
    compute, draw = explorer.compute, explorer.fig.draw
    explorer.compute = lambda **values: (seen.append(("compute", held_elsewhere(explorer._lock))), compute(**values))[1]
    explorer.fig.draw = lambda renderer: (seen.append(("draw", held_elsewhere(explorer._lock))), draw(renderer))[1]
    explorer.controls["lr"].value = 2.0
    explorer.fig.canvas.draw()  # what ipympl does on the front end's "draw" message
    assert ("compute", True) in seen and ("draw", True) in seen and all(held for _, held in seen), seen
