"""What the soak saw: operations per kind, client-visible failures (with the time span of the operation),
the windows in which berthd or its api child was down, the faults injected, and the objects the clients
created and removed. Thread-safe: every client loop and the fault driver write into one Ledger."""

from __future__ import annotations

import re
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

# Failure classes
CONNECTION = "connection error"   # nobody answered, or the connection broke (socket gone, refused, reset, EOF)
TIMEOUT = "timeout"               # the client gave up waiting
HTTP = "http error"               # the daemon answered with an error status
WRONG = "wrong answer"            # the daemon answered success, but not what it should have
OTHER = "other"                   # a client-side error not of the kinds above

# Window kinds
BERTHD_KILL = "berthd-kill"       # from our kill -9 of berthd until it answers /_ping again
BERTHD_EXIT = "berthd-exit"       # berthd exited by itself (the tree stopped) until it answers again
API_FAULT = "api-fault"           # a fault injected into the api child, until it runs again

_UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
_ID = re.compile(r"\b[0-9a-f]{64}\b|\b[0-9a-f]{12}\b|sha256:[0-9a-f]{6,64}")
_NAME = re.compile(r"chaos[-_][A-Za-z0-9_.-]*")
_PATH = re.compile(r"/tmp/[^\s\"':]+")
_NUM = re.compile(r"\b\d+(\.\d+)? ?(ms|s|µs)\b")


def normalize(message: str) -> str:
    """A failure message with ids, names, temp paths and durations replaced, so like failures group."""
    text = " ".join(str(message).split())[:400]
    text = _ID.sub("<id>", _UUID.sub("<uuid>", text))
    text = _NAME.sub("<name>", text)
    text = _PATH.sub("<path>", text)
    return _NUM.sub("<dur>", text)


@dataclass
class Failure:
    loop: str
    op: str
    cls: str
    message: str
    start: float
    end: float


@dataclass
class Window:
    kind: str
    start: float
    end: float | None = None
    detail: str = ""


@dataclass
class FaultRecord:
    kind: str                  # crash, fail-start, hang, delay, kill-containerd, kill-berthd
    child: str
    start: float
    recovered: float | None = None    # seconds from injection (hang/delay: from clearing) to recovery
    healthy: float | None = None      # seconds from injection until every child runs again
    answer: str = ""                  # what POST /debug/faults answered, or what the kill found
    note: str = ""


@dataclass
class Ledger:
    started: float = field(default_factory=time.time)
    ops: Counter = field(default_factory=Counter)
    failed_ops: Counter = field(default_factory=Counter)
    failures: list[Failure] = field(default_factory=list)
    windows: list[Window] = field(default_factory=list)
    faults: list[FaultRecord] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    # kind -> name -> "present" | "removed" | "unknown"
    objects: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    # containers the clients left running on purpose: they must still run at the end
    kept_running: set[str] = field(default_factory=set)
    events_seen: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    # -- operations

    def succeeded(self, op: str):
        with self.lock:
            self.ops[op] += 1

    def failed(self, loop: str, op: str, cls: str, message: str, start: float, end: float):
        with self.lock:
            self.ops[op] += 1
            self.failed_ops[op] += 1
            self.failures.append(Failure(loop, op, cls, str(message).strip(), start, end))

    def finding(self, text: str):
        """Something wrong that is not a client's failed operation (berthd exited, a fault did not heal)."""
        with self.lock:
            self.findings.append(f"[{time.time() - self.started:7.1f}s] {text}")

    # -- objects

    def object(self, kind: str, name: str, state: str):
        with self.lock:
            self.objects[kind][name] = state

    def unsettled(self) -> list[tuple[str, str]]:
        with self.lock:
            return [(k, n) for k, names in self.objects.items() for n, s in names.items() if s == "unknown"]

    def expected(self, kind: str) -> set[str]:
        with self.lock:
            return {n for n, s in self.objects[kind].items() if s == "present"}

    def removed(self, kind: str) -> set[str]:
        with self.lock:
            return {n for n, s in self.objects[kind].items() if s == "removed"}

    # -- windows and faults

    def open_window(self, kind: str, detail: str = "", start: float | None = None) -> Window:
        w = Window(kind, start if start is not None else time.time(), detail=detail)
        with self.lock:
            self.windows.append(w)
        return w

    def close_window(self, w: Window):
        w.end = time.time()

    def add_fault(self, record: FaultRecord) -> FaultRecord:
        with self.lock:
            self.faults.append(record)
        return record

    def window_of(self, f: Failure) -> str | None:
        """The down window an operation overlapped, berthd's before the api child's."""
        now = time.time()
        hits = [w.kind for w in self.windows if f.start <= (w.end or now) and f.end >= w.start]
        for kind in (BERTHD_KILL, BERTHD_EXIT, API_FAULT):
            if kind in hits:
                return kind
        return None

    def fault_before(self, t: float, within: float = 30.0) -> str:
        """The last fault injected up to `within` s before `t`, as `kind child`."""
        earlier = [r for r in self.faults if r.start <= t and t - r.start <= within]
        if not earlier:
            return "none"
        last = earlier[-1]
        return f"{last.kind} {last.child}".strip()
