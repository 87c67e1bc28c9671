"""What every client loop shares: how an operation is run and recorded, how its failure is classified,
and how a loop settles the objects an interrupted iteration may have left (as a careful client would,
removing them once the daemon answers again)."""

from __future__ import annotations

import http.client
import random
import subprocess
import threading
import time

import docker
import requests
import urllib3

from berthd import Berthd
from ledger import CONNECTION, HTTP, OTHER, TIMEOUT, WRONG, Ledger

DOCKER = "/usr/local/bin/docker"
OP_TIMEOUT = 90.0        # a hang fault plus a restart stays well below this
SETTLE_FOR = 120.0       # how long a loop keeps trying to remove what a failed iteration left

# What the docker CLI prints when it reached no daemon, or lost the connection to it.
CLI_CONNECTION = ("cannot connect to the docker daemon", "connection refused", "connection reset by peer",
                  "broken pipe", "eof", "no such file or directory", "error during connect", "use of closed")


class WrongAnswer(Exception):
    """The daemon answered, with something it should not have."""


class InBandError(Exception):
    """The daemon reported an error inside a stream it had already answered 200 for (an exec that could
    not start prints the error and exits 126–128, as with dockerd)."""


class CliFailure(Exception):
    def __init__(self, cls: str, message: str):
        super().__init__(message)
        self.cls = cls


class OpFailed(Exception):
    """An operation failed (already recorded): the iteration stops and settles its objects."""


def classify(e: BaseException) -> tuple[str, str]:
    if isinstance(e, WrongAnswer):
        return WRONG, str(e)
    if isinstance(e, InBandError):
        return OTHER, f"error in the stream: {e}"
    if isinstance(e, CliFailure):
        return e.cls, str(e)
    if isinstance(e, subprocess.TimeoutExpired):
        return TIMEOUT, f"no answer within {e.timeout:.0f} s"
    if isinstance(e, requests.exceptions.Timeout):
        return TIMEOUT, f"{type(e).__name__}: {e}"
    if isinstance(e, (urllib3.exceptions.ReadTimeoutError, TimeoutError)):
        return TIMEOUT, f"{type(e).__name__}: {e}"
    if isinstance(e, (requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError,
                      urllib3.exceptions.ProtocolError, http.client.HTTPException, ConnectionError)):
        return CONNECTION, f"{type(e).__name__}: {e}"
    if isinstance(e, docker.errors.APIError):
        return HTTP, f"{e.status_code} {e.explanation}"
    if isinstance(e, docker.errors.ContainerError):
        return WRONG, f"container exited {e.exit_status}: {e.stderr!r}"
    return OTHER, f"{type(e).__name__}: {e}"


def classify_cli(stderr: str) -> str:
    low = stderr.lower()
    if "error response from daemon" in low:
        return HTTP
    if any(p in low for p in CLI_CONNECTION):
        return CONNECTION
    if "deadline exceeded" in low or "timeout" in low:
        return TIMEOUT
    return OTHER


def is_gone(e: BaseException) -> bool:
    """True for the answers that say an object does not exist (removal of it is then done)."""
    if isinstance(e, docker.errors.NotFound):
        return True
    text = str(e).lower()
    return "no such" in text or "not found" in text


