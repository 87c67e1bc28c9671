"""The daemon's life: SIGTERM, the pidfile, SIGHUP reload, --validate, listeners (-H unix/tcp/fd),
and the systemd notify protocol."""

import http.client
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

import pytest

from conftest import REPO_ROOT, STOP_TIMEOUT, process_alive, wait_until

DEFAULT_SHUTDOWN_TIMEOUT = 15.0


# ----------------------------------------------------------------------------- SIGTERM and the pidfile

def test_pidfile_holds_the_daemon_pid(make_daemon):
    d = make_daemon([])
    with open(d.pidfile) as f:
        assert int(f.read().strip()) == d.pid


def test_sigterm_exits_0_and_cleans_up(make_daemon):
    d = make_daemon([])
    ctd = d.containerd_pid()
    assert ctd and process_alive(ctd)
    assert os.path.exists(d.sock) and os.path.exists(d.pidfile)

    t0 = time.monotonic()
    d.signal(signal.SIGTERM)
    rc = d.wait_exit(DEFAULT_SHUTDOWN_TIMEOUT + 5)
    took = time.monotonic() - t0
    assert rc is not None, f"berthd still running {DEFAULT_SHUTDOWN_TIMEOUT + 5}s after SIGTERM\n{d.log_tail()}"
    assert rc == 0, f"exit code {rc}\n{d.log_tail()}"
    assert took < DEFAULT_SHUTDOWN_TIMEOUT, f"shutdown took {took:.1f}s"
    assert not os.path.exists(d.sock), "the API socket was left behind"
    assert not os.path.exists(d.pidfile), "the pidfile was left behind"
    wait_until(lambda: not process_alive(ctd), 5, 0.1, "the containerd berthd started to be gone")


def test_sigint_also_stops_cleanly(make_daemon):
    d = make_daemon([])
    d.signal(signal.SIGINT)
    assert d.wait_exit(STOP_TIMEOUT) == 0, d.log_tail()
    assert not os.path.exists(d.sock)


def test_second_daemon_on_same_pidfile_is_refused(make_daemon):
    a = make_daemon([])
    b = make_daemon(start=False, standard_flags=False, name="second")
    b.sock = os.path.join(b.dir, "b.sock")
    cmd = [b.binary, "--data-root", a.data_root, "--exec-root", os.path.join(b.dir, "exec"),
           "-H", f"unix://{b.sock}", "--pidfile", a.pidfile]
    b.start(wait=False, cmd=cmd)
    rc = b.wait_exit(STOP_TIMEOUT)
    assert rc is not None, "the second berthd kept running"
    assert rc != 0
    out = b.log_tail(200).lower()
    assert "pid" in out or "running" in out or "another" in out, out
    # the first one is untouched: still serving, its pidfile still names it
    assert a.get("/_ping").status == 200
    with open(a.pidfile) as f:
        assert int(f.read().strip()) == a.pid
    assert not os.path.exists(b.sock)
    assert a.tree_healthy()


def test_stale_pidfile_is_taken_over(make_daemon):
    d = make_daemon(start=False)
    dead = subprocess.Popen(["true"])
    dead.wait()
    with open(d.pidfile, "w") as f:
        f.write(f"{dead.pid}\n")
    d.start()
    with open(d.pidfile) as f:
        assert int(f.read().strip()) == d.pid


# ----------------------------------------------------------------------------- SIGHUP reload

def _labels(d):
    return d.info()["Labels"]


def test_sighup_reload_applies_labels_and_debug(make_daemon):
    d = make_daemon([], config={"labels": ["e2e=one"], "debug": False})
    assert "e2e=one" in _labels(d)
    d.write_config({"labels": ["e2e=two", "a=b"], "debug": True})
    t0 = int(time.time()) - 1
    ev = d.reload()
    assert ev["Type"] == "daemon" and ev["Action"] == "reload", ev
    info = d.info()
    assert "e2e=two" in info["Labels"] and "a=b" in info["Labels"], info["Labels"]
    assert "e2e=one" not in info["Labels"], info["Labels"]
    if "Debug" in info:
        assert info["Debug"] is True
    # the reload is in the history too
    evs = d.events(since=t0, until=int(time.time()) + 1, filters={"type": ["daemon"]})
    assert any(e["Action"] == "reload" for e in evs), evs
    assert d.tree_healthy()


@pytest.mark.parametrize("bad", ['{"labels": ["e2e=bad"], "no-such-key": 1}', '{"labels": ["e2e=bad"'])
def test_sighup_with_bad_file_keeps_running_config(make_daemon, bad):
    d = make_daemon([], config={"labels": ["e2e=one"]})
    d.write_config(bad)
    d.signal(signal.SIGHUP)
    time.sleep(1.5)  # nothing observable is meant to happen: give the reload time to be tried
    assert d.running(), d.log_tail()
    assert d.get("/_ping").status == 200
    labels = _labels(d)
    assert "e2e=one" in labels and "e2e=bad" not in labels, labels
    if "no-such-key" in bad:
        assert "no-such-key" in d.log_tail(200), "the rejected reload should name the bad key in the log"
    # a good file afterwards is applied as usual
    d.write_config({"labels": ["e2e=good"]})
    d.reload()
    assert "e2e=good" in _labels(d)
    assert d.tree_healthy()


