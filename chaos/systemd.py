"""What systemd does for berthd (Restart=always): when berthd exits by itself (the tree stopped, a crash),
start it again with the same flags. Such an exit is a finding: the driver's own kills are not seen here,
since the driver holds berthd's lock while it kills and restarts."""

from __future__ import annotations

import threading
import time

from berthd import Berthd
from ledger import BERTHD_EXIT, Ledger


class Systemd(threading.Thread):
    def __init__(self, berthd: Berthd, ledger: Ledger, stop: threading.Event):
        super().__init__(name="systemd", daemon=True)
        self.berthd = berthd
        self.ledger = ledger
        self.stop_event = stop
        self.last_seen_up = time.time()
        self.gave_up = threading.Event()

    def run(self):
        while not self.stop_event.wait(0.2):
            with self.berthd.lock:
                if self.berthd.running():
                    self.last_seen_up = time.time()
                    continue
                self.restart()
                if self.gave_up.is_set():
                    return

    def restart(self):
        status = self.berthd.proc.returncode
        window = self.ledger.open_window(BERTHD_EXIT, f"exit status {status}", start=self.last_seen_up)
        tail = " | ".join(line[:240] for line in self.berthd.log_tail(8))
        self.ledger.finding(f"berthd exited by itself with status {status}; last log lines: {tail}")
        for _ in range(3):
            if self.berthd.start():
                self.ledger.close_window(window)
                return
            time.sleep(1)
        self.ledger.close_window(window)
        self.ledger.finding("berthd did not come back after three restarts: the soak stops here")
        self.gave_up.set()
