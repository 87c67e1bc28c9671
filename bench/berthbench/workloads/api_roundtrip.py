"""1. API round trip: GET /_ping, /version, /info, /containers/json at 1, 8 and 32 concurrent
keep-alive connections, driven by wrk over each daemon's TCP listener on 127.0.0.1 (the daemon is
restarted with that listener for this workload, and without it after).
Figures: p50/p95 latency (wrk's histogram), requests per second, and at 8 connections the daemon's
CPU time per request (user + system, a steadier figure than latency on a shared machine)."""

from __future__ import annotations

import json
import os
import subprocess

from ..figures import Figure

NAME = "api"
ENDPOINTS = ["/_ping", "/version", "/info", "/containers/json"]
LUA = os.path.join(os.path.dirname(os.path.dirname(__file__)), "wrk_report.lua")


def wrk(ctx, path: str, connections: int, seconds: int) -> dict:
    threads = min(2, connections)
    cmd = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "5s",
           "--latency", "-s", LUA, ctx.daemon.url + path]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60)
    with open(os.path.join(ctx.workdir, f"wrk-{ctx.daemon.kind}.log"), "a") as f:
        f.write(f"$ {' '.join(cmd)}\n{p.stdout}{p.stderr}\n")
    for line in p.stdout.splitlines():
        if line.startswith("BERTHBENCH "):
            return json.loads(line[len("BERTHBENCH "):])
    raise RuntimeError(f"wrk gave no report (exit {p.returncode}): {p.stderr.strip() or p.stdout[-300:]}")


def run(ctx) -> list[Figure]:
    ctx.daemon.restart(tcp=True)
    try:
        return measure(ctx)
    finally:
        ctx.daemon.restart(tcp=False)


def measure(ctx) -> list[Figure]:
    seconds = ctx.counts["wrk_seconds"]
    figures = []
    for path in ENDPOINTS:
        wrk(ctx, path, 8, 1)  # warm-up
        for c in ctx.counts["wrk_connections"]:
            cpu0 = ctx.daemon.cpu()["daemon"]
            r = wrk(ctx, path, c, seconds)
            cpu = ctx.daemon.cpu()["daemon"] - cpu0
            errors = r["connect"] + r["read"] + r["write"] + r["status"] + r["timeout"]
            note = f"{errors} errors (non-2xx or socket)" if errors else ""
            rps = r["requests"] / (r["duration_us"] / 1e6) if r["duration_us"] else None
            name = f"GET {path} c={c}"
            figures += [
                Figure(NAME, f"{name} p50", "ms", "lower", r["p50_us"] / 1000.0, note),
                Figure(NAME, f"{name} p95", "ms", "lower", r["p95_us"] / 1000.0, note),
                Figure(NAME, f"{name} throughput", "req/s", "higher", rps, note),
            ]
            if c == 8 and r["requests"]:
                figures.append(Figure(NAME, f"{name} daemon CPU per request", "µs", "lower", cpu / r["requests"] * 1e6))
            ctx.log(f"{name}: p50 {r['p50_us'] / 1000:.2f} ms, p95 {r['p95_us'] / 1000:.2f} ms, "
                    f"{rps:.0f} req/s{', ' + note if note else ''}")
    return figures
