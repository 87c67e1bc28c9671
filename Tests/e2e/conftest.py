"""Shared helpers and fixtures for Berth's end-to-end suite.

The suite drives a real `berthd` binary over its unix socket, the way the acceptance checks in
`shared/acceptance/lib/berthd.sh` do: one private temp dir per daemon holding data-root, exec-root,
the API socket, the pidfile and the log. The binary comes from `BERTHD_BIN`, else from
`swift build --show-bin-path`. Every wait is bounded; a daemon that fails to boot fails the test
with the tail of its log.

No third-party HTTP client is used: `http.client` over an AF_UNIX socket is enough and keeps the
requests exactly as written here.
"""

from __future__ import annotations

import http.client
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.parse
from pathlib import Path

import pytest

from berth_host import HostNetworkState, UnixHTTPConnection, delete_bridge_rules
from image_fixtures import busybox_layer, docker_archive

REPO_ROOT = Path(__file__).resolve().parents[2]

# The children of the tree, in start order (supervision.md).
CHILD_ORDER = [
    "containerd", "plugins", "volumes", "containers", "graphdriver",
    "images", "network", "restore", "api",
]
CHILD_STATES = {"starting", "running", "restarting", "stopping", "stopped", "completed", "failed", "stuck"}
API_VERSION = "1.51"
MIN_API_VERSION = "1.24"

BOOT_TIMEOUT = 30.0
STOP_TIMEOUT = 20.0

# Errors that mean "nobody is listening right now" (e.g. while the api child restarts its listener).
CONNECT_ERRORS = (
    ConnectionRefusedError, FileNotFoundError, ConnectionResetError, ConnectionAbortedError,
    BrokenPipeError, http.client.RemoteDisconnected, http.client.IncompleteRead,
    socket.timeout, TimeoutError,
)


# --------------------------------------------------------------------------- HTTP over a unix socket

class Response:
    """A fully read HTTP response."""

    def __init__(self, status: int, headers: http.client.HTTPMessage, body: bytes, elapsed: float):
        self.status = status
        self.headers = headers
        self.body = body
        self.elapsed = elapsed

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError as e:
            raise AssertionError(f"response {self.status} is not JSON: {self.body[:300]!r}") from e

    def header(self, name: str, default=None):
        return self.headers.get(name, default)

    def error_message(self) -> str:
        """The `message` of a Docker error body, asserting the body has that shape."""
        ctype = self.header("Content-Type", "")
        assert "json" in ctype, f"error response {self.status} has Content-Type {ctype!r}, body {self.body[:300]!r}"
        doc = self.json()
        assert isinstance(doc, dict) and isinstance(doc.get("message"), str) and doc["message"], \
            f"error response {self.status} lacks a non-empty message: {doc!r}"
        return doc["message"]

    def __repr__(self):
        return f"<Response {self.status} {self.body[:200]!r}>"


def http_request(sock_path: str, method: str, path: str, body=None, headers=None,
                 timeout: float = 10.0) -> Response:
    """One request on a fresh connection. `body` may be bytes, str, or a JSON-able object."""
    hdrs = dict(headers or {})
    data = None
    if body is not None:
        if isinstance(body, (bytes, bytearray)):
            data = bytes(body)
        elif isinstance(body, str):
            data = body.encode()
        else:
            data = json.dumps(body).encode()
        hdrs.setdefault("Content-Type", "application/json")
    conn = UnixHTTPConnection(sock_path, timeout=timeout)
    t0 = time.monotonic()
    try:
        conn.request(method, path, body=data, headers=hdrs)
        resp = conn.getresponse()
        payload = resp.read()
        return Response(resp.status, resp.headers, payload, time.monotonic() - t0)
    finally:
        conn.close()


def query(path: str, **params) -> str:
    """`path?k=v&...`, JSON-encoding dict values (Docker's `filters=`)."""
    items = {}
    for k, v in params.items():
        if v is None:
            continue
        items[k] = json.dumps(v) if isinstance(v, (dict, list)) else str(v)
    return path + ("?" + urllib.parse.urlencode(items) if items else "")


