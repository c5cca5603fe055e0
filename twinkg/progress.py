"""Progress of long commands (`validate`, `load`): on a terminal, each stage on one line
redrawn in place with its count, rate and time; in a pipe or a CI log, nothing but notices
(a load waiting for another one), so that logs hold results and problems only.

    with progress.stage("building RDF", total=len(records), unit="records") as stage:
        for record in records:
            ...
            stage.advance()

A stage's line is redrawn at most ``REDRAW`` times a second, by a ticker thread too, so a
stage that cannot count (the SHACL engine) still shows that it runs and for how long.
"""

from __future__ import annotations

import sys
import threading
import time
from contextlib import contextmanager
from typing import Callable, Iterator, TextIO

REDRAW = 4  # per second


class Stage:
    """One stage's count; ``advance`` is cheap (a redraw is the ticker's job)."""

    def __init__(self, message: str, total: int | None, unit: str, clock: Callable[[], float]):
        self.message, self.total, self.unit = message, total, unit
        self.count = 0
        self.clock = clock
        self.started = clock()

    def advance(self, n: int = 1) -> None:
        self.count += n

    def line(self, final: bool = False) -> str:
        seconds = self.clock() - self.started
        if not self.unit or not (self.count or final):  # nothing counted yet: the time it runs
            return f"… {self.message} ({seconds:.1f} s)"
        done = f"{self.count:,}" + (f" of {self.total:,}" if self.total is not None and not final else "")
        rate = f", {self.count / seconds:,.0f} {self.unit}/s" if seconds > 0 and self.count else ""
        return f"… {self.message}: {done} {self.unit} ({seconds:.1f} s{rate})"


class Progress:
    """Writes to ``stream`` (stderr by default); ``live`` (default: the stream is a terminal)
    decides whether stages are shown. ``stream=False`` writes nothing at all."""

    def __init__(self, stream: TextIO | None | bool = None, live: bool | None = None,
                 clock: Callable[[], float] = time.monotonic):
        self.stream = None if stream is False else (stream or sys.stderr)
        self.live = bool(self.stream) and (_is_terminal(self.stream) if live is None else live)
        self.clock = clock
        self._lock = threading.Lock()
        self._current: Stage | None = None
        self._width = 0  # of the line drawn last, to blank what a shorter one leaves

    def __call__(self, message: str) -> None:
        """A step without a count: shown (on a terminal) until the next one."""
        if self.live:
            with self._lock:
                self._draw(f"… {message}", end=True)

    def notice(self, message: str) -> None:
        """Shown everywhere: what a user must know even in a log (a load waiting for another)."""
        if self.stream:
            with self._lock:
                if self.live:
                    self._draw(f"… {message}", end=True)
                else:
                    self.stream.write(f"… {message}\n")
                    self.stream.flush()

    @contextmanager
    def stage(self, message: str, total: int | None = None, unit: str = "") -> Iterator[Stage]:
        stage = Stage(message, total, unit, self.clock)
        if not self.live:
            yield stage
            return
        stop = threading.Event()
        ticker = threading.Thread(target=self._tick, args=(stage, stop), daemon=True)
        self._current = stage
        ticker.start()
        try:
            yield stage
        finally:
            stop.set()
            ticker.join()
            with self._lock:
                self._current = None
                self._draw(stage.line(final=True), end=True)

    def _tick(self, stage: Stage, stop: threading.Event) -> None:
        while True:
            with self._lock:
                if self._current is stage:
                    self._draw(stage.line())
            if stop.wait(1 / REDRAW):
                return

    def _draw(self, line: str, end: bool = False) -> None:
        """Over the line drawn before (carriage return, then blanks where it was longer)."""
        pad = max(0, self._width - len(line))
        self.stream.write("\r" + line + " " * pad + ("\n" if end else ""))
        self.stream.flush()
        self._width = 0 if end else len(line)


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no isatty, or closed
        return False


QUIET = Progress(stream=False)


def as_progress(progress) -> Progress:
    """A Progress from what callers give: a Progress, nothing (quiet), or a plain function of a
    message (which then gets every step and notice, as before stages had counts)."""
    if progress is None:
        return QUIET
    if isinstance(progress, Progress):
        return progress
    return _Messages(progress)


class _Messages(Progress):
    def __init__(self, write: Callable[[str], None]):
        super().__init__(stream=False)
        self.write = write

    def __call__(self, message: str) -> None:
        self.write(message)

    def notice(self, message: str) -> None:
        self.write(message)

    @contextmanager
    def stage(self, message: str, total: int | None = None, unit: str = "") -> Iterator[Stage]:
        self.write(message)
        yield Stage(message, total, unit, self.clock)
