"""Clients that drive berthd with the docker CLI."""

from __future__ import annotations

import json

from loops import Loop

SHARED_NETWORK = "chaos-shared-net"
SHARED_VOLUME = "chaos-shared-vol"
KEEP_RUNNING = 3   # containers a loop leaves running on purpose (they must survive every fault)


def printed(expected: str):
    """A check that the command printed `expected` (and nothing else)."""
    return lambda out: None if out.strip() == expected else f"printed {out.strip()[:100]!r}, not {expected!r}"


class CliRun(Loop):
    """`docker run --rm`, on the default bridge or on the shared user network with the shared volume."""

    def step(self, i: int):
        name, token = f"{self.prefix}{i}", f"tok{i}x{self.rng.randrange(10**6)}"
        self.pending("container", name)
        if i % 2:
            script = f"echo {token} > /data/{name} && cat /data/{name} && rm /data/{name}"
            self.op("cli run --rm (user net, volume)", lambda: self.cli(
                "run", "--rm", "--name", name, "--network", SHARED_NETWORK, "-v", f"{SHARED_VOLUME}:/data",
                self.image, "sh", "-c", script), printed(token))
        else:
            self.op("cli run --rm", lambda: self.cli("run", "--rm", "--name", name, self.image, "echo", token),
                    printed(token))
        self.removed("container", name)


class CliLifecycle(Loop):
    """create, start, network connect, exec, logs, inspect, stop, rm, network rm; every fifth container
    stays running (up to KEEP_RUNNING) with its own network."""

    kept = 0

    def step(self, i: int):
        name, net, token = f"{self.prefix}{i}", f"{self.prefix}net{i}", f"ok{i}"
        self.pending("network", net)
        self.op("cli network create", lambda: self.cli("network", "create", net))
        self.created("network", net)
        self.pending("container", name)
        self.op("cli create", lambda: self.cli("create", "--name", name, "--network", SHARED_NETWORK, self.image,
                                               "sh", "-c", "echo started; exec sleep 86400"))
        self.created("container", name)
        self.op("cli start", lambda: self.cli("start", name))
        self.op("cli network connect", lambda: self.cli("network", "connect", net, name))
        self.op("cli exec", lambda: self.cli("exec", name, "echo", token), printed(token))
        self.check_logs(name)
        self.op("cli inspect", lambda: json.loads(self.cli("inspect", name))[0], lambda doc: inspect_problem(doc, name, net))
        if i % 5 == 1 and self.kept < KEEP_RUNNING:
            self.kept += 1
            self.ledger.kept_running.add(name)
            return
        self.pending("container", name)
        self.op("cli stop", lambda: self.cli("stop", "-t", "1", name))
        self.op("cli rm", lambda: self.cli("rm", name))
        self.removed("container", name)
        self.pending("network", net)
        self.op("cli network rm", lambda: self.cli("network", "rm", net))
        self.removed("network", net)

    def check_logs(self, name: str):
        out = self.op("cli logs", lambda: self.cli("logs", name))
        if "started" not in out:  # the line may still be on its way to the log file: one more look
            self.stop_event.wait(1.0)
            self.op("cli logs", lambda: self.cli("logs", name),
                    lambda again: None if "started" in again else f"logs printed {again[:100]!r}, no 'started'")


def inspect_problem(doc: dict, name: str, net: str) -> str | None:
    networks = set((doc.get("NetworkSettings") or {}).get("Networks") or {})
    running = (doc.get("State") or {}).get("Running")
    if doc.get("Name") == f"/{name}" and running and {net, SHARED_NETWORK} <= networks:
        return None
    return f"inspect: name {doc.get('Name')!r}, running {running}, networks {sorted(networks)}"
