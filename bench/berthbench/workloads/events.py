"""4. Events: one subscriber on `GET /events` (container events) while P create/remove pairs run.
Figures: delivery latency (arrival here minus the event's own `timeNano`: the daemon's time from
recording an event to handing it to a subscriber), action-to-event latency (arrival minus the moment
the create or remove request was sent), and how many of the 2·P expected events never arrived."""

from __future__ import annotations

import json
import socket
import threading
import time

from berth_host import UnixHTTPConnection

from ..api import query
from ..figures import Figure
from ..stats import percentile

NAME = "events"
EXPECTED = {"create": "create", "remove": "destroy"}


class Subscriber:
    def __init__(self, sock_path: str):
        self.conn = UnixHTTPConnection(sock_path, timeout=30)
        self.arrivals: dict[tuple[str, str], list[tuple[float, float, int]]] = {}
        self.lock = threading.Lock()
        self.ready = threading.Event()
        self.error: str | None = None
        self.thread = threading.Thread(target=self._read, daemon=True)

    def start(self):
        self.thread.start()
        if not self.ready.wait(15):
            raise RuntimeError(f"/events did not answer within 15 s ({self.error})")
        if self.error:
            raise RuntimeError(self.error)

    def _read(self):
        try:
            self.conn.request("GET", query("/events", filters={"type": ["container"]}))
            resp = self.conn.getresponse()
            if resp.status != 200:
                self.error = f"/events: HTTP {resp.status}"
                self.ready.set()
                return
            self.conn.sock.settimeout(None)  # blocking; close() ends it
            self.ready.set()
            decoder, buf = json.JSONDecoder(), ""
            while True:
                chunk = resp.read1(65536)
                if not chunk:
                    return
                wall, mono = time.time(), time.perf_counter()
                buf += chunk.decode("utf-8", "replace")
                while True:
                    buf = buf.lstrip()
                    if not buf:
                        break
                    try:
                        ev, end = decoder.raw_decode(buf)
                    except ValueError:
                        break  # an incomplete object: wait for more
                    buf = buf[end:]
                    cid = (ev.get("Actor") or {}).get("ID") or ev.get("id") or ""
                    key = (cid, ev.get("Action") or ev.get("status") or "")
                    with self.lock:
                        self.arrivals.setdefault(key, []).append((wall, mono, int(ev.get("timeNano") or 0)))
        except Exception as e:  # noqa: BLE001 - reported by the workload
            if not self.error:
                self.error = f"event stream ended: {e}"
            self.ready.set()

    def seen(self, key) -> bool:
        with self.lock:
            return key in self.arrivals

    def wait_for(self, keys, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all(self.seen(k) for k in keys):
                return True
            time.sleep(0.01)
        return False

    def close(self):
        try:
            if self.conn.sock is not None:
                self.conn.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.conn.close()
        self.thread.join(timeout=5)


def run(ctx) -> list[Figure]:
    pairs = ctx.counts["event_pairs"]
    sub = Subscriber(ctx.daemon.sock)
    sub.start()
    try:
        with ctx.api() as api:
            cid = api.create(["true"], network="none")  # the subscription is live once this is seen
            api.remove(cid)
            if not sub.wait_for([(cid, "create"), (cid, "destroy")], 15):
                raise RuntimeError(f"the subscriber saw no events for a warm-up container ({sub.error})")
            sent: dict[tuple[str, str], float] = {}
            for _ in range(pairs):
                t0 = time.perf_counter()
                cid = api.create(["true"], network="none")
                sent[(cid, "create")] = t0
                sent[(cid, "destroy")] = time.perf_counter()
                api.remove(cid)
        sub.wait_for(list(sent), 10)
    finally:
        sub.close()
    missed = [k for k in sent if k not in sub.arrivals]
    duplicates = sum(len(sub.arrivals[k]) - 1 for k in sent if k in sub.arrivals)
    delivery, action = [], []
    for key, t_sent in sent.items():
        for wall, mono, nano in sub.arrivals.get(key, [])[:1]:
            if nano:
                delivery.append(wall - nano / 1e9)
            action.append(mono - t_sent)
    note = f"{duplicates} duplicated" if duplicates else ""
    figures = [
        Figure(NAME, f"missed of {len(sent)}", "events", "lower", float(len(missed)), note),
        Figure(NAME, "delivery latency p50", "ms", "lower", _ms(percentile(delivery, 50))),
        Figure(NAME, "delivery latency p95", "ms", "lower", _ms(percentile(delivery, 95))),
        Figure(NAME, "delivery latency max", "ms", "lower", _ms(max(delivery) if delivery else None)),
        Figure(NAME, "request-to-event p50", "ms", "lower", _ms(percentile(action, 50))),
        Figure(NAME, "request-to-event p95", "ms", "lower", _ms(percentile(action, 95))),
    ]
    ctx.log(f"{len(sent) - len(missed)}/{len(sent)} events, delivery p50 {figures[1].value:.2f} ms"
            if figures[1].value is not None else f"{len(sent) - len(missed)}/{len(sent)} events")
    return figures


def _ms(seconds):
    return None if seconds is None else seconds * 1000.0
