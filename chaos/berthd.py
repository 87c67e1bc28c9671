"""The berthd under test: one process on a private temp dir (data root, exec root, socket, pidfile,
daemon.json with live-restore), started, killed with -9 and restarted with the same flags as systemd
would, and its API over the unix socket (ping, supervision tree, faults)."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "e2e"))
from berth_host import UnixHTTPConnection  # noqa: E402

CHILDREN = ["containerd", "plugins", "volumes", "containers", "graphdriver", "images", "network", "restore", "api"]
READY_TIMEOUT = 60.0


class Berthd:
    def __init__(self, binary: str, base_dir: str | None = None):
        self.binary = binary
        self.dir = base_dir or tempfile.mkdtemp(prefix="chaos-", dir="/tmp")  # short: socket paths < 108 bytes
        self.sock = os.path.join(self.dir, "berth.sock")
        self.data_root = os.path.join(self.dir, "data")
        self.exec_root = os.path.join(self.dir, "exec")
        self.pidfile = os.path.join(self.dir, "berthd.pid")
        self.config_path = os.path.join(self.dir, "daemon.json")
        self.log_path = os.path.join(self.dir, "berthd.log")
        self.bridge = "chaos0"
        self.proc: subprocess.Popen | None = None
        self.starts = 0
        # held while berthd is being killed or restarted, so the exit watcher and the driver do not race
        self.lock = threading.RLock()

    # -- configuration and process

    def write_config(self, live_restore: bool):
        tmp = self.config_path + ".tmp"
        with open(tmp, "w") as f:
            json.dump({"live-restore": live_restore}, f)
        os.replace(tmp, self.config_path)

    def command(self) -> list[str]:
        return [self.binary, "--data-root", self.data_root, "--exec-root", self.exec_root,
                "-H", f"unix://{self.sock}", "--pidfile", self.pidfile, "--bridge", self.bridge,
                "--config-file", self.config_path, "--fault-injection"]

    def start(self):
        """Starts berthd (as systemd's ExecStart would) and waits until it answers /_ping."""
        env = {k: v for k, v in os.environ.items() if k not in ("NOTIFY_SOCKET", "LISTEN_FDS", "LISTEN_PID")}
        with open(self.log_path, "ab") as log:
            log.write(f"\n===== chaos: start #{self.starts + 1} at {time.strftime('%H:%M:%S')} =====\n".encode())
            log.flush()
            self.proc = subprocess.Popen(self.command(), stdin=subprocess.DEVNULL, stdout=log,
                                         stderr=subprocess.STDOUT, env=env, start_new_session=True)
        self.starts += 1
        return self.wait_ready()

    def wait_ready(self, timeout: float = READY_TIMEOUT) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            if self.ping():
                return True
            time.sleep(0.05)
        return False

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill9(self):
        """kill -9 of berthd alone (its containerd, shims and containers are not touched)."""
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)

    def terminate(self, timeout: float = 90.0) -> int | None:
        """SIGTERM and wait; the exit status, or None when it had to be killed."""
        if not self.running():
            return self.proc.returncode if self.proc else None
        os.kill(self.proc.pid, signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill9()
            return None

    def log_tail(self, lines: int = 30, grep: str | None = None) -> list[str]:
        try:
            with open(self.log_path, "rb") as f:
                text = f.read().decode("utf-8", "replace").splitlines()
        except OSError:
            return []
        if grep:
            text = [line for line in text if grep in line]
        return text[-lines:]

    # -- API

    def request(self, method: str, path: str, body=None, timeout: float = 10.0) -> tuple[int, bytes]:
        conn = UnixHTTPConnection(self.sock, timeout=timeout)
        try:
            data = json.dumps(body).encode() if body is not None else None
            conn.request(method, path, body=data, headers={"Content-Type": "application/json"} if data else {})
            resp = conn.getresponse()
            return resp.status, resp.read()
        finally:
            conn.close()

    def get_json(self, path: str, timeout: float = 10.0):
        status, body = self.request("GET", path, timeout=timeout)
        if status != 200:
            raise RuntimeError(f"GET {path}: {status} {body[:200]!r}")
        return json.loads(body)

    def ping(self) -> bool:
        try:
            return self.request("GET", "/_ping", timeout=2)[0] == 200
        except (OSError, http.client.HTTPException):
            return False

    def tree(self) -> dict | None:
        try:
            return self.get_json("/debug/supervision", timeout=5)
        except (OSError, http.client.HTTPException, RuntimeError, ValueError):
            return None

    def child(self, name: str) -> dict | None:
        tree = self.tree()
        return next((c for c in tree["children"] if c["name"] == name), None) if tree else None

    def healthy(self) -> bool:
        tree = self.tree()
        if not tree or tree.get("state") != "running":
            return False
        return all(c["state"] == ("completed" if c["name"] == "restore" else "running") for c in tree["children"])

    def fault(self, child: str, fault: str, **extra) -> str:
        status, body = self.request("POST", "/debug/faults", {"child": child, "fault": fault, **extra})
        return f"{status} {body.decode('utf-8', 'replace').strip()[:200]}"

    def clear_faults(self) -> int:
        return self.request("DELETE", "/debug/faults")[0]

    def containerd_pid(self) -> int | None:
        """containerd's pid from the tree (`info.pid`), else from its pidfile; only if that process is a
        containerd of this berthd (its command line names our exec root)."""
        candidates = []
        c = self.child("containerd")
        if c and str((c.get("info") or {}).get("pid", "")).isdigit():
            candidates.append(int(c["info"]["pid"]))
        try:
            with open(os.path.join(self.exec_root, "containerd", "containerd.pid")) as f:
                candidates.append(int(f.read().strip()))
        except (OSError, ValueError):
            pass
        for pid in candidates:
            cmd = cmdline(pid)
            if "containerd" in cmd and self.dir in cmd and "shim" not in cmd:
                return pid
        return None

    def containerd_socket(self) -> str:
        return os.path.join(self.exec_root, "containerd", "containerd.sock")

    def ours(self) -> list[tuple[int, str]]:
        """Processes other than berthd whose command line names our dir: containerd and its shims."""
        found = []
        for entry in os.listdir("/proc"):
            if entry.isdigit() and not (self.proc and int(entry) == self.proc.pid):
                cmd = cmdline(int(entry))
                if self.dir in cmd and alive(int(entry)):
                    found.append((int(entry), cmd))
        return found


def cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()
    except OSError:
        return ""


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[-1].split()[0] not in ("Z", "X")
    except OSError:
        return False


def zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[-1].split()[0] == "Z"
    except OSError:
        return False
