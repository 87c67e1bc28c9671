"""Restore picks up everything that runs: after a crash of the containers child, a kill -9 of berthd, or
a SIGTERM with live-restore, the running containers are back at once with their health checks, exec
sessions, restart policies (a restart backoff included), published ports, embedded DNS names, logs and
attach streams; `docker ps`, `logs -f`, `exec`, `attach`, `stats` and `stop` work on them."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess

import pytest

from conftest import Daemon, docker_cli, load_busybox, run_docker, wait_until
from test_network import HTTPD, fetch, free_port

TICKER = "i=0; while true; do i=$((i+1)); echo tick$i; sleep 0.1; done"
KINDS = ["containers-crash", "kill-9", "sigterm-live-restore"]


def inspect(d: Daemon, name: str) -> dict:
    return json.loads(run_docker(d, "inspect", name).stdout)[0]


def ticks(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"^tick(\d+)$", text, re.M)]


def start_exec(d: Daemon, container: str, cmd: list[str]) -> str:
    r = d.post(f"/containers/{container}/exec", {"Cmd": cmd})
    assert r.status == 201, r
    exec_id = r.json()["Id"]
    r = d.post(f"/exec/{exec_id}/start", {"Detach": True})
    assert r.status == 200, r
    return exec_id


def restart(d: Daemon, kind: str, while_down) -> None:
    """Restarts berthd's hold on its containers the way `kind` says; `while_down` runs in between."""
    if kind == "containers-crash":
        before = d.child("containers")["incarnation"]
        # the next starts fail, so the child stays down a moment (about 0.7 s of backoff)
        assert d.fault("containers", "fail-start", count=3).status in (200, 201, 202, 204)
        assert d.fault("containers", "crash").status in (200, 201, 202, 204)
        while_down()
        wait_until(lambda: d.child("containers", retry_for=10)["incarnation"] > before
                   and d.child("containers")["state"] == "running", 30, 0.1, "the containers child to be back")
        return
    if kind == "kill-9":
        d.kill()
    else:
        assert d.stop() == 0, d.log_tail()
    d.proc = None
    while_down()
    d.start()


