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
