"""3. Scale: N stopped containers (create only, `--network none`, labelled), then list all, list with
a label filter, inspect by full ID, by name and by ID prefix (12 characters), and remove them all.
Also the daemon's and its containerd's resident memory with the N containers and after removal."""

from __future__ import annotations

import random
import time

from ..api import query
from ..figures import Figure
from ..stats import p50_p95_ms

NAME = "scale"
GROUPS = 10


def timed_many(fn, items) -> list[float]:
    out = []
    for item in items:
        t0 = time.perf_counter()
        fn(item)
        out.append(time.perf_counter() - t0)
    return out


def run(ctx) -> list[Figure]:
    n, lookups, repeats = ctx.counts["scale_containers"], ctx.counts["scale_lookups"], ctx.counts["scale_list_repeats"]
    figures = []
    with ctx.api(timeout=120) as api:
        ids, names = [], []
        t0 = time.perf_counter()
        create_times = []
        for i in range(n):
            name = f"bench-scale-{i}"
            c0 = time.perf_counter()
            ids.append(api.create(["true"], network="none", name=name,
                                  labels={"bench.scale": "1", "bench.group": str(i % GROUPS)}))
            create_times.append(time.perf_counter() - c0)
            names.append(name)
        created = time.perf_counter() - t0
        figures.append(Figure(NAME, f"create {n}: rate", "containers/s", "higher", n / created))
        figures.append(Figure(NAME, f"create {n}: p50", "ms", "lower", p50_p95_ms(create_times)[0]))
        tenth = max(1, n // 10)  # does creating get slower as containers pile up?
        figures.append(Figure(NAME, f"create {n}: p50 of the first {tenth}", "ms", "lower", p50_p95_ms(create_times[:tenth])[0]))
        figures.append(Figure(NAME, f"create {n}: p50 of the last {tenth}", "ms", "lower", p50_p95_ms(create_times[-tenth:])[0]))
        ctx.log(f"created {n} in {created:.1f} s")

        mem = ctx.daemon.memory()
        figures += [Figure("memory", f"daemon RSS with {n} containers", "MiB", "lower", mem["daemon"]),
                    Figure("memory", f"containerd RSS with {n} containers", "MiB", "lower", mem["containerd"])]

        def list_all(_):
            got = api.get(query("/containers/json", all=1))
            if len(got) < n:
                raise RuntimeError(f"list all returned {len(got)} of {n} containers")

        def list_label(_):
            got = api.get(query("/containers/json", all=1, filters={"label": ["bench.group=3"]}))
            if len(got) != len([i for i in range(n) if i % GROUPS == 3]):
                raise RuntimeError(f"label filter returned {len(got)} containers")

        list_all(None)  # warm-up
        for label, fn in ((f"list all {n}", list_all), (f"list {n} with a label filter", list_label)):
            p50, p95 = p50_p95_ms(timed_many(fn, range(repeats)))
            figures += [Figure(NAME, f"{label} p50", "ms", "lower", p50), Figure(NAME, f"{label} p95", "ms", "lower", p95)]
            ctx.log(f"{label}: p50 {p50:.1f} ms")

        rng = random.Random(7)
        sample = rng.sample(range(n), min(lookups, n))
        refs = {"inspect by ID": [ids[i] for i in sample], "inspect by name": [names[i] for i in sample],
                "inspect by ID prefix": [ids[i][:12] for i in sample]}
        for label, items in refs.items():
            p50, p95 = p50_p95_ms(timed_many(lambda ref: api.get(f"/containers/{ref}/json"), items))
            figures += [Figure(NAME, f"{label} p50", "ms", "lower", p50), Figure(NAME, f"{label} p95", "ms", "lower", p95)]
            ctx.log(f"{label}: p50 {p50:.2f} ms")

        t0 = time.perf_counter()
        remove_times = timed_many(api.remove, ids)
        removed = time.perf_counter() - t0
        figures.append(Figure(NAME, f"remove {n}: rate", "containers/s", "higher", n / removed))
        figures.append(Figure(NAME, f"remove {n}: p50", "ms", "lower", p50_p95_ms(remove_times)[0]))
        ctx.log(f"removed {n} in {removed:.1f} s")
    time.sleep(1.0)
    mem = ctx.daemon.memory()
    figures += [Figure("memory", "daemon RSS after the scale test", "MiB", "lower", mem["daemon"]),
                Figure("memory", "containerd RSS after the scale test", "MiB", "lower", mem["containerd"])]
    return figures
