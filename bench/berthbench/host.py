"""What the benchmark touches on the host, and how it gives it back: bridge devices (each daemon its
own, never docker0), free subnets, mounts and processes under its temp dirs, and /proc readings."""

from __future__ import annotations

import ipaddress
import json
import os
import signal
import socket
import subprocess

# Candidate subnets for the two default bridges: /24s that overlap no route or address on the host.
CANDIDATES = [f"172.31.{n}.0/24" for n in range(200, 255)] + [f"172.30.{n}.0/24" for n in range(200, 255)]


def run(cmd: list[str], check: bool = True, timeout: float = 30.0) -> subprocess.CompletedProcess:
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if check and p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: exit {p.returncode}: {p.stderr.strip()}")
    return p


def _taken_networks() -> list[ipaddress.IPv4Network]:
    taken = []
    for cmd in (["ip", "-j", "-4", "route", "show", "table", "all"], ["ip", "-j", "-4", "addr"]):
        try:
            doc = json.loads(run(cmd).stdout or "[]")
        except (RuntimeError, ValueError):
            continue
        for entry in doc:
            dsts = [entry.get("dst")] + [f"{a['local']}/{a.get('prefixlen', 32)}" for a in entry.get("addr_info", [])]
            for dst in dsts:
                if not dst or dst == "default":
                    continue
                try:
                    taken.append(ipaddress.ip_network(dst, strict=False))
                except ValueError:
                    pass
    return taken


def free_subnets(count: int) -> list[str]:
    """`count` gateway/prefix strings (like 172.31.200.1/24) in subnets nobody on the host uses."""
    taken = _taken_networks()
    found = []
    for cand in CANDIDATES:
        net = ipaddress.ip_network(cand)
        if not any(net.overlaps(t) for t in taken):
            found.append(f"{next(net.hosts())}/{net.prefixlen}")
            if len(found) == count:
                return found
    raise RuntimeError("no free /24 among the candidate subnets for the benchmark's bridges")


def link_exists(name: str) -> bool:
    return os.path.exists(f"/sys/class/net/{name}")


def create_bridge(name: str, address: str):
    """A bridge device with one address, up (for dockerd's `--bridge`)."""
    run(["ip", "link", "add", name, "type", "bridge"])
    run(["ip", "addr", "add", address, "dev", name])
    run(["ip", "link", "set", name, "up"])


def delete_link(name: str):
    if link_exists(name):
        run(["ip", "link", "delete", name], check=False)


def free_tcp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def mounts_under(path: str) -> list[str]:
    prefix = path.rstrip("/") + "/"
    with open("/proc/self/mountinfo") as f:
        points = [line.split()[4] for line in f]
    return [p for p in points if p.startswith(prefix) or p == path]


def unmount_all_under(path: str):
    for point in sorted(set(mounts_under(path)), key=len, reverse=True):
        run(["umount", "-l", point], check=False)


def read_proc(pid: int, name: str) -> str | None:
    try:
        with open(f"/proc/{pid}/{name}", "rb") as f:
            return f.read().decode("utf-8", "replace")
    except OSError:
        return None


def alive(pid: int) -> bool:
    stat = read_proc(pid, "stat")
    return bool(stat) and stat.rsplit(")", 1)[-1].split()[0] not in ("Z", "X")


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = read_proc(int(entry), "stat")
            if stat and int(stat.rsplit(")", 1)[-1].split()[1]) == pid:
                found.append(int(entry))
    return found


def comm(pid: int) -> str:
    return (read_proc(pid, "comm") or "").strip()


def processes_of(directory: str, exclude: set[int] = frozenset()) -> list[int]:
    """Processes that belong to a daemon's temp dir: its command line names the dir (containerd, shims)
    or its root is under it (container processes)."""
    found = []
    me = os.getpid()
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) in exclude or int(entry) == me:
            continue
        pid = int(entry)
        cmd = (read_proc(pid, "cmdline") or "").replace("\0", " ")
        try:
            root = os.readlink(f"/proc/{pid}/root")
        except OSError:
            root = ""
        if (directory in cmd or root.startswith(directory + "/")) and alive(pid):
            found.append(pid)
    return found


def kill(pid: int, sig=signal.SIGKILL):
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def memory_mib(pid: int | None) -> dict:
    """VmRSS and VmHWM (peak resident) of a process, in MiB; empty when it is gone."""
    if not pid:
        return {}
    status = read_proc(pid, "status") or ""
    out = {}
    for line in status.splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(rest.split()[0]) / 1024.0
    return out


_TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int | None) -> float:
    """CPU time of a process so far, user + system, with that of the children it has reaped
    (the CNI plugins, runc or iptables it ran); 0 when it is gone."""
    stat = read_proc(pid, "stat") if pid else None
    if not stat:
        return 0.0
    fields = stat.rsplit(")", 1)[-1].split()
    return sum(int(x) for x in fields[11:15]) / _TICK  # utime stime cutime cstime
