"""6. Daemon start and stop: SIGTERM-to-exit and then start-to-ready (until `/_ping` answers on the
unix socket) with 0 containers, with M stopped containers, and with R running `sleep` containers
(both daemons: shutdown-timeout 15 s, each container's stop timeout 10 s; busybox `sleep` as PID 1
ignores SIGTERM, so a correct shutdown waits those 10 s and then kills), each a few times: the
median start and the slowest stop count. Also counts the container processes still alive after the
daemon exited, and the containers running after it came back."""

from __future__ import annotations

import time

from .. import host
from ..api import query
from ..figures import Figure
from ..stats import percentile

NAME = "restart"


def cycle(ctx, label: str, figures: list, prepare=None):
    """Stops and starts the daemon `restart_cycles` times (calling `prepare` before each stop) and
    records the median start-to-ready and the slowest SIGTERM-to-exit; returns the processes that
    outlived the daemon's exit."""
    d = ctx.daemon
    readies, stops, leftovers = [], [], []
    for _ in range(ctx.counts["restart_cycles"]):
        if prepare:
            prepare()
        stopped = d.stop()
        time.sleep(1.0)  # let shims and container processes go
        outlived = host.processes_of(d.dir, exclude=d.helper_pids())
        readies.append(d.start())
        stops.append(stopped)
        leftovers += outlived
        for pid in outlived:
            host.kill(pid)
        ctx.log(f"{label}: SIGTERM-to-exit {stopped if stopped is None else f'{stopped:.2f} s'}, "
                f"start-to-ready {readies[-1] * 1000:.0f} ms")
    killed = None in stops
    slowest = None if killed else max(stops)
    note = f"median of {len(readies)}"
    figures += [Figure(NAME, f"SIGTERM-to-exit, {label}", "s", "lower", slowest,
                       "killed after the stop budget" if killed else f"slowest of {len(stops)}"),
                Figure(NAME, f"start-to-ready, {label}", "ms", "lower", percentile(readies, 50) * 1000.0, note)]
    if leftovers:
        ctx.note(f"{len(leftovers)} processes of {d.kind} outlived its exit ({label}): "
                 + ", ".join(f"{p}:{host.comm(p)}" for p in leftovers[:8]))
    return leftovers


def run(ctx) -> list[Figure]:
    m, r = ctx.counts["restart_stopped"], ctx.counts["restart_running"]
    d = ctx.daemon
    figures: list[Figure] = []
    d.remove_all_containers()
    cycle(ctx, "0 containers", figures)

    with ctx.api() as api:
        for i in range(m):
            api.create(["true"], network="none", name=f"bench-restart-{i}")
    cycle(ctx, f"{m} stopped containers", figures)
    with ctx.api() as api:
        count = len(api.get(query("/containers/json", all=1)))
        if count != m:
            ctx.note(f"{count} containers after the restart, {m} expected")
    d.remove_all_containers()

    with ctx.api() as api:
        ids = [api.create(["sleep", "600"], network="none", name=f"bench-running-{i}") for i in range(r)]

    def start_all():
        with ctx.api() as api:
            for cid in ids:
                api.start(cid)

    leftovers = cycle(ctx, f"{r} running containers", figures, prepare=start_all)
    with ctx.api() as api:
        running = len(api.get("/containers/json"))
    figures += [Figure(NAME, f"processes alive after exit, {r} running", "processes", "lower", float(len(leftovers))),
                Figure(NAME, f"containers running after restart, {r} running", "containers", "lower", float(running))]
    d.remove_all_containers()
    return figures