# ----------------------------------------------------------------------------- --validate

def _validate(binary, *args, timeout=30):
    return subprocess.run([binary, "--validate", *args], capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)


@pytest.fixture
def cfgdir(tmp_path):
    return tmp_path


def _write(path, text):
    path.write_text(text if isinstance(text, str) else json.dumps(text))
    return str(path)


def test_validate_good_config(berthd_bin, cfgdir):
    f = _write(cfgdir / "good.json", {"labels": ["a=b"], "debug": True, "log-level": "debug",
                                      "shutdown-timeout": 10, "live-restore": False,
                                      "max-concurrent-downloads": 2, "max-concurrent-uploads": 2})
    cp = _validate(berthd_bin, "--config-file", f)
    assert cp.returncode == 0, cp.stdout + cp.stderr


def test_validate_example_config(berthd_bin):
    example = REPO_ROOT / "config" / "daemon.json"
    cp = _validate(berthd_bin, "--config-file", str(example))
    assert cp.returncode == 0, cp.stdout + cp.stderr


def test_validate_unknown_key(berthd_bin, cfgdir):
    f = _write(cfgdir / "bad.json", {"no-such-key": 1})
    cp = _validate(berthd_bin, "--config-file", f)
    assert cp.returncode != 0
    assert "no-such-key" in cp.stdout + cp.stderr


def test_validate_broken_json(berthd_bin, cfgdir):
    f = _write(cfgdir / "broken.json", '{"debug": true,')
    cp = _validate(berthd_bin, "--config-file", f)
    assert cp.returncode != 0
    assert (cp.stdout + cp.stderr).strip(), "a rejected file needs a message"


def test_validate_wrong_type(berthd_bin, cfgdir):
    f = _write(cfgdir / "type.json", {"shutdown-timeout": "soon"})
    cp = _validate(berthd_bin, "--config-file", f)
    assert cp.returncode != 0
    assert "shutdown-timeout" in cp.stdout + cp.stderr


def test_validate_flag_and_file_conflict(berthd_bin, cfgdir):
    f = _write(cfgdir / "conflict.json", {"debug": True})
    cp = _validate(berthd_bin, "--config-file", f, "--debug")
    out = cp.stdout + cp.stderr
    assert cp.returncode != 0
    assert "debug" in out and "both" in out.lower(), out


def test_conflict_also_refuses_to_start(make_daemon):
    d = make_daemon(["--label", "x=y"], start=False, config={"labels": ["a=b"]})
    d.start(wait=False)
    rc = d.wait_exit(STOP_TIMEOUT)
    assert rc is not None and rc != 0, d.log_tail()
    assert "labels" in d.log_tail(200)


def test_validate_without_default_file(berthd_bin):
    if os.path.exists("/etc/berth/daemon.json"):
        pytest.skip("/etc/berth/daemon.json exists on this machine")
    cp = _validate(berthd_bin)
    assert cp.returncode == 0, cp.stdout + cp.stderr


# ----------------------------------------------------------------------------- listeners and flags

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unix_and_tcp_hosts_and_flags(make_daemon):
    port = _free_port()
    d = make_daemon(["-H", f"tcp://127.0.0.1:{port}", "-D", "--label", "a=b", "--label", "c=d",
                     "--live-restore", "--shutdown-timeout", "5", "--log-level", "debug"])
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", "/_ping")
        r = conn.getresponse()
        assert r.status == 200 and r.read() == b"OK"
    finally:
        conn.close()
    info = d.info()
    assert "a=b" in info["Labels"] and "c=d" in info["Labels"], info["Labels"]
    if "Debug" in info:
        assert info["Debug"] is True
    if "LiveRestoreEnabled" in info:
        assert info["LiveRestoreEnabled"] is True
    t0 = time.monotonic()
    assert d.stop() == 0, d.log_tail()
    assert time.monotonic() - t0 < 5.5


SOCKET_ACTIVATE = """
import os, sys
fd = int(sys.argv[1])
if fd != 3:
    os.dup2(fd, 3)
    os.close(fd)
os.environ["LISTEN_FDS"] = "1"
os.environ["LISTEN_PID"] = str(os.getpid())
os.execv(sys.argv[2], sys.argv[2:])
"""