def wait_until(predicate, timeout: float, interval: float = 0.1, what: str = "condition"):
    """Poll `predicate` until it returns a truthy value; return it, or fail after `timeout` s.
    Exceptions from the predicate count as 'not yet' (the last one is reported)."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        try:
            value = predicate()
            if value:
                return value
            last = value
        except Exception as e:  # noqa: BLE001 - reported below
            last = e
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what} (last: {last!r})")
        time.sleep(interval)


def process_alive(pid: int) -> bool:
    """True while `pid` exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
    except (FileNotFoundError, ProcessLookupError):
        return False
    # state is the field after the parenthesised command name
    state = stat.rsplit(")", 1)[-1].split()[0]
    return state not in ("Z", "X")


# --------------------------------------------------------------------------- the daemon

def _short_tmpdir(prefix: str = "berth-") -> str:
    # unix socket paths must stay < 108 bytes: keep the base short
    return tempfile.mkdtemp(prefix=prefix, dir="/tmp")


class Daemon:
    """One berthd process on a private temp dir.

    `args` are extra flags; `config` (a dict or a raw string) is written to `<dir>/daemon.json` and
    passed with `--config-file`; `env` adds environment variables. `standard_flags=False` leaves out
    the usual `--data-root/--exec-root/-H/--pidfile` (for tests that build their own command line).
    """

    def __init__(self, binary: str, args=(), config=None, env=None, base_dir: str | None = None,
                 standard_flags: bool = True, name: str = "berthd"):
        self.binary = binary
        self.extra_args = list(args)
        self.dir = base_dir or _short_tmpdir()
        self.owns_dir = base_dir is None
        self.name = name
        self.sock = os.path.join(self.dir, "berth.sock")
        self.data_root = os.path.join(self.dir, "data")
        self.exec_root = os.path.join(self.dir, "exec")
        self.pidfile = os.path.join(self.dir, "berthd.pid")
        # each daemon its own default bridge device (daemons of one test run side by side)
        self.bridge = "bt" + os.urandom(6).hex()[:11]
        self.log_path = os.path.join(self.dir, f"{name}.log")
        self.config_path = None
        self.standard_flags = standard_flags
        self.env = dict(env or {})
        self.proc: subprocess.Popen | None = None
        self.returncode = None
        self._log = None
        if config is not None:
            self.write_config(config)

    # -- configuration

    def write_config(self, config, path: str | None = None):
        path = path or self.config_path or os.path.join(self.dir, "daemon.json")
        text = config if isinstance(config, str) else json.dumps(config, indent=2)
        tmp = path + ".tmp"
        with open(tmp, "w") as f:
            f.write(text)
        os.replace(tmp, path)  # atomic: a reload never sees half a file
        self.config_path = path
        return path

    def command(self):
        cmd = [self.binary]
        if self.standard_flags:
            cmd += ["--data-root", self.data_root, "--exec-root", self.exec_root,
                    "-H", f"unix://{self.sock}", "--pidfile", self.pidfile, "--bridge", self.bridge]
        if self.config_path:
            cmd += ["--config-file", self.config_path]
        return cmd + self.extra_args

    # -- process control

    def start(self, wait: bool = True, cmd=None, pass_fds=()):
        assert self.proc is None, "daemon already started"
        env = os.environ.copy()
        for k in ("NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES"):
            env.pop(k, None)
        env.update(self.env)
        self._log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            cmd or self.command(), stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT,
            env=env, pass_fds=pass_fds, start_new_session=True,
        )
        _LIVE.add(self)
        if wait:
            self.wait_ready()
        return self

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log_tail(self, lines: int = 40) -> str:
        try:
            with open(self.log_path, "rb") as f:
                data = f.read()
        except FileNotFoundError:
            return "(no log)"
        return "\n".join(data.decode("utf-8", "replace").splitlines()[-lines:])

    def fail(self, msg: str):
        pytest.fail(f"{msg}\n--- {self.name} log ({self.log_path}) ---\n{self.log_tail()}", pytrace=False)

    def wait_ready(self, timeout: float = BOOT_TIMEOUT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.fail(f"berthd exited with {self.proc.returncode} during start")
            try:
                if http_request(self.sock, "GET", "/_ping", timeout=2).status == 200:
                    return self
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.1)
        self.fail(f"berthd not ready within {timeout}s")

    def signal(self, sig):
        assert self.running(), "daemon is not running"
        os.kill(self.proc.pid, sig)

    def wait_exit(self, timeout: float) -> int | None:
        """Wait up to `timeout` s for the process to exit; its exit code, or None if still running."""
        try:
            self.returncode = self.proc.wait(timeout=timeout)
            return self.returncode
        except subprocess.TimeoutExpired:
            return None

    def stop(self, timeout: float = STOP_TIMEOUT) -> int | None:
        """SIGTERM, wait up to `timeout` s, then SIGKILL. Returns the exit code (None: had to be killed)."""
        if self.proc is None:
            return self.returncode
        rc = self.proc.poll()
        if rc is None:
            try:
                os.kill(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            rc = self.wait_exit(timeout)
            if rc is None:
                self.kill()
                rc = None
        self.returncode = rc
        self._close_log()
        _LIVE.discard(self)
        return rc

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.kill(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        self._close_log()

    def _close_log(self):
        if self._log is not None:
            self._log.close()
            self._log = None

    def leftover_processes(self) -> list[tuple[int, str]]:
        """Processes other than berthd whose command line names this daemon's dir (its containerd)."""
        found = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit() or (self.proc is not None and int(entry) == self.proc.pid):
                continue
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    cmd = f.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()
            except OSError:
                continue
            if self.dir in cmd and process_alive(int(entry)):
                found.append((int(entry), cmd))
        return found

    def cleanup(self) -> list[tuple[int, str]]:
        """Stop if needed, kill whatever it left running, remove the temp dir (unless BERTH_E2E_KEEP).
        Returns the processes that outlived the daemon (after a clean exit there should be none)."""
        live_restore = self.configured_live_restore()
        if self.running():
            try:  # learn containerd's pid, to make sure it does not outlive the test
                self.containerd_pid(timeout=3)
            except Exception:  # noqa: BLE001 - best effort
                pass
            self._bridges = self.user_bridges()
            live_restore = self.end_live_restored_containers()
        ctd = getattr(self, "_containerd_pid", None)
        rc = self.stop()
        leftovers = []
        if rc is not None:  # a daemon that exited by itself had its chance to stop its children
            deadline = time.monotonic() + 5
            while (leftovers := self.leftover_processes()) and time.monotonic() < deadline:
                time.sleep(0.1)
        else:
            leftovers = self.leftover_processes()
        if ctd and process_alive(ctd) and _is_containerd(ctd) and ctd not in [p for p, _ in leftovers]:
            leftovers.append((ctd, "containerd"))
        for pid, _ in leftovers:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if self.owns_dir and not os.environ.get("BERTH_E2E_KEEP"):
            self.release_host_state()
            shutil.rmtree(self.dir, ignore_errors=True)
        # with live-restore, a clean stop leaves containerd (and the shims) running by design
        return leftovers if rc is not None and not live_restore else []

    def configured_live_restore(self) -> bool:
        """Whether the flags or the config file turn live-restore on."""
        if "--live-restore" in self.extra_args:
            return True
        try:
            with open(self.config_path or "") as f:
                return json.load(f).get("live-restore") is True
        except (OSError, ValueError, AttributeError):
            return False

    def end_live_restored_containers(self) -> bool:
        """Whether the daemon runs with live-restore; if it does, its running containers are killed
        first, since its stop leaves them (and its containerd, killed after it) running."""
        try:
            if not self.info().get("LiveRestoreEnabled"):
                return False
            for c in json.loads(self.get("/containers/json", timeout=5).body or b"[]"):
                self.post(f"/containers/{c['Id']}/kill", timeout=10)
        except Exception:  # noqa: BLE001 - best effort, the daemon may be failing
            pass
        return True

    def user_bridges(self) -> list[str]:
        """The bridge devices of the daemon's user networks (`br-` and 12 digits of the ID)."""
        try:
            networks = json.loads(self.get("/networks", timeout=3).body or b"[]")
        except Exception:  # noqa: BLE001 - best effort, the daemon may be gone
            return []
        return [n["Options"].get("com.docker.network.bridge.name", "br-" + n["Id"][:12])
                for n in networks if n["Driver"] == "bridge" and n["Name"] != "bridge"]

    def release_host_state(self):
        """What a daemon leaves on the host by design: its default bridge device and the iptables rules
        of its networks, and (after a kill) the network namespace files and mounts under its dir."""
        for device in [self.bridge, *getattr(self, "_bridges", [])]:
            subprocess.run(["ip", "link", "delete", device], capture_output=True)
            delete_bridge_rules(device)
        with open("/proc/self/mountinfo") as f:
            mounts = [line.split()[4] for line in f if line.split()[4].startswith(self.dir + "/")]
        for mount in sorted(mounts, key=len, reverse=True):
            subprocess.run(["umount", "-l", mount], capture_output=True)

    # -- API

    def request(self, method: str, path: str, body=None, headers=None, timeout: float = 10.0,
                retry_for: float = 0.0) -> Response:
        """One request; with `retry_for` > 0, connection failures are retried for that many seconds."""
        deadline = time.monotonic() + retry_for
        while True:
            try:
                return http_request(self.sock, method, path, body=body, headers=headers, timeout=timeout)
            except CONNECT_ERRORS:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(0.1)

    def get(self, path, **kw) -> Response:
        return self.request("GET", path, **kw)

    def head(self, path, **kw) -> Response:
        return self.request("HEAD", path, **kw)

    def post(self, path, body=None, **kw) -> Response:
        return self.request("POST", path, body=body, **kw)

    def delete(self, path, **kw) -> Response:
        return self.request("DELETE", path, **kw)

    def get_json(self, path, expect: int = 200, **kw):
        r = self.get(path, **kw)
        assert r.status == expect, f"GET {path}: {r.status} {r.body[:500]!r}"
        return r.json()

    def supervision(self, **kw) -> dict:
        return self.get_json("/debug/supervision", **kw)

    def child(self, name: str, **kw) -> dict:
        for c in self.supervision(**kw)["children"]:
            if c["name"] == name:
                return c
        raise AssertionError(f"no child {name!r} in /debug/supervision")

    def containerd_pid(self, timeout: float = 10.0) -> int | None:
        info = self.child("containerd", timeout=timeout).get("info") or {}
        pid = info.get("pid")
        if pid in (None, "", 0, "0"):
            return None
        pid = int(pid)
        self._containerd_pid = pid
        return pid

    def fault(self, child: str, fault: str, **extra) -> Response:
        return self.post("/debug/faults", {"child": child, "fault": fault, **extra})

    def clear_faults(self) -> Response:
        return self.delete("/debug/faults")

    def info(self) -> dict:
        return self.get_json("/info")

    def tree_healthy(self) -> bool:
        """Every child running (restore: completed) and the root running."""
        tree = self.supervision(timeout=5, retry_for=0)
        if tree.get("state") != "running":
            return False
        for c in tree["children"]:
            want = "completed" if c["name"] == "restore" else "running"
            if c["state"] != want:
                return False
        return True

    def wait_healthy(self, timeout: float = 20.0):
        return wait_until(lambda: self.tree_healthy(), timeout, 0.1, "every child of the tree running")

    def events(self, since=None, until=None, filters=None, timeout: float = 15.0) -> list[dict]:
        """Replay `/events` between since and until (the server closes the stream at `until`)."""
        r = self.get(query("/events", since=since, until=until, filters=filters), timeout=timeout)
        assert r.status == 200, f"GET /events: {r.status} {r.body[:300]!r}"
        return [json.loads(line) for line in r.text.splitlines() if line.strip()]

    def open_events(self, **params) -> "EventStream":
        return EventStream(self.sock, query("/events", **params))

    def reload(self, timeout: float = 15.0) -> dict:
        """SIGHUP and wait for the `daemon reload` event it produces; returns that event."""
        since = int(time.time()) - 1
        with self.open_events(since=since, filters={"type": ["daemon"], "event": ["reload"]}) as stream:
            seen = stream.drain(0.3)  # reloads from before this call, replayed from `since`
            self.signal(signal.SIGHUP)
            ev = stream.next_matching(lambda e: e.get("Action") == "reload" and e not in seen, timeout)
        assert ev is not None, self.log_tail()
        return ev

    def docker_env(self, home: str | None = None) -> dict:
        env = os.environ.copy()
        for k in ("DOCKER_CONTEXT", "DOCKER_API_VERSION", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH"):
            env.pop(k, None)
        env["DOCKER_HOST"] = f"unix://{self.sock}"
        env["DOCKER_CONFIG"] = home or os.path.join(self.dir, "docker-config")
        return env


def _is_containerd(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return b"containerd" in f.read()
    except OSError:
        return False


class EventStream:
    """A live `GET /events` stream, read line by line with bounded waits.

    Written on a raw socket (not http.client) so that a read that times out leaves the stream usable:
    the chunked framing is decoded here and each wait is a select() with a deadline.
    """

    def __init__(self, sock_path: str, path: str, timeout: float = 5.0):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(sock_path)
        self.sock.sendall(f"GET {path} HTTP/1.1\r\nHost: berth\r\nAccept: application/json\r\n\r\n".encode())
        self.raw = b""        # bytes received, not yet de-chunked
        self.body = b""       # de-chunked body not yet returned as lines
        self.eof = False
        self.chunked = False
        self._chunk_left = None  # None: expecting a size line
        # Docker flushes the response head at once; a daemon that holds it back would stall `docker events`.
        deadline = time.monotonic() + timeout
        while b"\r\n\r\n" not in self.raw:
            if not self._recv(deadline):
                raise AssertionError(f"GET {path}: no response head within {timeout}s (got {self.raw[:200]!r})")
        head, self.raw = self.raw.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        self.status = int(lines[0].split()[1])
        self.headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            self.headers[k.strip().lower()] = v.strip()
        self.chunked = "chunked" in self.headers.get("transfer-encoding", "").lower()
        self._decode()
        assert self.status == 200, f"GET {path}: {self.status} {self.raw[:300]!r}"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def _recv(self, deadline: float) -> bool:
        """Receive once; False on timeout or end of stream."""
        if self.eof:
            return False
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        ready, _, _ = select.select([self.sock], [], [], left)
        if not ready:
            return False
        try:
            data = self.sock.recv(65536)
        except OSError:
            data = b""
        if not data:
            self.eof = True
            return False
        self.raw += data
        return True

    def _decode(self):
        if not self.chunked:
            self.body += self.raw
            self.raw = b""
            return
        while True:
            if self._chunk_left is None:
                if b"\r\n" not in self.raw:
                    return
                line, self.raw = self.raw.split(b"\r\n", 1)
                size = int(line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.eof = True
                    return
                self._chunk_left = size
            if len(self.raw) < self._chunk_left + 2:
                return
            self.body += self.raw[:self._chunk_left]
            self.raw = self.raw[self._chunk_left + 2:]
            self._chunk_left = None

    def next_event(self, timeout: float) -> dict | None:
        """The next event, or None if none arrives within `timeout` s (or the stream ended)."""
        deadline = time.monotonic() + timeout
        while True:
            while b"\n" in self.body:
                line, self.body = self.body.split(b"\n", 1)
                if line.strip():
                    return json.loads(line)
            if not self._recv(deadline):
                return None
            self._decode()

    def next_matching(self, pred, timeout: float) -> dict | None:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            ev = self.next_event(left)
            if ev is None:
                return None
            if pred(ev):
                return ev
        return None

    def drain(self, quiet: float) -> list[dict]:
        """Read events until none arrives for `quiet` s."""
        out = []
        while (ev := self.next_event(quiet)) is not None:
            out.append(ev)
        return out


_LIVE: set[Daemon] = set()


def pytest_sessionfinish(session, exitstatus):
    # Last resort: never leave a daemon (and its containerd) running after the suite.
    for d in list(_LIVE):
        d.cleanup()


# --------------------------------------------------------------------------- fixtures

def _find_binary() -> str:
    env = os.environ.get("BERTHD_BIN")
    if env:
        return env
    try:
        out = subprocess.run(["swift", "build", "--show-bin-path"], cwd=REPO_ROOT, capture_output=True,
                             text=True, timeout=300)
        return os.path.join(out.stdout.strip(), "berthd")
    except (OSError, subprocess.TimeoutExpired):
        return ""


@pytest.fixture(scope="session")
def berthd_bin() -> str:
    path = _find_binary()
    if not path or not os.access(path, os.X_OK):
        pytest.fail(f"no berthd binary at {path!r}: run `swift build` or set BERTHD_BIN", pytrace=False)
    return path


@pytest.fixture(scope="session", autouse=True)
def host_network_state():
    """Puts back what berthd leaves on the host by design (forwarding, the FORWARD policy, its chains)."""
    state = HostNetworkState()
    yield state
    state.restore()


@pytest.fixture(scope="session")
def make_daemon_factory(berthd_bin):
    """A plain constructor, for fixtures of any scope: make(args, config=..., env=...)."""
    def make(args=(), **kw) -> Daemon:
        return Daemon(berthd_bin, args, **kw)
    return make


@pytest.fixture
def make_daemon(berthd_bin):
    """Function-scoped factory: every daemon it made is stopped and cleaned up after the test."""
    made: list[Daemon] = []

    def make(args=(), start: bool = True, **kw) -> Daemon:
        d = Daemon(berthd_bin, args, **kw)
        made.append(d)
        if start:
            d.start()
        return d

    yield make
    leaks = []
    for d in reversed(made):
        leaks += d.cleanup()
    assert not leaks, f"processes outlived their berthd: {leaks}"


@pytest.fixture(scope="module")
def daemon(berthd_bin):
    """A module-wide daemon started like the acceptance checks do (with fault injection)."""
    d = Daemon(berthd_bin, ["--fault-injection"], name="module")
    d.start()
    yield d
    finish(d)


def finish(d: Daemon):
    """Teardown for module fixtures: stop the daemon and fail if something it started outlived it."""
    leaks = d.cleanup()
    assert not leaks, f"processes outlived their berthd: {leaks}"


def docker_cli() -> str:
    path = shutil.which("docker")
    if not path:
        pytest.skip("docker CLI not installed")
    return path


def run_docker(d: Daemon, *args, timeout: float = 30.0, check: bool = True) -> subprocess.CompletedProcess:
    cp = subprocess.run([docker_cli(), *args], env=d.docker_env(), capture_output=True, text=True,
                        timeout=timeout, stdin=subprocess.DEVNULL)
    if check:
        assert cp.returncode == 0, (f"docker {' '.join(args)} exited {cp.returncode}\n"
                                    f"stdout: {cp.stdout}\nstderr: {cp.stderr}\n--- log ---\n{d.log_tail()}")
    return cp


def reload_window(d: Daemon, reloads: int = 2) -> tuple[int, int]:
    """Make `reloads` daemon reload events and return whole-second (since, until) around them, with
    `until` already past (so a replay of that window ends by itself)."""
    since = int(time.time()) - 1
    for _ in range(reloads):
        d.reload()
    until = int(time.time()) + 1
    wait_past(until)
    return since, until


def wait_past(ts: float):
    """Sleep until the wall clock is past `ts` (bounded: callers pass a time at most a few s ahead)."""
    delay = ts - time.time() + 0.05
    assert delay < 10, "wait_past: too far ahead"
    if delay > 0:
        time.sleep(delay)


def load_busybox(d: Daemon, tmp_dir: str):
    """Loads the suite's busybox image (`sh` as its command) into a daemon."""
    path = os.path.join(tmp_dir, "busybox.tar")
    docker_archive(path, [busybox_layer()], ["busybox:latest"], cmd=("sh",))
    run_docker(d, "load", "-i", path, timeout=120)


def remove_everything(d: Daemon):
    """Module teardown: removes every container (with its anonymous volumes) and unused network."""
    ids = [c["Id"] for c in d.get_json("/containers/json?all=1")]
    run_docker(d, "rm", "-f", "-v", *ids, check=False, timeout=60)
    run_docker(d, "network", "prune", "-f", check=False)
