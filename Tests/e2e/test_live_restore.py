"""live-restore (issue 19): with `"live-restore": true` a SIGTERM stops berthd alone — containerd, the shims
and the containers keep running, and berthd records what it left — and the next berthd adopts them: the
same containerd process, the published port still served, the logs continuing without a gap, `exec` and
`stop` working. The same after a `kill -9` of berthd. The key reloads with SIGHUP; without it, SIGTERM
stops the containers and containerd."""

from __future__ import annotations

import json
import os
import signal
import socket
import time
import urllib.request

import pytest

from conftest import Daemon, process_alive, run_docker, wait_until
from image_fixtures import busybox_layer, docker_archive

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (containers)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def served(port: int) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/passwd", timeout=2) as r:
            return r.status
    except OSError:
        return 0


def ticks(d: Daemon) -> list[int]:
    lines = run_docker(d, "logs", "lr-tick").stdout.split()
    return [int(word) for word in lines if word.isdigit()]


def record_path(d: Daemon) -> str:
    return os.path.join(d.exec_root, "live-restore.json")


@pytest.fixture
def workload(make_daemon, tmp_path):
    """A berthd with live-restore serving a web container on a published port and a container that
    counts on its stdout."""
    d = make_daemon(["--fault-injection"], config={"live-restore": True})
    path = str(tmp_path / "busybox.tar")
    docker_archive(path, [busybox_layer()], ["busybox:latest"])
    run_docker(d, "load", "-i", path, timeout=120)
    port = free_port()
    run_docker(d, "run", "-d", "--name", "lr-web", "-p", f"127.0.0.1:{port}:80", "busybox", "httpd", "-f", "-p", "80", "-h", "/etc")
    run_docker(d, "run", "-d", "--name", "lr-tick", "--network", "none", "busybox", "sh", "-c",
               "i=0; while :; do echo $i; i=$((i+1)); sleep 0.05; done")
    wait_until(lambda: served(port) == 200, 10, what="the published port to answer")
    wait_until(lambda: len(ticks(d)) > 3, 10, what="the counter's first lines")
    yield d, port
    # Leave nothing running: the fixture's cleanup counts whatever outlives berthd as a leak.
    if d.running():
        run_docker(d, "rm", "-f", "lr-web", "lr-tick", check=False)
        d.write_config({"live-restore": False})
        d.reload()


def restart(d: Daemon):
    d._close_log()
    d.proc = None
    d.start()


def check_adopted(d: Daemon, port: int, containerd: int, last_tick: int):
    """What must hold after berthd came back on containerd and containers it left running."""
    assert d.containerd_pid() == containerd, d.child("containerd")
    assert (d.child("containerd").get("info") or {}).get("adopted") == "true"
    running = run_docker(d, "ps", "--format", "{{.Names}}").stdout.split()
    assert sorted(running) == ["lr-tick", "lr-web"], running
    assert served(port) == 200
    # The counter's lines written while berthd was down are in the log, and new ones keep coming.
    wait_until(lambda: ticks(d)[-1] > last_tick + 5, 10, what="new log lines after the restart")
    seen = ticks(d)
    assert seen == list(range(seen[0], seen[0] + len(seen))), f"a gap in the log: {seen}"
    run_docker(d, "exec", "lr-web", "true")
    run_docker(d, "stop", "-t", "1", "lr-web")
    run_docker(d, "start", "lr-web")
    wait_until(lambda: served(port) == 200, 10, what="the published port after a restart of the container")


def test_sigterm_with_live_restore_leaves_everything_running_and_the_next_berthd_adopts_it(workload):
    d, port = workload
    containerd = d.containerd_pid()
    ids = sorted(run_docker(d, "ps", "-q", "--no-trunc").stdout.split())
    last_tick = ticks(d)[-1]
    t0 = time.monotonic()
    d.signal(signal.SIGTERM)
    assert d.wait_exit(10) == 0, d.log_tail()
    assert time.monotonic() - t0 < 3, "berthd took long to leave with live-restore"
    assert process_alive(containerd)
    assert served(port) == 200
    with open(record_path(d)) as f:
        record = json.load(f)
    assert record["containerdPid"] == containerd and record["containers"] == ids, record
    time.sleep(1)  # the counter writes while no berthd reads
    restart(d)
    assert not os.path.exists(record_path(d)), "the next boot did not take the record"
    assert "stopped with live-restore" in d.log_tail(200)
    check_adopted(d, port, containerd, last_tick)


def test_kill_9_of_berthd_leaves_everything_for_the_next_one(workload):
    d, port = workload
    containerd = d.containerd_pid()
    last_tick = ticks(d)[-1]
    d.kill()
    assert process_alive(containerd)
    assert served(port) == 200
    restart(d)
    check_adopted(d, port, containerd, last_tick)
    # A crash of the containerd child itself leaves containerd to its next incarnation as well.
    before = d.child("containerd")["incarnation"]
    assert d.fault("containerd", "crash").status in (200, 202, 204)
    wait_until(lambda: d.child("containerd")["incarnation"] > before and d.child("containerd")["state"] == "running", 15,
               what="the containerd child to come back")
    assert d.containerd_pid() == containerd
    d.wait_healthy(15)
    run_docker(d, "exec", "lr-web", "true")


def test_live_restore_reloads_and_sigterm_follows_it(make_daemon, tmp_path):
    d = make_daemon([], config={"live-restore": False})
    path = str(tmp_path / "busybox.tar")
    docker_archive(path, [busybox_layer()], ["busybox:latest"])
    run_docker(d, "load", "-i", path, timeout=120)
    run_docker(d, "run", "-d", "--name", "keeper", "--network", "none", "busybox", "sleep", "300")
    assert d.info()["LiveRestoreEnabled"] is False
    d.write_config({"live-restore": True})
    d.reload()
    assert d.info()["LiveRestoreEnabled"] is True
    containerd = d.containerd_pid()
    task = run_docker(d, "inspect", "-f", "{{.State.Pid}}", "keeper").stdout.strip()
    d.signal(signal.SIGTERM)
    assert d.wait_exit(10) == 0, d.log_tail()
    assert process_alive(containerd) and process_alive(int(task))
    restart(d)
    assert d.containerd_pid() == containerd
    assert run_docker(d, "inspect", "-f", "{{.State.Pid}}", "keeper").stdout.strip() == task
    # Turned off again by a reload: the next SIGTERM stops the container and containerd.
    d.write_config({"live-restore": False})
    d.reload()
    assert d.info()["LiveRestoreEnabled"] is False
    d.signal(signal.SIGTERM)
    assert d.wait_exit(30) == 0, d.log_tail()
    wait_until(lambda: not process_alive(containerd) and not process_alive(int(task)), 5, what="containerd and the container to stop")
    assert d.leftover_processes() == []
    assert not os.path.exists(record_path(d))


def test_sigterm_without_live_restore_leaves_no_containerd_and_no_container(make_daemon, tmp_path):
    d = make_daemon([])
    path = str(tmp_path / "busybox.tar")
    docker_archive(path, [busybox_layer()], ["busybox:latest"])
    run_docker(d, "load", "-i", path, timeout=120)
    run_docker(d, "run", "-d", "--name", "keeper", "--network", "none", "busybox", "sleep", "300")
    containerd = d.containerd_pid()
    task = int(run_docker(d, "inspect", "-f", "{{.State.Pid}}", "keeper").stdout.strip())
    d.signal(signal.SIGTERM)
    assert d.wait_exit(30) == 0, d.log_tail()
    wait_until(lambda: not process_alive(containerd) and not process_alive(task), 5, what="containerd and the container to stop")
    assert d.leftover_processes() == []
