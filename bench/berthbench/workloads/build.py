"""8. Build with the legacy builder (`DOCKER_BUILDKIT=0 docker build -q`, the whole CLI call timed):
a five-step build (`FROM busybox`, `COPY` of 200 small files, two `RUN`s, `CMD`) from scratch
(`--no-cache`, the built image and its intermediate images removed between runs), then the same
build fully cached; and the daemon's resident memory (VmRSS of the daemon process alone, sampled
every 50 ms, and its VmHWM reset before the build and read after it) during a build whose context
is 100 MiB (`COPY . /ctx/`)."""

from __future__ import annotations

import os
import random
import subprocess
import threading
import time

from .. import host
from ..api import query
from ..figures import Figure
from ..stats import p50_p95_ms

NAME = "build"
TAG = "bench-build:latest"
BIG_TAG = "bench-build-big:latest"
DIRS, PER_DIR = ("alpha", "beta"), 100  # 200 files
BIG_FILES, BIG_FILE_MIB = 4, 25  # 100 MiB
SAMPLE_S = 0.05
BUILD_TIMEOUT = 600.0

DOCKERFILE = """FROM busybox:latest
COPY files/ /files/
RUN cat /files/*/* | wc -c > /count
RUN ls -lR /files > /listing
CMD ["cat", "/count"]
"""
BIG_DOCKERFILE = """FROM busybox:latest
COPY . /ctx/
"""


def small_context(workdir: str) -> tuple[str, int]:
    """The 200-file context (made once per run, the same for both daemons) and its files' total size."""
    root = os.path.join(workdir, "build-small")
    rng = random.Random(7)
    total = 0
    made = os.path.isdir(root)
    for d in DIRS:
        os.makedirs(os.path.join(root, "files", d), exist_ok=True)
        for i in range(PER_DIR):
            text = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz \n") for _ in range(rng.randint(200, 600)))
            total += len(text)
            if not made:
                with open(os.path.join(root, "files", d, f"f{i:03d}.txt"), "w") as f:
                    f.write(text)
    with open(os.path.join(root, "Dockerfile"), "w") as f:
        f.write(DOCKERFILE)
    return root, total


def big_context(workdir: str) -> str:
    """A context of 100 MiB: a few files of random bytes (made once per run)."""
    root = os.path.join(workdir, "build-100m")
    if not os.path.isdir(root):
        os.makedirs(root)
        chunk = 1 << 20
        for i in range(BIG_FILES):
            with open(os.path.join(root, f"blob{i}.bin"), "wb") as f:
                for _ in range(BIG_FILE_MIB):
                    f.write(os.urandom(chunk))
        with open(os.path.join(root, "Dockerfile"), "w") as f:
            f.write(BIG_DOCKERFILE)
    return root


def docker_build(ctx, context: str, tag: str, nocache: bool) -> tuple[float, str]:
    """One `docker build -q` through the CLI with the legacy builder; (seconds, image ID)."""
    env = ctx.docker_env()
    env["DOCKER_BUILDKIT"] = "0"
    cmd = [ctx.docker_cli, "build", "-q", "-t", tag, *(["--no-cache"] if nocache else []), context]
    t0 = time.perf_counter()
    p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=BUILD_TIMEOUT)
    elapsed = time.perf_counter() - t0
    if p.returncode != 0:
        raise RuntimeError(f"docker build{' --no-cache' if nocache else ''}: exit {p.returncode}: "
                           f"{(p.stderr or p.stdout).strip()[-400:]}")
    return elapsed, p.stdout.strip().splitlines()[-1] if p.stdout.strip() else ""


def remove_image(api, tag: str):
    """Removes the built image (and with it the intermediate images of its steps), then any
    dangling image left, so that the next build starts from busybox alone."""
    api.delete(f"/images/{tag}", expect=(200, 404))
    api.post(query("/images/prune", filters={"dangling": ["true"]}))


class RssSampler:
    """VmRSS of the daemon process (and, apart, of its containerd) every 50 ms until stopped."""

    def __init__(self, daemon):
        self.pids = {"daemon": daemon.proc.pid, "containerd": daemon.containerd_pid()}
        self.peak = {"daemon": 0.0, "containerd": 0.0}
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self):
        while not self._stop.is_set():
            for part, pid in self.pids.items():
                rss = host.memory_mib(pid).get("VmRSS")
                if rss is not None:
                    self.peak[part] = max(self.peak[part], rss)
            self.samples += 1
            self._stop.wait(SAMPLE_S)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=5)


