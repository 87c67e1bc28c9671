"""berthbench: runs the workloads against berthd, then against a reference dockerd, in one run, and
prints every figure for both with the ratio berthd/dockerd. See bench/README.md."""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import tempfile
import time
import traceback

from . import host, report
from .api import Api, ping
from .context import FULL, QUICK, Context
from .daemons import Berthd, Daemon, DaemonError, Dockerd
from .figures import Figure
from .image import TAG, build_busybox_archive
from .workloads import WORKLOADS

BENCH_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ALL = [*WORKLOADS, "memory"]


def parse_args(argv):
    p = argparse.ArgumentParser(prog="bench/run.sh", description=__doc__)
    p.add_argument("--quick", action="store_true", help="small counts: a smoke run of every workload")
    p.add_argument("--only", nargs="+", choices=ALL, metavar="WORKLOAD",
                   help=f"run only these workloads ({', '.join(ALL)}); memory idle/peak is always measured")
    p.add_argument("--daemons", nargs="+", choices=["berthd", "dockerd"], default=["berthd", "dockerd"],
                   help="which daemons, in this order (default: berthd dockerd)")
    p.add_argument("--berthd", default=os.environ.get("BERTHD_BIN"), help="berthd binary (default $BERTHD_BIN)")
    p.add_argument("--dockerd", default=os.environ.get("DOCKERD_BIN") or shutil.which("dockerd") or "/usr/sbin/dockerd")
    p.add_argument("--build", default=os.environ.get("BERTHD_BUILD", ""), help="label of berthd's build (debug/release)")
    p.add_argument("--results", default=os.path.join(BENCH_DIR, "results"), help="where latest.json goes")
    p.add_argument("--keep", action="store_true", help="keep the daemons' temp dirs (logs) after the run")
    return p.parse_args(argv)


_interrupted = False


def _raise_interrupt(signum, _frame):
    """The first signal interrupts the run; later ones are ignored so that cleanup (bounded) finishes."""
    global _interrupted
    if _interrupted:
        print("berthbench: still cleaning up, please wait", file=sys.stderr, flush=True)
        return
    _interrupted = True
    raise KeyboardInterrupt(f"signal {signum}")


def load_image(daemon: Daemon, tarball: str):
    with open(tarball, "rb") as f:
        data = f.read()
    with Api(daemon.sock, timeout=120) as api:
        status, body = api.raw("POST", "/images/load?quiet=1", body=data, headers={"Content-Type": "application/x-tar"})
        if status != 200 or b'"error' in body:
            raise DaemonError(f"{daemon.kind}: loading the busybox image failed: HTTP {status} {body[:300]!r}")
        api.get(f"/images/{TAG}/json")


def run_daemon(daemon: Daemon, args, counts, workdir, tarball) -> tuple[list[Figure], dict]:
    figures: list[Figure] = []
    info = {"binary": daemon.binary, "dir": daemon.dir, "errors": []}
    print(f"\n== {daemon.kind}: {' '.join(daemon.command())}", flush=True)
    ready = daemon.start()
    figures.append(Figure("restart", "start-to-ready, first start (empty data-root)", "ms", "lower", ready * 1000.0))
    with Api(daemon.sock) as api:
        version = api.get("/version")
    info["version"] = version.get("Version")
    info["api_version"] = version.get("ApiVersion")
    print(f"  ready in {ready * 1000:.0f} ms: {daemon.kind} {info['version']} (API {info['api_version']})", flush=True)
    load_image(daemon, tarball)
    time.sleep(2.0)  # settle before the idle reading
    mem = daemon.memory()
    figures += [Figure("memory", "daemon RSS idle", "MiB", "lower", mem["daemon"]),
                Figure("memory", "containerd RSS idle", "MiB", "lower", mem["containerd"])]
    print(f"  idle RSS: daemon {report.fmt(mem['daemon'])} MiB, containerd {report.fmt(mem['containerd'])} MiB", flush=True)

    selected = [w for w in WORKLOADS if not args.only or w in args.only]
    for name in selected:
        if not daemon.running() or not ping(daemon.sock, timeout=5):
            info["errors"].append(f"{name}: skipped, the daemon is not answering")
            continue
        print(f"-- {daemon.kind}: {name}", flush=True)
        ctx = Context(daemon=daemon, counts=counts, workdir=workdir)
        t0 = time.monotonic()
        try:
            figures += WORKLOADS[name].run(ctx)
        except KeyboardInterrupt:
            raise
        except Exception as e:  # noqa: BLE001 - recorded, the run goes on
            msg = f"{name} failed: {e}"
            info["errors"].append(msg)
            print(f"  ERROR {msg}\n" + "".join(traceback.format_exc(limit=3)), flush=True)
            if daemon.running():
                try:
                    daemon.remove_all_containers(deadline_s=60)
                except Exception:  # noqa: BLE001
                    pass
        info["errors"] += [f"{name}: {m}" for m in ctx.messages]
        print(f"   ({name} took {time.monotonic() - t0:.0f} s)", flush=True)

    daemon.memory()
    figures += [Figure("memory", "daemon peak RSS (VmHWM)", "MiB", "lower", daemon.peak["daemon"] or None),
                Figure("memory", "containerd peak RSS (VmHWM)", "MiB", "lower", daemon.peak["containerd"] or None)]
    return figures, info


