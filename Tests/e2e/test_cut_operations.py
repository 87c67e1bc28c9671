"""Operations cut by a crash leave nothing behind (issue 19, item 6): a container start cut by a crash
of the containers child leaves no shim, container process, veth or network namespace mount once the
container is removed and berthd stopped."""

import os
import subprocess
import time

from conftest import docker_cli, load_busybox, run_docker, wait_until

HEAL_TIMEOUT = 30.0


def shims_of(container_id: str) -> list[int]:
    """The shim processes serving a container (`containerd-shim-runc-v2 … -id <id> …`)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                args = f.read().decode("utf-8", "replace").split("\0")
        except OSError:
            continue
        if args and "containerd-shim" in args[0] and container_id in args:
            found.append(int(entry))
    return found


def veths() -> set[str]:
    out = subprocess.run(["ip", "-o", "link", "show", "type", "veth"], capture_output=True, text=True).stdout
    return {line.split(":")[1].strip().split("@")[0] for line in out.splitlines() if ":" in line}


def netns_mounts(root: str) -> list[str]:
    with open("/proc/self/mountinfo") as f:
        return [line.split()[4] for line in f if line.split()[4].startswith(root + "/") and "/netns/" in line.split()[4]]


def test_a_start_cut_by_a_crash_of_containers_leaves_nothing(make_daemon, tmp_path):
    d = make_daemon(["--fault-injection"])
    d.wait_healthy(HEAL_TIMEOUT)
    load_busybox(d, str(tmp_path))
    before = veths()
    cid = run_docker(d, "create", "--name", "cut", "busybox", "sleep", "300").stdout.strip()

    # Every request to containerd waits 1.5 s: half a second after the shim is up the task is created
    # and its start waits when the containers child crashes.
    assert d.fault("containerd", "delay", ms=1500).status == 202
    start = subprocess.Popen([docker_cli(), "start", "cut"], env=d.docker_env(), stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_until(lambda: shims_of(cid), 30, 0.05, "the container's shim")
        time.sleep(0.5)  # the task is created; its start waits out the delay
        assert d.fault("containers", "crash").status == 202
        start.wait(60)
    finally:
        if start.poll() is None:
            start.kill()
    assert d.clear_faults().status == 204
    d.wait_healthy(HEAL_TIMEOUT)

    run_docker(d, "rm", "-f", "cut", timeout=60)
    wait_until(lambda: not shims_of(cid), 20, 0.1, "the shim of the removed container to exit")
    wait_until(lambda: veths() <= before, 20, 0.1, "the veth of the removed container to go")
    assert d.stop() == 0, d.log_tail()
    assert netns_mounts(d.dir) == []
