"""Events followers: `docker events` (CLI) and docker-py's `events()`, reconnecting whenever the stream
ends. A stream that ends cleanly (a restart cut it) is counted, not a failure; one that breaks with an
error is a failure, classified like any operation's; every event must be a JSON object with a Type and
an Action."""

from __future__ import annotations

import json
import subprocess
import time

import docker

from ledger import WRONG
from loops import DOCKER, Loop, classify, classify_cli


def event_problem(ev) -> str | None:
    if isinstance(ev, dict) and ev.get("Type") and ev.get("Action"):
        return None
    return f"event without Type/Action: {str(ev)[:200]}"


class Follower(Loop):
    pause = (0.5, 1.0)   # before reconnecting

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        # a quiet stream is no failure: no read timeout worth the name
        self.py = docker.DockerClient(base_url=f"unix://{self.berthd.sock}", version="1.45", timeout=3600)

    def step(self, i: int):
        if not self.berthd.ping():  # no point dialling a daemon that is away
            return
        start = time.time()
        try:
            ended = self.follow()
        except Exception as e:  # noqa: BLE001 - classified and recorded
            if self.stop_event.is_set():
                return
            cls, message = classify(e)
            self.ledger.failed(self.name, f"{self.kind} follow", cls, message, start, time.time())
            return
        if ended:
            self.ledger.succeeded(f"{self.kind} follow (stream {ended})")

    def seen(self, ev, start: float):
        problem = event_problem(ev)
        if problem:
            self.ledger.failed(self.name, f"{self.kind} event", WRONG, problem, start, time.time())
        self.ledger.events_seen[self.kind] += 1

    def settle_all(self):
        pass  # a follower creates nothing


class PyEvents(Follower):
    kind = "py events"
    stream = None

    def follow(self) -> str:
        start = time.time()
        self.stream = self.py.events(decode=True)
        try:
            for ev in self.stream:
                self.seen(ev, start)
                if self.stop_event.is_set():
                    return "closed by the soak"
        finally:
            self.stream.close()
        return "ended" if not self.stop_event.is_set() else "closed by the soak"

    def close(self):
        if self.stream is not None:
            try:
                self.stream.close()
            except Exception:  # noqa: BLE001 - the stream may already be gone
                pass


class CliEvents(Follower):
    kind = "cli events"
    proc = None

    def follow(self) -> str | None:
        start = time.time()
        self.proc = subprocess.Popen([DOCKER, "events", "--format", "{{json .}}"], env=self.env, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
        for line in self.proc.stdout:
            if line.strip():
                try:
                    self.seen(json.loads(line), start)
                except ValueError:
                    self.seen(line, start)
        rc = self.proc.wait()
        err = self.proc.stderr.read().strip()
        if self.stop_event.is_set():
            return "closed by the soak"
        if rc != 0:
            self.ledger.failed(self.name, f"{self.kind} follow", classify_cli(err), f"docker events: {err or rc}",
                               start, time.time())
            return None
        return "ended"

    def close(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
