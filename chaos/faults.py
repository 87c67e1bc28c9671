"""The fault driver: one fault at a time, at random, from a shuffled deck that holds every kind (so a
short run sees each): a crash of every child, failed starts, hangs and delays through /debug/faults,
`kill -9` of berthd's containerd, and `kill -9` of berthd followed by a restart with the same flags. After
each it measures the recovery, then waits a few seconds before the next."""

from __future__ import annotations

import http.client
import os
import random
import signal
import threading
import time

from berthd import CHILDREN, Berthd, alive, zombie
from ledger import API_FAULT, BERTHD_KILL, FaultRecord, Ledger

RECOVERY_TIMEOUT = 60.0
PERMANENT = [c for c in CHILDREN if c != "restore"]   # restore has completed: a crash of it is refused

# A request that goes through each child, to see it answer again after a hang or a delay.
PROBES = {
    "containerd": "/version", "plugins": "/plugins", "volumes": "/volumes", "containers": "/containers/json",
    "graphdriver": "/info", "images": "/images/json", "network": "/networks", "restore": "/_ping", "api": "/_ping",
}


def deck(rng: random.Random) -> list[tuple[str, str]]:
    cards = [("crash", c) for c in PERMANENT]
    cards += [("fail-start", rng.choice(PERMANENT)) for _ in range(3)]
    cards += [("hang", rng.choice(CHILDREN)) for _ in range(2)]
    cards += [("delay", rng.choice(CHILDREN)) for _ in range(2)]
    cards += [("kill-containerd", "containerd"), ("kill-berthd", "berthd")]
    rng.shuffle(cards)
    return cards


class FaultDriver(threading.Thread):
    def __init__(self, berthd: Berthd, ledger: Ledger, stop: threading.Event, seed: int, gap=(2.0, 5.0)):
        super().__init__(name="faults", daemon=True)
        self.berthd = berthd
        self.ledger = ledger
        self.stop_event = stop
        self.rng = random.Random(seed)
        self.gap = gap

    def run(self):
        self.stop_event.wait(self.rng.uniform(*self.gap))
        while not self.stop_event.is_set():
            for kind, child in deck(self.rng):
                if self.stop_event.is_set():
                    return
                self.inject(kind, child)
                self.stop_event.wait(self.rng.uniform(*self.gap))

    def inject(self, kind: str, child: str):
        record = self.ledger.add_fault(FaultRecord(kind, child, time.time()))
        try:
            {"crash": self.crash, "fail-start": self.fail_start, "hang": self.hold, "delay": self.hold,
             "kill-containerd": self.kill_containerd, "kill-berthd": self.kill_berthd}[kind](record)
        except Exception as e:  # noqa: BLE001 - a fault that could not be injected is reported, not fatal
            record.note = f"not injected: {type(e).__name__}: {e}"
            return
        record.healthy = self.wait_for(self.berthd.healthy, record.start)
        if record.recovered is None and not record.note:
            record.note = f"not recovered within {RECOVERY_TIMEOUT:.0f} s"
            tree = self.berthd.tree() or {}
            states = {c["name"]: (c["state"], c.get("lastError")) for c in tree.get("children", [])}
            self.ledger.finding(f"{kind} {child}: not recovered within {RECOVERY_TIMEOUT:.0f} s; tree: {states}")

    # -- the faults

    def crash(self, record: FaultRecord, count: int = 0):
        child = record.child
        before = self.berthd.child(child)
        if before is None or before["state"] != "running":
            record.note = f"skipped: {child} is {before and before['state']}"
            return
        window = self.ledger.open_window(API_FAULT, record.kind, record.start) if child == "api" else None
        try:
            if count:
                record.answer = self.berthd.fault(child, "fail-start", count=count) + "; "
            record.answer += self.berthd.fault(child, "crash")
        except OSError as e:  # crashing api may cut the very request that crashed it
            record.answer += f"connection: {e}"
        starts = self.berthd.starts
        record.recovered = self.wait_for(lambda: self.restarted(child, before["incarnation"], starts), record.start)
        if self.berthd.starts != starts:
            record.note = "berthd itself was restarted meanwhile"
        if window:
            self.ledger.close_window(window)

    def fail_start(self, record: FaultRecord):
        self.crash(record, count=self.rng.choice([1, 2]))

    def restarted(self, child: str, incarnation: int, starts: int) -> bool:
        """The child runs a newer incarnation (or berthd itself was restarted meanwhile, and it runs)."""
        c = self.berthd.child(child)
        newer = c and (c["incarnation"] > incarnation or self.berthd.starts != starts)
        return bool(newer and c["state"] == "running")

    def hold(self, record: FaultRecord):
        """A hang or a delay, held for a few seconds then cleared; recovery counts from the clearing until
        a request through the child answers."""
        window = self.ledger.open_window(API_FAULT, record.kind, record.start) if record.child == "api" else None
        extra = {"ms": self.rng.choice([200, 500, 1500])} if record.kind == "delay" else {}
        record.answer = self.berthd.fault(record.child, record.kind, **extra)
        held = self.rng.uniform(1.0, 3.0) if record.kind == "hang" else self.rng.uniform(3.0, 6.0)
        self.stop_event.wait(held)
        record.note = f"held {held:.1f} s" + (f", {extra['ms']} ms" if extra else "")
        cleared = time.time()
        self.berthd.clear_faults()
        probe = PROBES[record.child]
        record.recovered = self.wait_for(lambda: self.berthd.request("GET", probe, timeout=5)[0] == 200, cleared)
        if window:
            self.ledger.close_window(window)

    def kill_containerd(self, record: FaultRecord):
        pid = self.berthd.containerd_pid()
        if pid is None:
            record.note = "skipped: no containerd pid of ours found"
            return
        before = self.berthd.child("containerd") or {"incarnation": 0}
        os.kill(pid, signal.SIGKILL)
        record.answer = f"killed pid {pid}"

        def back() -> bool:
            c = self.berthd.child("containerd")
            new = self.berthd.containerd_pid()
            return bool(c and c["state"] == "running" and new and new != pid and alive(new)
                        and c["incarnation"] > before["incarnation"])
        record.recovered = self.wait_for(back, record.start)
        if record.recovered is None and zombie(pid):
            record.note = f"containerd {pid} is a zombie: berthd has not reaped it, so it did not see it exit"
            self.ledger.finding(f"kill-containerd: {record.note}; containerd child: {self.berthd.child('containerd')}")

    def kill_berthd(self, record: FaultRecord):
        with self.berthd.lock:
            if not self.berthd.running():
                record.note = "skipped: berthd is not running"
                return
            window = self.ledger.open_window(BERTHD_KILL, f"pid {self.berthd.proc.pid}", record.start)
            record.answer = f"killed pid {self.berthd.proc.pid}"
            self.berthd.kill9()
            up = self.berthd.start()
            self.ledger.close_window(window)
        if up:
            record.recovered = time.time() - record.start
        else:
            record.note = "berthd did not answer /_ping within 60 s of its restart"

    # -- waiting

    def wait_for(self, predicate, since: float) -> float | None:
        """Seconds from `since` until `predicate()` holds (polled every 50 ms), or None after the timeout."""
        deadline = since + RECOVERY_TIMEOUT
        while time.time() < deadline:
            try:
                if predicate():
                    return time.time() - since
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.05)
        return None