@pytest.mark.parametrize("kind", KINDS)
def test_everything_running_is_back(make_daemon, tmp_path, kind):
    d = make_daemon(["--fault-injection"], config={"live-restore": True}, name=kind)
    load_busybox(d, str(tmp_path))
    port = free_port()
    try:
        run_docker(d, "network", "create", "rnet")
        run_docker(d, "run", "-d", "--name", "web", "--hostname", "web", "--network", "rnet", "-p", f"127.0.0.1:{port}:80",
                   "busybox", "sh", "-c", HTTPD)
        run_docker(d, "run", "-d", "--name", "asker", "--network", "rnet", "busybox", "sleep", "300")
        run_docker(d, "run", "-d", "--name", "doc", "--network", "none", "--health-cmd", "test -f /tmp/ok",
                   "--health-interval", "1s", "--health-retries", "2", "busybox", "sh", "-c", "touch /tmp/ok; sleep 300")
        run_docker(d, "run", "-d", "--name", "talker", "--network", "none", "busybox", "sh", "-c", TICKER)
        # on a network with a published port: its restart must find both free again
        phoenix_port = free_port()
        run_docker(d, "run", "-d", "--name", "phoenix", "--hostname", "phoenix", "--network", "rnet",
                   "-p", f"127.0.0.1:{phoenix_port}:80", "--restart", "always", "busybox", "sh", "-c", HTTPD)
        run_docker(d, "run", "-d", "--name", "flapper", "--network", "none", "--restart", "always", "busybox", "sh", "-c", "exit 1")
        wait_until(lambda: inspect(d, "doc")["State"]["Health"]["Status"] == "healthy", 20, what="doc to be healthy")
        assert fetch(port) == "hello-web\n"
        phoenix_pid = inspect(d, "phoenix")["State"]["Pid"]
        running = {c["Names"][0] for c in d.get_json("/containers/json")}
        long_exec = start_exec(d, "asker", ["sh", "-c", "sleep 8; exit 3"])
        wait_until(lambda: d.get_json(f"/exec/{long_exec}/json")["Running"], 10, what="the exec to run")
        # its restart delay doubles from 100 ms: after five restarts it waits 3.2 s, across the restart below
        wait_until(lambda: inspect(d, "flapper")["RestartCount"] >= 5, 20, what="the flapping container's restarts")
        flaps = inspect(d, "flapper")["RestartCount"]

        restart(d, kind, lambda: os.kill(phoenix_pid, signal.SIGKILL))

        # at once: the same containers run, the health status is kept, the exec is known
        ps = {c["Names"][0] for c in d.get_json("/containers/json")}
        assert running - {"/phoenix"} <= ps, (running, ps)
        assert inspect(d, "doc")["State"]["Health"]["Status"] == "healthy"
        exec_state = d.get_json(f"/exec/{long_exec}/json")
        assert exec_state["Running"] or exec_state["ExitCode"] == 3, exec_state

        # the container killed meanwhile comes back per its policy
        wait_until(lambda: inspect(d, "phoenix")["State"]["Running"] and inspect(d, "phoenix")["State"]["Pid"] != phoenix_pid,
                   20, what="the --restart always container to run again")
        assert fetch(phoenix_port) == "hello-phoenix\n"

        # the one waiting in its restart backoff is restarted
        wait_until(lambda: inspect(d, "flapper")["RestartCount"] > flaps, 20, what="the backoff to end in a restart")

        # the port is served and still held
        assert fetch(port) == "hello-web\n"
        taken = run_docker(d, "run", "--rm", "-p", f"127.0.0.1:{port}:80", "busybox", "true", check=False)
        assert taken.returncode != 0 and "port is already allocated" in taken.stderr, taken

        # the embedded DNS answers the running containers' names
        assert run_docker(d, "exec", "asker", "wget", "-q", "-O", "-", "http://web/").stdout == "hello-web\n"

        # the exec's exit code is recorded when it ends
        wait_until(lambda: d.get_json(f"/exec/{long_exec}/json")["ExitCode"] == 3, 20, what="the exec's exit code")
        assert d.get_json(f"/exec/{long_exec}/json")["Running"] is False

        # the health check goes on: it notices the file is gone
        run_docker(d, "exec", "doc", "rm", "/tmp/ok")
        wait_until(lambda: inspect(d, "doc")["State"]["Health"]["Status"] == "unhealthy", 20, what="the check to run again")

        # logs -f follows, attach streams, and the log has no gap
        last = ticks(run_docker(d, "logs", "--tail", "1", "talker").stdout)[-1]
        follower = subprocess.Popen([docker_cli(), "logs", "-f", "--tail", "0", "talker"], env=d.docker_env(),
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        attacher = subprocess.Popen([docker_cli(), "attach", "--no-stdin", "--sig-proxy=false", "talker"], env=d.docker_env(),
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            for stream in (follower, attacher):
                line = stream.stdout.readline()
                assert ticks(line) and ticks(line)[0] > last, line
        finally:
            follower.kill()
            attacher.kill()
            follower.wait()
            attacher.wait()
        numbers = ticks(run_docker(d, "logs", "talker").stdout)
        assert numbers == list(range(1, len(numbers) + 1)), "the log has a gap or a repeat"

        stats = json.loads(run_docker(d, "stats", "--no-stream", "--format", "{{json .}}", "talker").stdout)
        assert stats["Name"] == "talker" and stats["PIDs"] != "0", stats
        run_docker(d, "stop", "-t", "1", "talker")
        assert inspect(d, "talker")["State"]["Status"] == "exited"
    finally:
        # with live-restore a stop leaves containers running: remove them before the daemon stops
        run_docker(d, "rm", "-f", "web", "asker", "doc", "talker", "phoenix", "flapper", timeout=60, check=False)
        run_docker(d, "network", "rm", "rnet", check=False)