def main(argv=None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):  # SIGINT too: a background job inherits it ignored
        signal.signal(sig, _raise_interrupt)
    if os.geteuid() != 0:
        print("berthbench: run as root (the daemons need it)", file=sys.stderr)
        return 2
    if "berthd" in args.daemons and not (args.berthd and os.access(args.berthd, os.X_OK)):
        print(f"berthbench: no berthd binary (--berthd or BERTHD_BIN): {args.berthd!r}", file=sys.stderr)
        return 2
    counts = QUICK if args.quick else FULL
    started = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    t_start = time.monotonic()
    loadavg = {"before": list(os.getloadavg())}
    print(f"berthbench {'quick' if args.quick else 'full'} run, {started}; load average {loadavg['before']}", flush=True)

    workdir = tempfile.mkdtemp(prefix="bbench-", dir="/tmp")
    os.makedirs(os.path.join(workdir, "docker-config"), exist_ok=True)
    tarball = os.path.join(workdir, "busybox.tar")
    build_busybox_archive(tarball)
    bips = host.free_subnets(2)
    token = os.urandom(3).hex()
    results: dict[str, list[Figure]] = {}
    meta = {"started": started, "quick": args.quick, "counts": counts, "workloads": args.only or ALL,
            "cpus": os.cpu_count(), "loadavg": loadavg}
    live: list[Daemon] = []
    status = 0
    try:
        for i, kind in enumerate(args.daemons):
            cls, binary = (Berthd, args.berthd) if kind == "berthd" else (Dockerd, args.dockerd)
            daemon = cls(binary, bips[i], token)
            live.append(daemon)
            try:
                results[kind], info = run_daemon(daemon, args, counts, workdir, tarball)
            except DaemonError as e:
                print(f"\n!! {e}", file=sys.stderr, flush=True)
                info = {"binary": binary, "errors": [str(e).splitlines()[0]]}
                status = 1
            finally:
                print(f"   stopping {kind} and cleaning up", flush=True)
                os.makedirs(args.results, exist_ok=True)
                daemon.cleanup(keep=args.keep, save_log=os.path.join(args.results, f"{kind}.log"))
                live.remove(daemon)
            info["notes"] = daemon.notes + info.get("errors", [])
            if info.get("errors"):
                status = 1
            if kind == "berthd":
                info["build"] = args.build or ("debug" if "/debug/" in binary else "release" if "/release/" in binary else "unknown")
            meta[kind] = info
            loadavg[f"after {kind}"] = list(os.getloadavg())
    except KeyboardInterrupt as e:
        print(f"\ninterrupted ({e}): cleaning up", file=sys.stderr, flush=True)
        status = 130
    finally:
        for daemon in live:
            daemon.cleanup(keep=args.keep)
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    if status == 130:
        return status
    meta["duration_s"] = time.monotonic() - t_start
    rows = report.combine(results)
    print("\n" + report.summary_lines(meta) + "\n")
    print(report.text_table(rows))
    path_json, path_md = report.write(args.results, meta, rows)
    print(f"\nresults: {path_json} (Markdown table: {path_md})")
    return status


if __name__ == "__main__":
    sys.exit(main())