def reset_hwm(pid: int) -> bool:
    """Resets the process's peak resident size (VmHWM) to its current one (proc(5), clear_refs 5), so
    that VmHWM after the build is its exact peak, between the samples too."""
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def memory_build(ctx, api) -> list[Figure]:
    root = big_context(ctx.workdir)
    remove_image(api, BIG_TAG)
    time.sleep(1.0)  # settle before the idle reading
    idle = ctx.daemon.memory()  # also keeps the run's peak (VmHWM) so far before it is reset
    hwm = reset_hwm(ctx.daemon.proc.pid)
    with RssSampler(ctx.daemon) as sampler:
        elapsed, _ = docker_build(ctx, root, BIG_TAG, nocache=True)
    hwm = host.memory_mib(ctx.daemon.proc.pid).get("VmHWM") if hwm else None
    ctx.daemon.memory()
    remove_image(api, BIG_TAG)
    mib = BIG_FILES * BIG_FILE_MIB
    ctx.log(f"{mib} MiB context: daemon RSS idle {idle['daemon']:.1f} MiB, peak {sampler.peak['daemon']:.1f} MiB "
            f"({sampler.samples} samples; VmHWM {hwm or 0:.1f} MiB; containerd peak {sampler.peak['containerd']:.1f} MiB), "
            f"build {elapsed:.2f} s")
    return [Figure(NAME, f"{mib} MiB context: daemon RSS idle before", "MiB", "lower", idle["daemon"]),
            Figure(NAME, f"{mib} MiB context: daemon peak RSS", "MiB", "lower", sampler.peak["daemon"] or None,
                   f"VmRSS every {SAMPLE_S * 1000:.0f} ms"),
            Figure(NAME, f"{mib} MiB context: daemon peak RSS (VmHWM)", "MiB", "lower", hwm),
            Figure(NAME, f"{mib} MiB context: containerd peak RSS", "MiB", "lower", sampler.peak["containerd"] or None),
            Figure(NAME, f"{mib} MiB context: build time", "ms", "lower", elapsed * 1000.0)]


def run(ctx) -> list[Figure]:
    scratch_runs, cached_runs = ctx.counts["build_scratch_runs"], ctx.counts["build_cached_runs"]
    root, total = small_context(ctx.workdir)
    figures = []
    with ctx.api(timeout=120) as api:
        images0 = len(api.get("/images/json?all=1"))
        figures += memory_build(ctx, api)

        # From scratch: one untimed warm-up, then each timed run on busybox alone.
        scratch = []
        for i in range(1 + scratch_runs):
            remove_image(api, TAG)
            elapsed, image_id = docker_build(ctx, root, TAG, nocache=True)
            if i == 0:
                out = subprocess.run([ctx.docker_cli, "run", "--rm", "--network", "none", TAG], env=ctx.docker_env(),
                                     capture_output=True, text=True, timeout=120).stdout.strip()
                if out != str(total):
                    ctx.note(f"the built image's CMD printed {out!r}, expected {total} (bytes of the 200 files)")
            else:
                scratch.append(elapsed)
        p50, p95 = p50_p95_ms(scratch)
        figures += [Figure(NAME, "from scratch p50", "ms", "lower", p50, f"median of {len(scratch)}"),
                    Figure(NAME, "from scratch p95", "ms", "lower", p95)]
        ctx.log(f"from scratch: p50 {p50:.0f} ms, p95 {p95:.0f} ms ({len(scratch)} runs)")

        # Fully cached: the image of the last run is the cache; every step must come from it.
        cached = []
        for _ in range(cached_runs):
            elapsed, cached_id = docker_build(ctx, root, TAG, nocache=False)
            cached.append(elapsed)
            if cached_id != image_id:
                ctx.note(f"a cached build gave image {cached_id[:19]}, not {image_id[:19]}: not fully cached")
        p50, p95 = p50_p95_ms(cached)
        figures += [Figure(NAME, "fully cached p50", "ms", "lower", p50, f"median of {len(cached)}"),
                    Figure(NAME, "fully cached p95", "ms", "lower", p95)]
        ctx.log(f"fully cached: p50 {p50:.0f} ms, p95 {p95:.0f} ms ({len(cached)} runs)")

        remove_image(api, TAG)
        images1 = len(api.get("/images/json?all=1"))
        if images1 != images0:
            ctx.note(f"{images1} images after the builds were removed, {images0} before")
        left = api.get(query("/containers/json", all=1))
        if left:
            ctx.note(f"{len(left)} containers left by the builds")
    return figures
