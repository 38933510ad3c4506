"""Progress for long runs: a bar on a terminal, plain lines in CI logs (no bar when not a TTY)."""

from __future__ import annotations

import sys
import threading

from tqdm import tqdm


class Progress:
    def __init__(self, label: str, stream=None):
        self.label = label
        self.stream = stream or sys.stderr
        self.bar = None
        self.done = 0
        self.total = 0
        self.failed = 0
        self.lock = threading.Lock()

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.close()

    def start(self, total: int) -> None:
        self.total = total
        if self.stream.isatty():
            self.bar = tqdm(total=total, unit="feed", desc=self.label, file=self.stream)

    def advance(self, result) -> None:
        with self.lock:
            self.done += 1
            if result.outcome.gave_nothing:
                self.failed += 1
            if self.bar is not None:
                if result.outcome.gave_nothing:
                    self.bar.set_postfix_str(f"{self.failed} failed", refresh=False)
                self.bar.update(1)
                return
            status = result.outcome.value + (f": {result.error}" if result.error else "")
            print(f"[{self.done}/{self.total}] {result.source.url}: {status}", file=self.stream,
                  flush=True)
