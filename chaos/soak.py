#!/usr/bin/env python3
"""The chaos soak: real clients (docker CLI, docker-py) against a berthd started here, while a driver
injects faults into every child, kills containerd and kills and restarts berthd. See chaos/README.md.

usage: soak.py [--duration 10m] [--berthd PATH] [--seed N] [--json PATH] [--keep]"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time

import audit
import report
from berthd import Berthd, alive
from berth_host import HostNetworkState, delete_bridge_rules
from cli_loops import SHARED_NETWORK, SHARED_VOLUME, CliLifecycle, CliRun
from faults import FaultDriver
from followers import CliEvents, PyEvents
from ledger import Ledger
from loops import DOCKER, OP_TIMEOUT, SETTLE_FOR
from py_loops import PyContainers, PyObjects
from systemd import Systemd

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
IMAGE = "chaos-busybox:latest"
LOOPS = [("cli-run", CliRun), ("cli-life", CliLifecycle), ("py-objects", PyObjects), ("py-containers", PyContainers),
         ("py-events", PyEvents), ("cli-events", CliEvents)]


def duration(text: str) -> int:
    """Seconds from `600`, `600s`, `10m`."""
    units = {"s": 1, "m": 60, "h": 3600}
    return int(float(text[:-1]) * units[text[-1]]) if text[-1] in units else int(text)


def arguments():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--duration", type=duration, default=600, help="how long the load and the faults run (600, 150s, 10m)")
    p.add_argument("--berthd", default=os.environ.get("BERTHD_BIN") or os.path.join(REPO, ".build/debug/berthd"))
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--json", default=os.path.join(HERE, "results", "latest.json"), help="where the JSON report goes")
    p.add_argument("--keep", action="store_true", help="keep the temp dir (berthd's log, data root)")
    return p.parse_args()


# -- setup

def busybox_tar(dest: str) -> str:
    """A busybox rootfs tarball from Debian's busybox-static (as the acceptance checks build it)."""
    bb = shutil.which("busybox")
    if not bb:
        sys.exit("no busybox on this machine (apt-get install busybox-static)")
    root = tempfile.mkdtemp(dir=dest)
    os.makedirs(f"{root}/bin"), os.makedirs(f"{root}/etc"), os.makedirs(f"{root}/tmp")
    shutil.copy(bb, f"{root}/bin/busybox")
    for applet in subprocess.run([bb, "--list"], capture_output=True, text=True).stdout.split():
        if applet != "busybox":
            os.symlink("busybox", f"{root}/bin/{applet}")
    with open(f"{root}/etc/passwd", "w") as f:
        f.write("root:x:0:0:root:/root:/bin/sh\n")
    with open(f"{root}/etc/group", "w") as f:
        f.write("root:x:0:\n")
    out = os.path.join(dest, "busybox.tar")
    subprocess.run(["tar", "-C", root, "-cf", out, "."], check=True)
    shutil.rmtree(root)
    return out


def seed_objects(berthd: Berthd, ledger: Ledger):
    """The image every client runs, and the user network and volume the clients share."""
    env = {"DOCKER_HOST": f"unix://{berthd.sock}", "DOCKER_CONFIG": f"{berthd.dir}/docker-config", "PATH": os.environ["PATH"]}
    tar = busybox_tar(berthd.dir)
    for args in (["import", "--change", 'CMD ["sh"]', tar, IMAGE], ["network", "create", SHARED_NETWORK],
                 ["volume", "create", SHARED_VOLUME]):
        subprocess.run([DOCKER, *args], env=env, check=True, capture_output=True, timeout=120)
    ledger.object("image", IMAGE, "present")
    ledger.object("network", SHARED_NETWORK, "present")
    ledger.object("volume", SHARED_VOLUME, "present")


def commit() -> str:
    """The commit under test (CHAOS_COMMIT when git cannot see the repository, as in a helper's namespace)."""
    if os.environ.get("CHAOS_COMMIT"):
        return os.environ["CHAOS_COMMIT"]
    cp = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", REPO, "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    return (cp.stdout.strip() or "unknown") + ("+changes" if dirty else "")


# -- the run

def progress(ledger: Ledger, t0: float):
    down = sum(1 for w in ledger.windows if w.end is None)
    print(f"[{time.time() - t0:6.0f}s] ops {sum(ledger.ops.values())}, failed {sum(ledger.failed_ops.values())}, "
          f"faults {len(ledger.faults)}, berthd windows {len(ledger.windows)}{' (down now)' if down else ''}, "
          f"findings {len(ledger.findings)}", flush=True)


