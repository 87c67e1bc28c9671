"""5. Concurrency: W workers each doing N `run --rm busybox true` at once (default bridge), first
through the API (create, start, wait, remove on each worker's own connection), then through the CLI
(`docker run --rm`). Figure: containers per second over the whole batch."""

from __future__ import annotations

import threading
import time

from ..figures import Figure
from .lifecycle import cli_run, one_run

NAME = "concurrency"


def batch(ctx, job) -> tuple[float, list[str]]:
    workers, per_worker = ctx.counts["concurrency_workers"], ctx.counts["concurrency_per_worker"]
    errors: list[str] = []
    barrier = threading.Barrier(workers + 1)

    def worker():
        barrier.wait(timeout=60)
        for _ in range(per_worker):
            try:
                job()
            except Exception as e:  # noqa: BLE001 - counted and reported
                errors.append(str(e)[:200])

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(workers)]
    for t in threads:
        t.start()
    barrier.wait(timeout=60)
    t0 = time.perf_counter()
    for t in threads:
        t.join(timeout=600)
    elapsed = time.perf_counter() - t0
    if any(t.is_alive() for t in threads):
        errors.append("a worker did not finish within 600 s")
    done = workers * per_worker - len(errors)
    return done / elapsed if elapsed > 0 else None, errors


def run(ctx) -> list[Figure]:
    w, n = ctx.counts["concurrency_workers"], ctx.counts["concurrency_per_worker"]
    local = threading.local()
    clients = []

    def api_job():
        if not hasattr(local, "api"):
            local.api = ctx.api()
            clients.append(local.api)
        one_run(local.api, "bridge")

    figures = []
    for label, job in (("API", api_job), ("CLI", lambda: cli_run(ctx))):
        rate, errors = batch(ctx, job)
        note = f"{len(errors)} failed: {errors[0]}" if errors else ""
        figures.append(Figure(NAME, f"{w}x{n} run --rm via {label}", "containers/s", "higher", rate, note))
        ctx.log(f"{w}x{n} via {label}: {rate:.2f} containers/s{', ' + note if note else ''}")
    for api in clients:
        api.close()
    return figures
