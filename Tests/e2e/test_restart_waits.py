"""Restarts clients do not see: while a child restarts, requests for it wait for its next incarnation
(`child-restart-wait`), a read in flight at the crash is answered by the next one, and a stream the
crash cuts ends cleanly, as when dockerd restarts."""

import subprocess
import threading
import time

import pytest

from conftest import docker_cli, load_busybox, run_docker, wait_until


@pytest.fixture
def clean(make_daemon, tmp_path):
    """A fresh daemon per test: crashes count toward the tree's restart intensity."""
    d = make_daemon(["--fault-injection"])
    d.wait_healthy(30)
    return d


def test_reads_do_not_fail_while_children_crash_in_turn(clean):
    d = clean
    codes = []

    def load():
        for _ in range(300):
            codes.append(d.get("/containers/json", timeout=15).status)

    reader = threading.Thread(target=load)
    reader.start()
    for child in ("containers", "images", "network", "volumes"):
        time.sleep(0.2)
        r = d.fault(child, "crash")
        assert r.status == 202, r
    reader.join(60)
    assert codes.count(200) == len(codes) == 300, sorted(set(codes))
    for child in ("containers", "images", "network", "volumes"):
        c = wait_until(lambda: (c := d.child(child, retry_for=10))["state"] == "running" and c, 30, 0.1, child)
        assert c["restarts"] >= 1, c


def test_follow_ends_cleanly_when_containers_crashes(clean, tmp_path):
    d = clean
    load_busybox(d, str(tmp_path))
    cid = run_docker(d, "run", "-d", "--network", "none", "busybox", "sh", "-c",
                     "while :; do echo tick; sleep 0.1; done").stdout.strip()
    follower = subprocess.Popen([docker_cli(), "logs", "-f", cid], env=d.docker_env(),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    try:
        assert follower.stdout.readline().strip() == b"tick"
        assert d.fault("containers", "crash").status == 202
        # the cut stream ends like a daemon restart ends it: the client sees the end of the body
        follower.wait(timeout=15)
        assert follower.returncode == 0, follower.stderr.read()
    finally:
        follower.kill()
    # the container ran on, and the next incarnation serves it
    wait_until(lambda: d.child("containers", retry_for=10)["state"] == "running", 30, 0.1, "containers back")
    assert "tick" in run_docker(d, "logs", "--tail", "1", cid).stdout
    run_docker(d, "rm", "-f", cid)
