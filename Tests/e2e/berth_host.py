"""What the end-to-end suite and the benchmark (bench/berthbench) both need to talk to a berthd and to
clean up after one: HTTP over its unix socket, and the iptables rules it leaves for its bridges.
Standard library only (the benchmark runs without pytest)."""

from __future__ import annotations

import http.client
import shlex
import socket
import subprocess


class UnixHTTPConnection(http.client.HTTPConnection):
    """An HTTP/1.1 connection to a unix socket (Host header: `berth`)."""

    def __init__(self, path: str, timeout: float = 10.0):
        super().__init__("berth", timeout=timeout)
        self.unix_path = path

    def connect(self):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        try:
            sock.connect(self.unix_path)
        except BaseException:
            sock.close()
            raise
        self.sock = sock


def delete_bridge_rules(device: str):
    """Deletes the iptables rules berthd set up for the bridge `device` (comment `berth:<device>`)."""
    for table in ("nat", "filter"):
        listing = subprocess.run(["iptables", "-w", "-t", table, "-S"], capture_output=True, text=True).stdout
        for line in listing.splitlines():
            if line.startswith("-A ") and f'"berth:{device}"' in line:
                subprocess.run(["iptables", "-w", "-t", table, "-D", *shlex.split(line)[1:]], capture_output=True)


BERTH_CHAINS = ("BERTH-FORWARD", "BERTH-ISOLATION-STAGE-1", "BERTH-ISOLATION-STAGE-2")
HOST_SETTINGS = ("/proc/sys/net/ipv4/ip_forward", "/proc/sys/net/bridge/bridge-nf-call-iptables")


def forward_policy() -> str:
    """The filter FORWARD chain's policy (ACCEPT or DROP)."""
    listing = subprocess.run(["iptables", "-w", "-S", "FORWARD"], capture_output=True, text=True).stdout
    return next((line.split()[2] for line in listing.splitlines() if line.startswith("-P FORWARD")), "ACCEPT")


class HostNetworkState:
    """What berthd changes on the host once and, like dockerd, leaves when it stops: IP forwarding, the
    FORWARD policy (DROP when berthd turned forwarding on), br_netfilter's `bridge-nf-call-iptables`, and
    its chains. Taken before daemons run, `restore()` puts the host back as it was."""

    def __init__(self):
        self.settings = {}
        for path in HOST_SETTINGS:
            try:
                with open(path) as f:
                    self.settings[path] = f.read().strip()
            except OSError:  # br_netfilter not loaded: once berthd loads it, bridged traffic is not filtered
                self.settings[path] = "0"
        self.policy = forward_policy()
        listing = subprocess.run(["iptables", "-w", "-S"], capture_output=True, text=True).stdout
        self.had_chains = f"-N {BERTH_CHAINS[0]}" in listing.splitlines()

    def restore(self):
        self._delete_chains()
        subprocess.run(["iptables", "-w", "-P", "FORWARD", self.policy], capture_output=True)
        for path, value in self.settings.items():
            try:
                with open(path, "w") as f:
                    f.write(value + "\n")
            except OSError:
                pass

    def _delete_chains(self):
        """Deletes berthd's chains and the jumps into them, unless they were there before (a berthd of the
        host's own)."""
        if self.had_chains:
            return
        listing = subprocess.run(["iptables", "-w", "-S"], capture_output=True, text=True).stdout
        for line in listing.splitlines():
            words = shlex.split(line)
            if line.startswith("-A ") and words[1] not in BERTH_CHAINS and "-j" in words and words[-1] in BERTH_CHAINS:
                subprocess.run(["iptables", "-w", "-D", *words[1:]], capture_output=True)
        for flag in ("-F", "-X"):
            for chain in BERTH_CHAINS:
                subprocess.run(["iptables", "-w", flag, chain], capture_output=True)