def soak(berthd: Berthd, ledger: Ledger, seconds: int, seed: int) -> float:
    """Runs the clients and the driver for `seconds`, then stops them and settles what they left."""
    stop, sd_stop = threading.Event(), threading.Event()
    systemd = Systemd(berthd, ledger, sd_stop)
    loops = [cls(name, berthd, ledger, stop, IMAGE, seed + n) for n, (name, cls) in enumerate(LOOPS)]
    driver = FaultDriver(berthd, ledger, stop, seed)
    t0 = time.time()
    for thread in (systemd, *loops, driver):
        thread.start()
    while time.time() - t0 < seconds and not systemd.gave_up.is_set():
        time.sleep(min(30, max(0.1, seconds - (time.time() - t0))))
        progress(ledger, t0)
    ran = time.time() - t0
    print("stopping the faults and the clients", flush=True)
    stop.set()
    driver.join(timeout=120)
    berthd.clear_faults()
    revive_containerd(berthd, ledger)
    for loop in loops:
        if hasattr(loop, "close"):
            loop.close()
    deadline = time.monotonic() + OP_TIMEOUT + SETTLE_FOR
    for loop in loops:
        loop.join(timeout=max(0.1, deadline - time.monotonic()))
        if loop.is_alive():
            ledger.finding(f"client {loop.name} still busy {OP_TIMEOUT + SETTLE_FOR:.0f} s after the stop")
    for loop in loops:
        loop.settle_all()
    sd_stop.set()
    systemd.join(timeout=90)
    return ran


def revive_containerd(berthd: Berthd, ledger: Ledger):
    """If the last fault left berthd without a live containerd (it did not notice a kill), restart berthd
    as an operator would, so that the clients can clean up and the audit sees what berthd kept."""
    pid = berthd.containerd_pid()
    if pid is not None and alive(pid):
        return
    ledger.finding(f"at the end of the run berthd's containerd (pid {pid}) is not alive: berthd restarted before the audit")
    with berthd.lock:
        berthd.kill9()
        if not berthd.start():
            ledger.finding("berthd did not come back for the audit")


def finish(berthd: Berthd, ledger: Ledger, baseline: dict) -> tuple[dict, dict, int | None]:
    """The audits, the final removal, the clean shutdown and what it left."""
    deadline = time.monotonic() + 60
    while not berthd.healthy() and time.monotonic() < deadline:
        time.sleep(0.2)
    if not berthd.healthy():
        ledger.finding(f"the tree is not healthy 60 s after the soak: {berthd.tree()}")
    objects = audit.compare(berthd, ledger)
    pids = {"container processes": audit.container_pids(berthd),
            "shims": [pid for pid, cmd in berthd.ours() if "shim" in cmd]}
    audit.remove_all(berthd, ledger)
    time.sleep(2)  # shims exit, veths go
    leftovers = {"while berthd runs, after removing everything": audit.summary(audit.leftovers_while_up(berthd, baseline))}
    status = audit.clean_shutdown(berthd, ledger)
    leftovers["after a clean shutdown without live-restore"] = audit.summary(audit.leftovers_after_stop(berthd, pids))
    return objects, {k: v for k, v in leftovers.items() if v}, status


def release_host(berthd: Berthd, host: HostNetworkState, keep: bool, results: str):
    """Puts the host back: whatever of ours still runs (by pid), mounts, bridges and rules, the temp dir
    (berthd's log is copied next to the JSON report first)."""
    if berthd.running():
        berthd.kill9()
    for pid, _ in berthd.ours():
        try:
            os.kill(pid, 9)
        except ProcessLookupError:
            pass
    for mount in sorted(audit.mounts_under(berthd.dir), key=len, reverse=True):
        subprocess.run(["umount", "-l", mount], capture_output=True)
    for device in audit.links("bridge"):
        if device == berthd.bridge or device.startswith("br-"):
            subprocess.run(["ip", "link", "delete", device], capture_output=True)
            delete_bridge_rules(device)
    host.restore()
    if os.path.exists(berthd.log_path):
        os.makedirs(results, exist_ok=True)
        shutil.copy(berthd.log_path, os.path.join(results, "berthd.log"))
    if not keep:
        shutil.rmtree(berthd.dir, ignore_errors=True)


def main():
    args = arguments()
    seed = args.seed if args.seed is not None else random.randrange(10**6)
    if not os.access(args.berthd, os.X_OK):
        sys.exit(f"no berthd at {args.berthd}: run `swift build` or pass --berthd")
    host = HostNetworkState()
    berthd, ledger = Berthd(args.berthd), Ledger()
    print(f"chaos soak: {args.duration} s, seed {seed}, dir {berthd.dir}", flush=True)
    try:
        berthd.write_config(live_restore=True)
        if not berthd.start():
            sys.exit("berthd did not start:\n" + "\n".join(berthd.log_tail(20)))
        seed_objects(berthd, ledger)
        baseline = audit.containerd_objects(berthd)
        ran = soak(berthd, ledger, args.duration, seed)
        objects, leftovers, status = finish(berthd, ledger, baseline)
        meta = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                "duration s": args.duration, "ran s": round(ran), "seed": seed, "commit": commit(),
                "build": "release" if "/release/" in os.path.realpath(args.berthd) else "debug",
                "berthd starts": berthd.starts, "berthd log": os.path.join(os.path.dirname(args.json), "berthd.log")}
        doc = report.build(ledger, meta, objects, leftovers, status)
        os.makedirs(os.path.dirname(args.json), exist_ok=True)
        with open(args.json, "w") as f:
            json.dump(doc, f, indent=2, default=list)
        print(report.render(doc))
        print(f"\nJSON report: {args.json}")
    finally:
        release_host(berthd, host, args.keep, os.path.dirname(args.json))


if __name__ == "__main__":
    main()
