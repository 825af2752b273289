"""Worker processes of a run (statements, the background CSV writer, what-if analyses): they ignore
Ctrl-C (the run handles it and stops them) and never outlive the run, even one killed outright. And
when a run's processes let Python's cycle collector work: paused for a command, on for documents."""
from __future__ import annotations

import contextlib
import gc
import os
import signal
import tempfile
import threading
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the CLI imports this module at start-up (cycles_paused): no multiprocessing then
    from concurrent.futures import ProcessPoolExecutor


@contextlib.contextmanager
def cycles_paused():
    """A command computes once over a book and exits. Python's cycle collector keeps walking the
    millions of line and fact records it holds (10-15% of a 250,000-deal run) and frees nothing:
    compcalc builds no reference cycles of its own, and what is freed is freed by reference counts.
    Forked workers inherit the setting; documents are built under ``cycles_collected``."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


_FROZEN_IN: int | None = None  # the process whose objects cycles_collected froze (once per process)


@contextlib.contextmanager
def cycles_collected():
    """Collect reference cycles while building documents: an openpyxl workbook is a web of them, so
    with the collector paused (``cycles_paused``) every statement's workbook would stay in memory.
    The first time in a process with the collector paused, what exists already (the run's records, in a
    forked worker its parent's) is frozen, so the collector never walks it nor copies its pages; later
    uses only switch the collector on, so each chunk's garbage is collected, never frozen. With the
    collector already on (a library caller), nothing changes."""
    global _FROZEN_IN
    if gc.isenabled():
        yield
        return
    if _FROZEN_IN != os.getpid():
        gc.freeze()
        _FROZEN_IN = os.getpid()
    gc.enable()
    try:
        yield
    finally:
        gc.disable()


def init_worker(parent: int | None = None) -> None:
    """A pool's ``initializer``: ``parent`` is the run's pid (``os.getpid()`` when the pool is made)."""
    # openpyxl stages every worksheet in a temporary file; on a RAM disk that is several times faster
    # than on a journalled disk, and these processes do nothing else.
    shm = "/dev/shm"
    if os.path.isdir(shm) and os.access(shm, os.W_OK):
        tempfile.tempdir = shm
    # Ctrl-C is the run's to handle (it stops the workers); and a worker never outlives the run, even
    # one killed outright (SIGKILL), which cannot stop them itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()


def _exit_with(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def stop(pool: ProcessPoolExecutor) -> None:
    """End the pool's workers now (the run is being stopped: SIGTERM, Ctrl-C or an error)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for p in processes:
        if p.is_alive():
            p.terminate()
    for p in processes:
        p.join(timeout=5)