def test_socket_activation_fd(make_daemon):
    d = make_daemon(start=False, standard_flags=False, name="activated")
    d.sock = os.path.join(d.dir, "act.sock")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(d.sock)
    listener.listen(64)
    try:
        fd = listener.fileno()
        cmd = [sys.executable, "-c", SOCKET_ACTIVATE, str(fd), d.binary,
               "--data-root", d.data_root, "--exec-root", d.exec_root, "--pidfile", d.pidfile, "-H", "fd://"]
        d.start(cmd=cmd, pass_fds=(fd,))
    finally:
        listener.close()  # the daemon holds its own copy
    assert d.get("/_ping").status == 200
    assert d.get_json("/version")["ApiVersion"]
    assert d.stop() == 0, d.log_tail()


# ----------------------------------------------------------------------------- systemd notify

class NotifyListener:
    """Binds a NOTIFY_SOCKET and records (time, sender pid, {key: value}) for each datagram."""

    def __init__(self, path: str):
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(path)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
        self.sock.settimeout(0.2)
        self.messages: list[tuple[float, int | None, dict]] = []
        self.lock = threading.Lock()
        self.stopped = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stopped:
            try:
                data, anc, _, _ = self.sock.recvmsg(4096, socket.CMSG_SPACE(12))
            except (socket.timeout, TimeoutError):
                continue
            except OSError:
                return
            pid = None
            for level, typ, cdata in anc:
                if level == socket.SOL_SOCKET and typ == socket.SCM_CREDENTIALS and len(cdata) >= 12:
                    pid = struct.unpack("iII", cdata[:12])[0]
            fields = {}
            for line in data.decode("utf-8", "replace").splitlines():
                k, _, v = line.partition("=")
                if k:
                    fields[k] = v
            with self.lock:
                self.messages.append((time.monotonic(), pid, fields))

    def snapshot(self):
        with self.lock:
            return list(self.messages)

    def index_of(self, key, value="1", start=0, pid=None):
        for i, (_, sender, f) in enumerate(self.snapshot()[start:], start):
            if f.get(key) == value and (pid is None or sender == pid):
                return i
        return None

    def wait_for(self, key, value="1", start=0, timeout=30.0, pid=None):
        """Index of the first `key=value` at or after `start` (from `pid` only, if given)."""
        return wait_until(lambda: (i := self.index_of(key, value, start, pid)) is not None and (i,),
                          timeout, 0.02, f"{key}={value} on NOTIFY_SOCKET")[0]

    def close(self):
        self.stopped = True
        self.thread.join(timeout=2)
        self.sock.close()


def test_sd_notify_protocol(make_daemon):
    d = make_daemon(start=False, config={"labels": ["n=1"]}, name="notify")
    listener = NotifyListener(os.path.join(d.dir, "notify.sock"))
    try:
        d.env.update({"NOTIFY_SOCKET": listener.path, "WATCHDOG_USEC": "400000"})
        d.start(wait=False)
        ready = listener.wait_for("READY", timeout=30, pid=d.pid)
        # READY=1 only once the whole tree is up
        assert d.tree_healthy(), d.supervision()
        assert d.get("/_ping").status == 200

        # the watchdog is pinged well within 400 ms
        t_ready = listener.snapshot()[ready][0]
        time.sleep(1.6)
        pings = [t for t, pid, f in listener.snapshot() if f.get("WATCHDOG") == "1" and pid == d.pid and t >= t_ready]
        assert len(pings) >= 3, f"{len(pings)} WATCHDOG=1 in 1.6 s"
        gaps = [b - a for a, b in zip(pings, pings[1:])]
        assert max(gaps) < 0.4, gaps

        # SIGHUP: RELOADING=1, then READY=1
        n = len(listener.snapshot())
        d.write_config({"labels": ["n=2"]})
        d.signal(signal.SIGHUP)
        reloading = listener.wait_for("RELOADING", start=n, timeout=15, pid=d.pid)
        listener.wait_for("READY", start=reloading + 1, timeout=15, pid=d.pid)
        wait_until(lambda: "n=2" in d.info()["Labels"], 5, 0.1, "the reloaded labels")

        # SIGTERM: STOPPING=1, then a clean exit
        n = len(listener.snapshot())
        d.signal(signal.SIGTERM)
        listener.wait_for("STOPPING", start=n, timeout=DEFAULT_SHUTDOWN_TIMEOUT, pid=d.pid)
        assert d.wait_exit(STOP_TIMEOUT) == 0, d.log_tail()

        # With NotifyAccess=main systemd ignores (and logs) messages from any other process: berthd must
        # not pass NOTIFY_SOCKET on to the processes it starts (containerd speaks sd_notify too).
        others = [(pid, f) for _, pid, f in listener.snapshot() if pid != d.pid]
        assert not others, f"notify messages from processes other than berthd ({d.pid}): {others[:5]}"
    finally:
        listener.close()


def test_no_notify_socket_is_fine(make_daemon):
    d = make_daemon([], env={"WATCHDOG_USEC": "400000"})
    time.sleep(1)
    assert d.running() and d.get("/_ping").status == 200
