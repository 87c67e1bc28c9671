"""The end of the soak: what the clients created and did not remove against what exists (lost, leaked),
the containers left running on purpose (still running?), then, with everything removed, what is left
over: containerd objects, shims, veths, bridges, iptables rules, mounts; and after a clean shutdown
without live-restore, processes and mounts."""

from __future__ import annotations

import subprocess
import time
import urllib.parse

from berthd import Berthd, alive
from ledger import Ledger

KINDS = ("container", "image", "volume", "network")
PREFIX = "chaos-"


def existing(berthd: Berthd) -> dict[str, set[str]]:
    """The names of the soak's objects that exist now, per kind (images by reference)."""
    containers = {n.lstrip("/") for c in berthd.get_json("/containers/json?all=1") for n in c.get("Names") or []}
    images = {t for i in berthd.get_json("/images/json") for t in i.get("RepoTags") or []}
    volumes = {v["Name"] for v in berthd.get_json("/volumes").get("Volumes") or []}
    networks = {n["Name"] for n in berthd.get_json("/networks")}
    found = {"container": containers, "image": images, "volume": volumes, "network": networks}
    return {k: {n for n in names if n.startswith(PREFIX)} for k, names in found.items()}


def compare(berthd: Berthd, ledger: Ledger) -> dict:
    """Lost: created, not removed, gone. Leaked: exists, though removed (or never known to the ledger).
    Unsettled: a failed operation left its state unknown."""
    now = existing(berthd)
    result = {}
    for kind in KINDS:
        expected, unknown = ledger.expected(kind), {n for k, n in ledger.unsettled() if k == kind}
        result[kind] = {"expected": len(expected), "existing": len(now[kind]),
                        "lost": sorted(expected - now[kind]), "leaked": sorted(now[kind] - expected - unknown),
                        "unsettled": sorted(unknown)}
    not_running = {}
    for name in sorted(ledger.kept_running):
        if name in now["container"]:
            state = berthd.get_json(f"/containers/{name}/json")["State"]
            if not state.get("Running"):
                not_running[name] = f"{state.get('Status')} (exit {state.get('ExitCode')}, error {state.get('Error')!r})"
    result["kept running, found not running"] = not_running
    return result


def container_pids(berthd: Berthd) -> list[int]:
    pids = []
    for c in berthd.get_json("/containers/json"):
        pid = berthd.get_json(f"/containers/{c['Id']}/json")["State"].get("Pid") or 0
        if pid:
            pids.append(pid)
    return pids


def remove_all(berthd: Berthd, ledger: Ledger):
    """Removes every object of the soak that is left, through the API; a removal that fails is a finding."""
    now = existing(berthd)
    order = [("container", "/containers/{}?force=1&v=1"), ("network", "/networks/{}"), ("volume", "/volumes/{}?force=1"),
             ("image", "/images/{}")]
    for kind, path in order:
        for name in sorted(now[kind]):
            status, body = berthd.request("DELETE", path.format(urllib.parse.quote(name, safe="")), timeout=60)
            if status >= 300:
                ledger.finding(f"final removal of {kind} {name}: {status} {body[:200]!r}")


def ctr(berthd: Berthd, *args: str) -> list[str]:
    cp = subprocess.run(["ctr", "--address", berthd.containerd_socket(), "-n", "berth", *args],
                        capture_output=True, text=True, timeout=30)
    if cp.returncode != 0:
        return [f"(ctr {' '.join(args)} failed: {cp.stderr.strip()[:200]})"]
    return [line for line in cp.stdout.splitlines()[1:] if line.strip()]


def containerd_objects(berthd: Berthd) -> dict[str, list[str]]:
    """What is in containerd's `berth` namespace, by the first column of ctr's listings: snapshots (both
    snapshotters berthd uses), leases, images, content blobs, containers and tasks."""
    def first(lines: list[str]) -> list[str]:
        return [line if line.startswith("(") else line.split()[0] for line in lines]
    return {
        "snapshots": [f"{s}: {key}" for s in ("overlayfs", "native")
                      for key in first(ctr(berthd, "snapshots", "--snapshotter", s, "ls"))],
        "leases": first(ctr(berthd, "leases", "ls")),
        "images": first(ctr(berthd, "images", "ls")),
        "content": first(ctr(berthd, "content", "ls")),
        "containers": first(ctr(berthd, "containers", "ls")),
        "tasks": first(ctr(berthd, "tasks", "ls")),
    }


def links(kind: str) -> list[str]:
    out = subprocess.run(["ip", "-o", "link", "show", "type", kind], capture_output=True, text=True).stdout
    return [line.split(":")[1].strip().split("@")[0] for line in out.splitlines() if ":" in line]


def iptables_rules(exclude: str) -> list[str]:
    """berthd's rules (comment `berth:<device>`) of every device other than `exclude`."""
    rules = []
    for table in ("nat", "filter"):
        out = subprocess.run(["iptables", "-w", "-t", table, "-S"], capture_output=True, text=True).stdout
        rules += [f"{table}: {line}" for line in out.splitlines() if '"berth:' in line and f'"berth:{exclude}"' not in line]
    return rules


def mounts_under(path: str) -> list[str]:
    with open("/proc/self/mountinfo") as f:
        return [line.split()[4] for line in f if line.split()[4].startswith(path + "/")]


def leftovers_while_up(berthd: Berthd, baseline: dict[str, list[str]]) -> dict:
    """With every object of the soak removed: what should be gone already."""
    objects = containerd_objects(berthd)
    return {
        **{f"containerd {kind} (not in the baseline)": sorted(set(objects[kind]) - set(baseline[kind]))
           for kind in ("snapshots", "leases", "images", "content")},
        "containerd containers": objects["containers"],
        "containerd tasks": objects["tasks"],
        "shims": [cmd for _, cmd in berthd.ours() if "shim" in cmd],
        "veths": links("veth"),
        "bridges of removed networks": [b for b in links("bridge") if b != berthd.bridge],
        "iptables rules of removed networks": iptables_rules(berthd.bridge),
        "mounts under the data root": mounts_under(berthd.data_root),
    }


def clean_shutdown(berthd: Berthd, ledger: Ledger) -> int | None:
    """live-restore off (config rewritten, SIGHUP), then SIGTERM; berthd's exit status."""
    berthd.write_config(live_restore=False)
    berthd.proc.send_signal(1)  # SIGHUP: reload
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            if berthd.get_json("/info").get("LiveRestoreEnabled") is False:
                break
        except Exception:  # noqa: BLE001 - retried
            pass
        time.sleep(0.2)
    else:
        ledger.finding("live-restore still on 15 s after the SIGHUP that turned it off")
    return berthd.terminate()


def leftovers_after_stop(berthd: Berthd, pids_seen: dict[str, list[int]]) -> dict:
    """`pids_seen`: the container processes and shims that ran before everything was removed."""
    time.sleep(1)  # shims exit just after containerd
    return {
        "processes naming the soak's dir": [f"{pid} {cmd[:160]}" for pid, cmd in berthd.ours()],
        **{f"{kind} still alive": [pid for pid in pids if alive(pid)] for kind, pids in pids_seen.items()},
        "mounts under the soak's dir": mounts_under(berthd.dir),
        "veths": links("veth"),
    }


def summary(found: dict) -> dict:
    """Only the non-empty entries."""
    return {k: v for k, v in found.items() if v}