class Loop(threading.Thread):
    """One client, looping `step(i)` until told to stop."""

    pause = (0.2, 0.8)

    def __init__(self, name: str, berthd: Berthd, ledger: Ledger, stop: threading.Event, image: str, seed: int):
        super().__init__(name=name, daemon=True)
        self.berthd = berthd
        self.ledger = ledger
        self.stop_event = stop
        self.image = image
        self.rng = random.Random(seed)
        self.env = {"DOCKER_HOST": f"unix://{berthd.sock}", "DOCKER_CONFIG": f"{berthd.dir}/docker-config",
                    "PATH": "/usr/local/bin:/usr/bin:/bin"}
        self.py = docker.DockerClient(base_url=f"unix://{berthd.sock}", version="1.45", timeout=OP_TIMEOUT)
        self.touched: list[tuple[str, str]] = []   # the objects of the current iteration

    def run(self):
        i = 0
        while not self.stop_event.is_set():
            i += 1
            self.touched = []
            try:
                self.step(i)
            except OpFailed:
                self.settle_all()
            except Exception as e:  # noqa: BLE001 - a bug of the soak itself must not end the loop silently
                self.ledger.finding(f"{self.name}: the soak's own loop raised {type(e).__name__}: {e}")
                self.settle_all()
            self.stop_event.wait(self.rng.uniform(*self.pause))

    def step(self, i: int):
        raise NotImplementedError

    # -- operations

    def op(self, kind: str, call, check=None):
        """Runs `call()` as one operation of `kind`; `check(result)` names what is wrong with an answer
        (None: nothing). A failure is recorded and ends the iteration (OpFailed)."""
        start = time.time()
        try:
            result = call()
            problem = check(result) if check else None
            if problem:
                raise WrongAnswer(problem)
        except Exception as e:  # noqa: BLE001 - classified and recorded
            cls, message = classify(e)
            self.ledger.failed(self.name, kind, cls, message, start, time.time())
            raise OpFailed from e
        self.ledger.succeeded(kind)
        return result

    def cli(self, *args: str, timeout: float = OP_TIMEOUT) -> str:
        """`docker ARGS`: its stdout, or CliFailure with its stderr."""
        cp = subprocess.run([DOCKER, *args], env=self.env, capture_output=True, text=True, timeout=timeout,
                            stdin=subprocess.DEVNULL)
        if cp.returncode != 0:
            message = (cp.stderr.strip() or cp.stdout.strip() or f"exit status {cp.returncode}")
            raise CliFailure(classify_cli(message), f"docker {args[0]}: {message}")
        return cp.stdout

    # -- objects

    def created(self, kind: str, name: str):
        self.ledger.object(kind, name, "present")

    def pending(self, kind: str, name: str):
        """Marks an object whose creation or removal is in flight (unknown until it settles)."""
        self.ledger.object(kind, name, "unknown")
        self.touched.append((kind, name))

    def keep(self, kind: str, name: str):
        """Leaves an object on purpose: a later failure of the iteration does not remove it."""
        self.touched = [(k, n) for k, n in self.touched if (k, n) != (kind, name)]

    def removed(self, kind: str, name: str):
        self.ledger.object(kind, name, "removed")

    def remover(self, kind: str, name: str):
        """How this client removes an object of `kind` (the CLI's way; py loops use the same)."""
        return {
            "container": lambda: self.cli("rm", "-f", "-v", name),
            "network": lambda: self.cli("network", "rm", name),
            "volume": lambda: self.cli("volume", "rm", "-f", name),
            "image": lambda: self.cli("rmi", name),
        }[kind]

    def settle_all(self):
        """After a failed iteration, removes what it created (and whatever of this loop is in an unknown
        state), retrying while the daemon is away: as a careful client would."""
        mine = {(k, n) for k, n in self.ledger.unsettled() if n.startswith(self.prefix)}
        mine |= {(k, n) for k, n in self.touched if n not in self.ledger.removed(k)}
        # containers before the networks and volumes they use
        for kind, name in sorted(mine, key=lambda kn: kn[0] != "container"):
            self.settle(kind, name)
        self.touched = []

    @property
    def prefix(self) -> str:
        return f"chaos-{self.name}-"

    def settle(self, kind: str, name: str):
        deadline = time.monotonic() + SETTLE_FOR
        while time.monotonic() < deadline:
            if not self.berthd.ping():
                time.sleep(0.5)
                continue
            start = time.time()
            try:
                self.remover(kind, name)()
            except Exception as e:  # noqa: BLE001 - classified below
                if is_gone(e):
                    self.removed(kind, name)
                    self.ledger.succeeded(f"settle {kind}")
                    return
                cls, message = classify(e)
                self.ledger.failed(self.name, f"settle {kind}", cls, message, start, time.time())
                time.sleep(1)
                continue
            self.removed(kind, name)
            self.ledger.succeeded(f"settle {kind}")
            return
        self.ledger.finding(f"{self.name}: could not remove {kind} {name} within {SETTLE_FOR:.0f} s")
