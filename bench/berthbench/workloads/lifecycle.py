"""2. Container lifecycle of `busybox true`: create, start, wait, remove over one keep-alive
connection to the unix socket, timed per phase, with `--network none` and with the default bridge;
then the whole `docker run --rm busybox true` through the docker CLI (default bridge). Also the CPU
time the daemon and its containerd spent per run (user + system, with the children they reaped)."""

from __future__ import annotations

import subprocess
import time

from ..figures import Figure
from ..stats import p50_p95_ms

NAME = "lifecycle"
PHASES = ("create", "start", "wait", "remove")


def one_run(api, network: str) -> dict:
    t = {}
    t0 = time.perf_counter()
    cid = api.create(["true"], network=network)
    t1 = time.perf_counter()
    api.start(cid)
    t2 = time.perf_counter()
    status = api.wait(cid)
    t3 = time.perf_counter()
    api.remove(cid)
    t4 = time.perf_counter()
    if status != 0:
        raise RuntimeError(f"busybox true exited with {status}")
    t.update(create=t1 - t0, start=t2 - t1, wait=t3 - t2, remove=t4 - t3, total=t4 - t0)
    return t


def cli_run(ctx) -> float:
    t0 = time.perf_counter()
    p = subprocess.run([ctx.docker_cli, "run", "--rm", "busybox", "true"], env=ctx.docker_env(),
                       capture_output=True, text=True, timeout=120)
    elapsed = time.perf_counter() - t0
    if p.returncode != 0:
        raise RuntimeError(f"docker run --rm busybox true: exit {p.returncode}: {p.stderr.strip()}")
    return elapsed


def run(ctx) -> list[Figure]:
    runs, warmup = ctx.counts["lifecycle_runs"], ctx.counts["warmup_runs"]
    figures = []
    with ctx.api() as api:
        for label, network in (("none", "none"), ("bridge", "bridge")):
            for _ in range(warmup):
                one_run(api, network)
            cpu0 = ctx.daemon.cpu()
            samples = [one_run(api, network) for _ in range(runs)]
            cpu1 = ctx.daemon.cpu()
            for phase in (*PHASES, "total"):
                p50, p95 = p50_p95_ms([s[phase] for s in samples])
                figures += [Figure(NAME, f"{label}: {phase} p50", "ms", "lower", p50),
                            Figure(NAME, f"{label}: {phase} p95", "ms", "lower", p95)]
            for part in ("daemon", "containerd"):
                figures.append(Figure(NAME, f"{label}: {part} CPU per run", "ms", "lower",
                                      (cpu1[part] - cpu0[part]) / runs * 1000.0))
            parts = ", ".join(f"{ph} {p50_p95_ms([s[ph] for s in samples])[0]:.1f}" for ph in PHASES)
            ctx.log(f"network {label}: total p50 {p50_p95_ms([s['total'] for s in samples])[0]:.1f} ms ({parts})")
    for _ in range(warmup):
        cli_run(ctx)
    cli = [cli_run(ctx) for _ in range(ctx.counts["cli_runs"])]
    p50, p95 = p50_p95_ms(cli)
    figures += [Figure(NAME, "CLI docker run --rm p50", "ms", "lower", p50),
                Figure(NAME, "CLI docker run --rm p95", "ms", "lower", p95)]
    ctx.log(f"docker run --rm busybox true: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    return figures
