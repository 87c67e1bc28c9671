"""berthd's containerd: the one it starts is supervised (kill -9 heals), stops with it, and
`--containerd ADDR` uses an existing containerd instead of starting one."""

import os
import shutil
import signal
import subprocess
import tempfile
import time

import pytest

from conftest import process_alive, run_docker, wait_until

HEAL_TIMEOUT = 15.0


def _components(d):
    return [c["Name"] for c in d.get_json("/version", retry_for=5)["Components"]]


def test_kill_9_containerd_is_restarted(make_daemon):
    d = make_daemon([])
    old_pid = d.containerd_pid()
    assert old_pid and process_alive(old_pid), d.child("containerd")
    before = d.child("containerd")

    os.kill(old_pid, signal.SIGKILL)
    wait_until(lambda: not process_alive(old_pid), 5, 0.05, "the killed containerd to be gone")

    def healed():
        c = d.child("containerd")
        return c["state"] == "running" and c["restarts"] >= before["restarts"] + 1 and c
    c = wait_until(healed, HEAL_TIMEOUT, 0.1, "the containerd child to restart containerd")
    assert c["incarnation"] >= 2, c
    new_pid = d.containerd_pid()
    assert new_pid and new_pid != old_pid and process_alive(new_pid), c

    d.wait_healthy(HEAL_TIMEOUT)
    assert "containerd" in _components(d)
    if shutil.which("docker"):
        cp = run_docker(d, "version", "--format", "{{range .Server.Components}}{{.Name}} {{end}}")
        assert "containerd" in cp.stdout
    # berthd itself never went away
    assert d.running()
    assert d.get("/info").status == 200


def test_containerd_stops_with_berthd(make_daemon):
    d = make_daemon([])
    pid = d.containerd_pid()
    assert pid and process_alive(pid)
    assert d.stop() == 0, d.log_tail()
    wait_until(lambda: not process_alive(pid), 5, 0.1, "berthd's containerd to exit with it")


CONTAINERD_CONFIG = """version = 2
root = "{root}"
state = "{state}"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "{sock}"
[ttrpc]
  address = "{sock}.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
"""


@pytest.fixture
def external_containerd():
    binary = shutil.which("containerd")
    if not binary:
        pytest.skip("containerd not installed")
    base = tempfile.mkdtemp(prefix="berth-ctd-", dir="/tmp")
    sock = os.path.join(base, "c.sock")
    cfg = os.path.join(base, "config.toml")
    with open(cfg, "w") as f:
        f.write(CONTAINERD_CONFIG.format(root=os.path.join(base, "root"), state=os.path.join(base, "state"), sock=sock))
    log = open(os.path.join(base, "containerd.log"), "wb")
    proc = subprocess.Popen([binary, "--config", cfg], stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        def up():
            if proc.poll() is not None:
                raise AssertionError(f"containerd exited with {proc.returncode}")
            return os.path.exists(sock)
        wait_until(up, 20, 0.1, "the external containerd socket")
        yield proc, sock
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
        log.close()
        if not os.environ.get("BERTH_E2E_KEEP"):
            shutil.rmtree(base, ignore_errors=True)


def test_existing_containerd_is_used_and_left_running(make_daemon, external_containerd):
    proc, sock = external_containerd
    d = make_daemon(["--containerd", sock])
    c = d.child("containerd")
    assert c["state"] == "running", c
    address = (c.get("info") or {}).get("address", "")
    assert address.removeprefix("unix://") == sock, c
    pid = (c.get("info") or {}).get("pid")
    assert pid in (None, "", 0, "0") or int(pid) == proc.pid, f"berthd started its own containerd: {c}"
    assert "containerd" in _components(d)
    assert d.stop() == 0, d.log_tail()
    time.sleep(0.5)
    assert proc.poll() is None, "berthd stopped a containerd it did not start"
    assert os.path.exists(sock)
