"""The two daemons under test, each on its own temp dir (data-root, exec-root, socket, pidfile, log),
its own TCP listener on 127.0.0.1 (for wrk), its own default bridge device and its own containerd.

`start()` measures start-to-ready (spawn until `GET /_ping` answers on the unix socket); `stop()`
measures SIGTERM-to-exit. Every wait is bounded; a daemon that fails to start raises `DaemonError`
with the tail of its log. `cleanup()` gives back everything: containers, processes, mounts, the
temp dir, and the bridge devices and files the run created.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time

from berth_host import delete_bridge_rules

from . import host
from .api import Api, ping, query

READY_TIMEOUT = 90.0
STOP_TIMEOUT = 60.0  # both daemons: shutdown-timeout 15 s, containers' stop timeout 10 s


class DaemonError(RuntimeError):
    pass


class Daemon:
    kind = "daemon"

    def __init__(self, binary: str, bip: str, token: str):
        self.binary = binary
        self.bip = bip
        self.dir = tempfile.mkdtemp(prefix=f"bb{self.kind[0]}-", dir="/tmp")  # short: socket paths < 108 bytes
        self.sock = os.path.join(self.dir, "api.sock")
        self.data_root = os.path.join(self.dir, "data")
        self.exec_root = os.path.join(self.dir, "exec")
        self.pidfile = os.path.join(self.dir, "daemon.pid")
        self.log_path = os.path.join(self.dir, "daemon.log")
        self.config_path = os.path.join(self.dir, "daemon.json")
        with open(self.config_path, "w") as f:
            f.write("{}\n")  # never the host's /etc/.../daemon.json
        self.bridge = f"bbn{self.kind[0]}{token}"
        self.tcp_port = host.free_tcp_port()
        # The TCP listener is on only while the api workload runs: dockerd sleeps 1 s at start when it
        # binds TCP without TLS ("Be safe out there!"), which would swamp its start-to-ready figure.
        self.tcp = False
        self.proc: subprocess.Popen | None = None
        self.starts = 0
        self.peak = {"daemon": 0.0, "containerd": 0.0}
        self.notes: list[str] = []

    # -- what differs between the two

    def command(self) -> list[str]:
        raise NotImplementedError

    def setup_host(self):
        pass

    def teardown_host(self):
        pass

    def helper_pids(self) -> set[int]:
        """Processes the benchmark started for this daemon that outlive its restarts."""
        return set()

    def containerd_pid(self) -> int | None:
        """Its containerd: a child of the daemon process."""
        if self.proc is None or self.proc.poll() is not None:
            return None
        for pid in host.children(self.proc.pid):
            if host.comm(pid) == "containerd":
                return pid
        return None

    # -- process control

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.tcp_port}"

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log_tail(self, lines: int = 30) -> str:
        try:
            with open(self.log_path, "rb") as f:
                text = f.read().decode("utf-8", "replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def start(self, timeout: float = READY_TIMEOUT) -> float:
        """Spawns the daemon; returns seconds until `/_ping` answers."""
        if self.running():
            raise DaemonError(f"{self.kind} is already running")
        if self.starts == 0:
            self.setup_host()
        self.starts += 1
        env = {k: v for k, v in os.environ.items()
               if k not in ("NOTIFY_SOCKET", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES", "DOCKER_HOST")}
        log = open(self.log_path, "ab")
        log.write(f"\n=== berthbench: start {self.starts}: {' '.join(self.command())}\n".encode())
        log.flush()
        t0 = time.perf_counter()
        try:
            self.proc = subprocess.Popen(self.command(), stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                         env=env, start_new_session=True)
        finally:
            log.close()
        while True:
            elapsed = time.perf_counter() - t0
            if self.proc.poll() is not None:
                raise DaemonError(f"{self.kind} exited with status {self.proc.returncode} while starting "
                                  f"(log {self.log_path}):\n{self.log_tail()}")
            if ping(self.sock, timeout=1.0):
                return time.perf_counter() - t0
            if elapsed > timeout:
                raise DaemonError(f"{self.kind} did not answer /_ping within {timeout:.0f} s "
                                  f"(log {self.log_path}):\n{self.log_tail()}")
            time.sleep(0.005)

    def memory(self) -> dict:
        """Resident memory now (MiB) of the daemon and of its containerd; updates the peaks."""
        ctd = self.containerd_pid()
        d = host.memory_mib(self.proc.pid if self.running() else None)
        c = host.memory_mib(ctd)
        self.peak["daemon"] = max(self.peak["daemon"], d.get("VmHWM", 0.0))
        self.peak["containerd"] = max(self.peak["containerd"], c.get("VmHWM", 0.0))
        return {"daemon": d.get("VmRSS"), "containerd": c.get("VmRSS")}

    def restart(self, tcp: bool) -> float:
        """Stops the daemon and starts it again with or without its TCP listener."""
        self.stop()
        self.tcp = tcp
        return self.start()

    def listeners(self) -> list[str]:
        hosts = ["-H", f"unix://{self.sock}"]
        return hosts + (["-H", f"tcp://127.0.0.1:{self.tcp_port}"] if self.tcp else [])

    def cpu(self) -> dict:
        """CPU seconds used so far by the daemon and by its containerd (each with reaped children)."""
        return {"daemon": host.cpu_seconds(self.proc.pid if self.running() else None),
                "containerd": host.cpu_seconds(self.containerd_pid())}

    def stop(self, timeout: float = STOP_TIMEOUT) -> float | None:
        """SIGTERM; seconds until the process exits, or None if it had to be killed after `timeout`."""
        if not self.running():
            return 0.0
        self.memory()  # the peaks of this incarnation
        ctd = Daemon.containerd_pid(self)  # only a containerd the daemon started itself
        t0 = time.perf_counter()
        host.kill(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=timeout)
            elapsed = time.perf_counter() - t0
        except subprocess.TimeoutExpired:
            self.notes.append(f"did not exit within {timeout:.0f} s of SIGTERM: killed")
            host.kill(self.proc.pid)
            self.proc.wait(timeout=10)
            elapsed = None
        if ctd:  # the daemon stops its own containerd; give it a bounded moment, then make sure
            deadline = time.monotonic() + 10
            while host.alive(ctd) and time.monotonic() < deadline:
                time.sleep(0.05)
            if host.alive(ctd):
                self.notes.append("its containerd outlived it: killed")
                host.kill(ctd)
        return elapsed

    def remove_all_containers(self, deadline_s: float = 120.0):
        """Best effort: force-remove every container (bounded)."""
        deadline = time.monotonic() + deadline_s
        with Api(self.sock, timeout=10) as api:
            for c in api.get(query("/containers/json", all=1)):
                if time.monotonic() > deadline:
                    break
                try:
                    api.remove(c["Id"], force=True)
                except Exception:  # noqa: BLE001 - best effort
                    pass

    def cleanup(self, keep: bool = False, save_log: str | None = None):
        """Stops the daemon and gives back everything it and the run made (its log copied to
        `save_log` first). Never raises."""
        steps = [self._cleanup_containers, self._cleanup_process, self._cleanup_leftovers,
                 lambda: host.unmount_all_under(self.dir), self.teardown_host]
        if save_log:
            steps.append(lambda: shutil.copyfile(self.log_path, save_log))
        if not keep:
            steps.append(lambda: shutil.rmtree(self.dir, ignore_errors=True))
        for step in steps:
            try:
                step()
            except Exception as e:  # noqa: BLE001 - cleanup goes on
                print(f"  cleanup of {self.kind}: {e}")

    def _cleanup_containers(self):
        if self.running() and ping(self.sock):
            self.remove_all_containers(deadline_s=60)

    def _cleanup_process(self):
        if self.running():
            self.stop(timeout=30)

    def _cleanup_leftovers(self):
        for _ in range(2):
            pids = host.processes_of(self.dir, exclude=self.helper_pids())
            for pid in pids:
                host.kill(pid)
            if not pids:
                break
            time.sleep(0.3)


class Berthd(Daemon):
    kind = "berthd"

    def command(self) -> list[str]:
        return [self.binary, "--config-file", self.config_path, "--data-root", self.data_root,
                "--exec-root", self.exec_root, "--pidfile", self.pidfile, *self.listeners(),
                "--bridge", self.bridge, "--bip", self.bip]

    def teardown_host(self):
        # berthd leaves its default bridge device and the bridge's iptables rules by design
        host.delete_link(self.bridge)
        delete_bridge_rules(self.bridge)


class Dockerd(Daemon):
    """The reference: Debian's dockerd on its own bridge (created here first: `--bridge=none` would
    delete the host's docker0), with iptables and ip-forward management off so it leaves the host's
    firewall and sysctls alone (berthd's per-network rules are not skipped: see README)."""

    kind = "dockerd"
    SYSTEM_CONTAINERD = "/run/containerd/containerd.sock"

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.private_containerd: subprocess.Popen | None = None
        self.created_paths: list[str] = []

    def command(self) -> list[str]:
        cmd = [self.binary, "--config-file", self.config_path, "--data-root", self.data_root,
               "--exec-root", self.exec_root, "--pidfile", self.pidfile, *self.listeners(),
               "--bridge", self.bridge, "--iptables=false", "--ip-forward=false"]
        if self.private_containerd is not None:
            cmd += ["--containerd", self._containerd_sock()]
        return cmd

    def _containerd_sock(self) -> str:
        return os.path.join(self.dir, "ctd", "containerd.sock")

    def setup_host(self):
        for path in ("/run/docker/plugins", "/run/docker", "/etc/docker/key.json"):
            if not os.path.exists(path):
                self.created_paths.append(path)  # dockerd makes these; given back in teardown
        host.create_bridge(self.bridge, self.bip)
        if os.path.exists(self.SYSTEM_CONTAINERD):
            # dockerd 20.10 would use the host's containerd: give it a private one instead.
            self._start_private_containerd()

    def _start_private_containerd(self):
        base = os.path.join(self.dir, "ctd")
        os.makedirs(base, exist_ok=True)
        config = os.path.join(base, "config.toml")
        with open(config, "w") as f:
            f.write(f'version = 2\nroot = "{base}/root"\nstate = "{base}/state"\n'
                    f'disabled_plugins = ["io.containerd.grpc.v1.cri"]\n'
                    f'[grpc]\n  address = "{self._containerd_sock()}"\n'
                    f'[ttrpc]\n  address = "{self._containerd_sock()}.ttrpc"\n'
                    f'[debug]\n  address = "{base}/debug.sock"\n')
        log = open(os.path.join(base, "containerd.log"), "ab")
        self.private_containerd = subprocess.Popen(["containerd", "--config", config], stdin=subprocess.DEVNULL,
                                                   stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        deadline = time.monotonic() + 20
        while not os.path.exists(self._containerd_sock()):
            if self.private_containerd.poll() is not None or time.monotonic() > deadline:
                raise DaemonError("the private containerd for dockerd did not start: see " + base + "/containerd.log")
            time.sleep(0.05)
        self.notes.append("the host runs a containerd at /run/containerd: dockerd got a private one started by the "
                          "benchmark (its start is then not in dockerd's start-to-ready)")

    def helper_pids(self) -> set[int]:
        return {self.private_containerd.pid} if self.private_containerd is not None else set()

    def containerd_pid(self) -> int | None:
        if self.private_containerd is not None:
            return self.private_containerd.pid if self.private_containerd.poll() is None else None
        return super().containerd_pid()

    def _cleanup_process(self):
        super()._cleanup_process()
        if self.private_containerd is not None and self.private_containerd.poll() is None:
            self.private_containerd.terminate()
            try:
                self.private_containerd.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.private_containerd.kill()
                self.private_containerd.wait(timeout=10)

    def teardown_host(self):
        host.delete_link(self.bridge)
        for path in self.created_paths:
            try:
                if os.path.isdir(path):
                    os.rmdir(path)  # only if still empty
                elif os.path.exists(path):
                    os.remove(path)
            except OSError:
                pass
