"""Containers on containerd and runc, through the real docker CLI and docker-py: run (attached, detached,
with stdin, with a terminal), exit codes, logs, exec, cp, stop/kill/restart/pause, wait, rename, rm,
restart policies, Docker's errors, and containers that outlive a crash of their child and of berthd."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import Daemon, docker_cli, finish, run_docker, wait_until
from image_fixtures import busybox_layer, docker_archive

NONE = ("--network", "none")


@pytest.fixture(scope="module")
def engine(berthd_bin, tmp_path_factory):
    d = Daemon(berthd_bin, ["--fault-injection"], name="containers")
    d.start()
    path = str(tmp_path_factory.mktemp("img") / "busybox.tar")
    docker_archive(path, [busybox_layer()], ["busybox:latest"], cmd=("sh",))
    run_docker(d, "load", "-i", path, timeout=120)
    yield d
    run_docker(d, "rm", "-f", *all_ids(d), check=False, timeout=60)
    assert leftover_mounts(d) == [], "removed containers left their roots mounted"
    finish(d)


def leftover_mounts(d: Daemon) -> list[str]:
    with open("/proc/self/mountinfo") as f:
        return [line.split()[4] for line in f if line.split()[4].startswith(d.dir + "/")]


def all_ids(d: Daemon) -> list[str]:
    return [c["Id"] for c in d.get_json("/containers/json?all=1")]


def inspect(d: Daemon, name: str) -> dict:
    return json.loads(run_docker(d, "inspect", name).stdout)[0]


def test_run_rm_echo_prints_and_removes(engine):
    cp = run_docker(engine, "run", "--rm", *NONE, "busybox", "echo", "hi")
    assert cp.stdout == "hi\n", cp
    assert leftover_mounts(engine) == []
    assert all_ids(engine) == [] or all(inspect(engine, i)["Name"] != "" for i in all_ids(engine))


def test_exit_codes_propagate(engine):
    cp = run_docker(engine, "run", "--rm", *NONE, "busybox", "sh", "-c", "echo out; echo err >&2; exit 7", check=False)
    assert cp.returncode == 7, cp
    assert cp.stdout == "out\n" and cp.stderr == "err\n", cp


def test_missing_command_is_127(engine):
    cp = run_docker(engine, "run", "--rm", *NONE, "busybox", "no-such-binary", check=False)
    assert cp.returncode == 127, cp
    assert "no-such-binary" in cp.stderr, cp.stderr


def test_detached_logs_exec_stop_rm(engine):
    cid = run_docker(engine, "run", "-d", *NONE, "--name", "web", "busybox", "sh", "-c",
                     "echo started; trap 'echo bye; exit 0' TERM; while true; do sleep 0.1; done").stdout.strip()
    assert len(cid) == 64
    wait_until(lambda: "started" in run_docker(engine, "logs", "web").stdout, 10, what="first log line")
    ps = run_docker(engine, "ps", "--format", "{{.Names}} {{.Status}}").stdout
    assert "web Up" in ps, ps
    assert run_docker(engine, "exec", "web", "sh", "-c", "echo in-$((6*7))").stdout == "in-42\n"
    cp = run_docker(engine, "exec", "web", "sh", "-c", "exit 3", check=False)
    assert cp.returncode == 3
    run_docker(engine, "exec", "-d", "web", "touch", "/tmp/detached")
    wait_until(lambda: run_docker(engine, "exec", "web", "test", "-f", "/tmp/detached", check=False).returncode == 0, 10,
               what="exec -d to run")
    state = inspect(engine, "web")["State"]
    assert state["Running"] and state["Pid"] > 0 and state["Status"] == "running"
    run_docker(engine, "stop", "-t", "5", "web")
    state = inspect(engine, "web")["State"]
    assert state["Status"] == "exited" and state["ExitCode"] == 0, state
    assert run_docker(engine, "logs", "web").stdout == "started\nbye\n"
    cp = run_docker(engine, "rm", "web")
    assert run_docker(engine, "inspect", "web", check=False).returncode != 0


def test_stdin_through_run_i(engine):
    cp = subprocess.run([docker_cli(), "run", "--rm", "-i", *NONE, "busybox", "sh", "-c", "cat; echo done"],
                        env=engine.docker_env(), input="piped\n", capture_output=True, text=True, timeout=30)
    assert cp.returncode == 0 and cp.stdout == "piped\ndone\n", cp


def test_run_it_under_a_pty(engine):
    if not shutil.which("script"):
        pytest.skip("script (util-linux) is not installed")
    command = f"{docker_cli()} run --rm -it --network none busybox sh -c 'stty size; test -t 0 && echo tty; exit 3'"
    cp = subprocess.run(["script", "-qec", command, "/dev/null"], env={**engine.docker_env(), "COLUMNS": "100", "LINES": "40"},
                        capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    assert cp.returncode == 3, cp
    assert "tty" in cp.stdout, cp.stdout


def test_cp_both_ways(engine, tmp_path):
    run_docker(engine, "run", "-d", *NONE, "--name", "files", "busybox", "sleep", "300")
    src = tmp_path / "f.txt"
    src.write_text("cp-data\n")
    run_docker(engine, "cp", str(src), "files:/tmp/f.txt")
    assert run_docker(engine, "exec", "files", "cat", "/tmp/f.txt").stdout == "cp-data\n"
    run_docker(engine, "exec", "files", "sh", "-c", "mkdir -p /out/d && echo deep > /out/d/x")
    run_docker(engine, "cp", "files:/out", str(tmp_path / "got"))
    assert (tmp_path / "got" / "d" / "x").read_text() == "deep\n"
    run_docker(engine, "rm", "-f", "files")


def test_kill_pause_restart_rename_wait(engine):
    run_docker(engine, "run", "-d", *NONE, "--name", "pp", "busybox", "sleep", "300")
    run_docker(engine, "pause", "pp")
    assert inspect(engine, "pp")["State"]["Status"] == "paused"
    assert "Paused" in run_docker(engine, "ps", "--filter", "name=pp", "--format", "{{.Status}}").stdout
    run_docker(engine, "unpause", "pp")
    pid = inspect(engine, "pp")["State"]["Pid"]
    run_docker(engine, "restart", "-t", "1", "pp")
    state = inspect(engine, "pp")["State"]
    assert state["Running"] and state["Pid"] != pid
    run_docker(engine, "rename", "pp", "pp2")
    assert inspect(engine, "pp2")["Name"] == "/pp2"
    run_docker(engine, "kill", "--signal", "KILL", "pp2")
    assert run_docker(engine, "wait", "pp2").stdout.strip() == "137"
    run_docker(engine, "rm", "pp2")


def test_restart_policy_on_failure(engine):
    run_docker(engine, "run", "-d", *NONE, "--name", "flaky", "--restart", "on-failure:2", "busybox", "sh", "-c", "exit 5")
    wait_until(lambda: inspect(engine, "flaky")["RestartCount"] == 2 and inspect(engine, "flaky")["State"]["Status"] == "exited",
               20, what="two restarts then a stop")
    assert inspect(engine, "flaky")["State"]["ExitCode"] == 5
    run_docker(engine, "rm", "flaky")


def test_always_restarts_after_kill_but_not_after_stop(engine):
    run_docker(engine, "run", "-d", *NONE, "--name", "always", "--restart", "always", "busybox", "sleep", "300")
    pid = inspect(engine, "always")["State"]["Pid"]
    os.kill(pid, signal.SIGKILL)
    wait_until(lambda: inspect(engine, "always")["State"]["Running"] and inspect(engine, "always")["State"]["Pid"] != pid, 20,
               what="restart after the process was killed")
    run_docker(engine, "stop", "-t", "1", "always")
    time.sleep(1)
    assert inspect(engine, "always")["State"]["Status"] == "exited"
    run_docker(engine, "rm", "always")


def test_docker_errors(engine):
    run_docker(engine, "create", *NONE, "--name", "dup", "busybox", "true")
    cp = run_docker(engine, "create", *NONE, "--name", "dup", "busybox", "true", check=False)
    assert cp.returncode != 0 and "is already in use" in cp.stderr, cp.stderr
    cp = run_docker(engine, "create", *NONE, "--name", "bad name!", "busybox", "true", check=False)
    assert cp.returncode != 0 and "Invalid container name" in cp.stderr, cp.stderr
    r = engine.post("/containers/no-such/start")
    assert r.status == 404 and "No such container: no-such" in r.error_message()
    run_docker(engine, "run", "-d", *NONE, "--name", "busy", "busybox", "sleep", "300")
    r = engine.delete("/containers/busy")
    assert r.status == 409 and "stop the container" in r.error_message(), r
    cp = run_docker(engine, "run", "--rm", "--network", "no-such-net", "busybox", "true", check=False)
    assert cp.returncode != 0 and "network no-such-net not found" in cp.stderr, cp.stderr
    r = engine.post("/containers/create", body={"Image": "no-such-image:1", "Cmd": ["true"], "HostConfig": {"NetworkMode": "none"}})
    assert r.status == 404 and "No such image" in r.error_message()
    assert not any(inspect(engine, i)["Config"]["Image"] == "no-such-image:1" for i in all_ids(engine))
    run_docker(engine, "rm", "-f", "busy", "dup")


def test_creates_at_once_get_names_of_their_own(engine):
    """A name is taken when its create begins: of creates that run at once, one gets a requested
    name and the others a conflict naming its container; generated names never collide."""
    def create(name=None):
        path = "/containers/create" + (f"?name={name}" if name else "")
        return engine.post(path, body={"Image": "busybox", "Cmd": ["true"], "HostConfig": {"NetworkMode": "none"}})

    with ThreadPoolExecutor(8) as pool:
        same = list(pool.map(lambda _: create("twin"), range(8)))
        generated = list(pool.map(lambda _: create(), range(40)))
    assert sorted(r.status for r in same) == [201] + [409] * 7, [r.text for r in same]
    winner = next(r for r in same if r.status == 201).json()["Id"]
    assert all(f'already in use by container "{winner}"' in r.error_message() for r in same if r.status == 409)
    assert all(r.status == 201 for r in generated), [r.text for r in generated if r.status != 201]
    ids = [r.json()["Id"] for r in generated]
    assert len({inspect(engine, i)["Name"] for i in ids}) == len(ids)
    run_docker(engine, "rm", "twin", *ids, timeout=60)


def test_events_of_a_run(engine):
    since = int(time.time()) - 1
    run_docker(engine, "run", "--rm", *NONE, "--name", "ev", "busybox", "sh", "-c", "exit 2", check=False)
    until = int(time.time()) + 1
    time.sleep(1.1)
    events = engine.events(since=since, until=until, filters={"type": ["container"], "container": ["ev"]})
    actions = [e["Action"] for e in events]
    for action in ("create", "attach", "start", "die", "destroy"):
        assert action in actions, actions
    die = next(e for e in events if e["Action"] == "die")
    assert die["Actor"]["Attributes"]["exitCode"] == "2"


def test_containers_survive_a_crash_of_their_child(engine):
    run_docker(engine, "run", "-d", *NONE, "--name", "steady", "busybox", "sh", "-c", "while true; do echo tick; sleep 0.2; done")
    pid = inspect(engine, "steady")["State"]["Pid"]
    r = engine.fault("containers", "crash")
    assert r.status == 202, r
    engine.wait_healthy()
    state = inspect(engine, "steady")["State"]
    assert state["Running"] and state["Pid"] == pid
    before = run_docker(engine, "logs", "steady").stdout.count("tick")
    wait_until(lambda: run_docker(engine, "logs", "steady").stdout.count("tick") > before, 10, what="logs to go on")
    run_docker(engine, "rm", "-f", "steady")


def test_dockerpy_run_and_exec(engine):
    docker = pytest.importorskip("docker")
    client = docker.DockerClient(base_url=f"unix://{engine.sock}")
    out = client.containers.run("busybox", "echo hi", remove=True, network_mode="none")
    assert out == b"hi\n"
    c = client.containers.run("busybox", "sleep 300", detach=True, network_mode="none", name="py")
    code, output = c.exec_run("sh -c 'echo $((1+2))'")
    assert code == 0 and output == b"3\n"
    c.reload()
    assert c.status == "running"
    c.stop(timeout=1)
    assert c.wait()["StatusCode"] in (137, 143)
    c.remove()


def test_state_survives_kill_9_of_berthd(berthd_bin):
    d = Daemon(berthd_bin, name="restart")
    d.start()
    try:
        import tempfile
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "busybox.tar")
            docker_archive(path, [busybox_layer()], ["busybox:latest"])
            run_docker(d, "load", "-i", path, timeout=120)
        cid = run_docker(d, "run", "-d", *NONE, "--name", "keeper", "busybox", "sh", "-c",
                         "echo before; while true; do sleep 0.2; done").stdout.strip()
        run_docker(d, "create", *NONE, "--name", "idle", "busybox", "true")
        run_docker(d, "run", "-d", *NONE, "--name", "phoenix", "--restart", "always", "busybox", "sleep", "300")
        phoenix_pid = inspect(d, "phoenix")["State"]["Pid"]
        wait_until(lambda: "before" in run_docker(d, "logs", "keeper").stdout, 10, what="log line")
        d.kill()
        d.proc = None
        os.kill(phoenix_pid, signal.SIGKILL)  # its task dies while berthd is down
        d.start()
        wait_until(lambda: inspect(d, "phoenix")["State"]["Running"], 20, what="the always container to run again")
        assert inspect(d, "phoenix")["State"]["Pid"] != phoenix_pid
        state = inspect(d, "keeper")["State"]
        assert inspect(d, "keeper")["Id"] == cid and state["Running"], state
        assert inspect(d, "idle")["State"]["Status"] == "created"
        assert "before" in run_docker(d, "logs", "keeper").stdout
        run_docker(d, "stop", "-t", "1", "keeper")
        run_docker(d, "rm", "-f", "keeper", "idle", "phoenix")
    finally:
        finish(d)


def test_top_stats_update(engine):
    run_docker(engine, "run", "-d", *NONE, "--name", "meter", "busybox", "sleep", "300")
    top = run_docker(engine, "top", "meter").stdout
    assert "sleep 300" in top and "PID" in top, top
    stats = json.loads(run_docker(engine, "stats", "--no-stream", "--format", "{{json .}}", "meter").stdout)
    assert stats["Name"] == "meter" and "MiB" in stats["MemUsage"] or "KiB" in stats["MemUsage"], stats
    run_docker(engine, "update", "--memory", "64m", "--memory-swap", "128m", "--restart", "on-failure:3", "meter")
    info = inspect(engine, "meter")
    assert info["HostConfig"]["Memory"] == 64 * 1024 * 1024
    assert info["HostConfig"]["RestartPolicy"] == {"Name": "on-failure", "MaximumRetryCount": 3}
    assert "64MiB" in run_docker(engine, "stats", "--no-stream", "--format", "{{.MemUsage}}", "meter").stdout
    run_docker(engine, "rm", "-f", "meter")


def test_diff_and_export(engine, tmp_path):
    run_docker(engine, "run", *NONE, "--name", "changed", "busybox", "sh", "-c", "mkdir /made && echo x > /made/f && rm /bin/cat")
    diff = run_docker(engine, "diff", "changed").stdout.split("\n")
    assert "A /made" in diff and "A /made/f" in diff and "D /bin/cat" in diff and "C /bin" in diff, diff
    out = tmp_path / "export.tar"
    run_docker(engine, "export", "-o", str(out), "changed")
    import tarfile
    names = tarfile.open(out).getnames()
    assert "made/f" in names and "bin/busybox" in names and "bin/cat" not in names, names[:20]
    run_docker(engine, "rm", "changed")


def test_health_transitions(engine):
    run_docker(engine, "run", "-d", *NONE, "--name", "doc", "--health-cmd", "test -f /tmp/ok", "--health-interval", "1s",
               "--health-retries", "2", "--health-timeout", "5s", "busybox", "sleep", "300")
    assert inspect(engine, "doc")["State"]["Health"]["Status"] == "starting"
    wait_until(lambda: inspect(engine, "doc")["State"]["Health"]["Status"] == "unhealthy", 20, what="unhealthy")
    assert "(unhealthy)" in run_docker(engine, "ps", "--filter", "name=doc", "--format", "{{.Status}}").stdout
    assert [c["Names"] for c in engine.get_json('/containers/json?filters={"health":["unhealthy"]}')] == [["/doc"]]
    run_docker(engine, "exec", "doc", "touch", "/tmp/ok")
    wait_until(lambda: inspect(engine, "doc")["State"]["Health"]["Status"] == "healthy", 20, what="healthy")
    log = inspect(engine, "doc")["State"]["Health"]["Log"]
    assert log[-1]["ExitCode"] == 0 and any(p["ExitCode"] == 1 for p in log), log
    run_docker(engine, "rm", "-f", "doc")


def test_commit_and_rmi_conflicts(engine):
    run_docker(engine, "run", *NONE, "--name", "base", "busybox", "sh", "-c", "echo committed > /greeting")
    image_id = run_docker(engine, "commit", "-c", "ENV COMMITTED=1", "-c", 'CMD ["cat", "/greeting"]', "-m", "first", "base",
                          "committed:1").stdout.strip()
    assert image_id.startswith("sha256:")
    info = json.loads(run_docker(engine, "image", "inspect", "committed:1").stdout)[0]
    assert "COMMITTED=1" in info["Config"]["Env"] and info["Comment"] == "first" and len(info["RootFS"]["Layers"]) == 2
    assert run_docker(engine, "run", "--rm", *NONE, "committed:1").stdout == "committed\n"
    cp = run_docker(engine, "rmi", "busybox", check=False)
    assert cp.returncode != 0 and "is using its referenced image" in cp.stderr, cp.stderr
    run_docker(engine, "run", "-d", *NONE, "--name", "user", "committed:1", "sleep", "300")
    cp = run_docker(engine, "rmi", info["Id"], check=False)
    assert cp.returncode != 0 and "cannot be forced" in cp.stderr, cp.stderr
    run_docker(engine, "image", "prune", "-af")
    assert run_docker(engine, "image", "inspect", info["Id"], check=False).returncode == 0
    run_docker(engine, "rm", "-f", "user", "base")
    run_docker(engine, "rmi", "committed:1")


def test_spec_options_reach_the_process(engine):
    out = run_docker(engine, "run", "--rm", *NONE, "--user", "65534:65534", "--workdir", "/work", "--hostname", "box", "-e", "A=1",
                     "busybox", "sh", "-c", "id -u; id -g; pwd; hostname; echo $A").stdout.split()
    assert out == ["65534", "65534", "/work", "box", "1"], out
    cp = run_docker(engine, "run", "--rm", *NONE, "--read-only", "busybox", "touch", "/x", check=False)
    assert cp.returncode != 0 and "Read-only file system" in cp.stderr, cp
    assert run_docker(engine, "run", "--rm", *NONE, "--init", "busybox", "ps", "-o", "pid,args").stdout.split("\n")[1].strip().startswith("1 /sbin/docker-init")
    cp = run_docker(engine, "run", "--rm", *NONE, "--cap-add", "NOT_A_CAP", "busybox", "true", check=False)
    assert cp.returncode != 0 and "NOT_A_CAP" in cp.stderr, cp.stderr


def test_host_and_container_network_modes(engine):
    host = run_docker(engine, "run", "--rm", "--network", "host", "busybox", "cat", "/proc/net/dev").stdout
    assert "lo:" in host and len(host.split("\n")) > 4, host  # the host's interfaces, not only lo
    run_docker(engine, "run", "-d", *NONE, "--name", "netowner", "busybox", "sleep", "300")
    own = run_docker(engine, "exec", "netowner", "readlink", "/proc/self/ns/net").stdout
    joined = run_docker(engine, "run", "--rm", "--network", "container:netowner", "busybox", "readlink", "/proc/self/ns/net").stdout
    assert own == joined, (own, joined)
    run_docker(engine, "rm", "-f", "netowner")


def test_exec_options_and_inspect(engine):
    run_docker(engine, "run", "-d", *NONE, "--name", "ex", "busybox", "sleep", "300")
    out = run_docker(engine, "exec", "-u", "65534", "-w", "/tmp", "-e", "B=2", "ex", "sh", "-c", "id -u; pwd; echo $B").stdout.split()
    assert out == ["65534", "/tmp", "2"], out
    cp = subprocess.run([docker_cli(), "exec", "-i", "ex", "cat"], env=engine.docker_env(), input="via-exec\n",
                        capture_output=True, text=True, timeout=30)
    assert cp.stdout == "via-exec\n", cp
    exec_id = engine.post("/containers/ex/exec", body={"Cmd": ["sh", "-c", "exit 4"]}).json()["Id"]
    assert engine.post(f"/exec/{exec_id}/start", body={"Detach": True}).status == 200
    wait_until(lambda: engine.get_json(f"/exec/{exec_id}/json")["ExitCode"] == 4, 10, what="exec exit code")
    run_docker(engine, "rm", "-f", "ex")


def test_out_of_memory_is_reported(engine):
    since = int(time.time()) - 1
    cp = run_docker(engine, "run", *NONE, "--name", "hog", "--memory", "16m", "busybox", "tail", "/dev/zero", check=False, timeout=60)
    assert cp.returncode == 137, cp
    assert inspect(engine, "hog")["State"]["OOMKilled"] is True
    until = int(time.time()) + 1
    time.sleep(1.1)
    actions = [e["Action"] for e in engine.events(since=since, until=until, filters={"container": ["hog"]})]
    assert "oom" in actions and "die" in actions, actions
    run_docker(engine, "rm", "hog")


def test_logs_options_and_rotation(engine):
    run_docker(engine, "run", *NONE, "--name", "chatty", "--log-opt", "max-size=2k", "--log-opt", "max-file=3", "busybox", "sh", "-c",
               "i=0; while [ $i -lt 400 ]; do echo line-$i; i=$((i+1)); done")
    info = inspect(engine, "chatty")
    assert info["HostConfig"]["LogConfig"] == {"Type": "json-file", "Config": {"max-size": "2k", "max-file": "3"}}
    log_dir = os.path.dirname(info["LogPath"])
    rotated = sorted(n for n in os.listdir(log_dir) if "-json.log" in n)
    assert len(rotated) == 3, rotated
    assert run_docker(engine, "logs", "--tail", "2", "chatty").stdout == "line-398\nline-399\n"
    stamped = run_docker(engine, "logs", "-t", "--tail", "1", "chatty").stdout
    assert stamped.split(" ", 1)[1] == "line-399\n" and stamped[:4].isdigit(), stamped
    assert run_docker(engine, "logs", "--since", str(int(time.time()) + 60), "chatty").stdout == ""
    run_docker(engine, "rm", "chatty")
    cp = run_docker(engine, "run", *NONE, "--log-driver", "none", "--name", "silent", "busybox", "echo", "x", check=False)
    assert cp.returncode == 0
    cp = run_docker(engine, "logs", "silent", check=False)
    assert cp.returncode != 0 and "does not support reading" in cp.stderr, cp.stderr
    cp = run_docker(engine, "create", *NONE, "--log-driver", "nope", "busybox", "true", check=False)
    assert cp.returncode != 0 and "no log driver named 'nope'" in cp.stderr, cp.stderr
    run_docker(engine, "rm", "silent")


def test_logs_follow_ends_with_the_container(engine):
    run_docker(engine, "run", "-d", *NONE, "--name", "follow", "busybox", "sh", "-c", "echo one; sleep 1; echo two")
    cp = run_docker(engine, "logs", "-f", "follow", timeout=20)
    assert cp.stdout == "one\ntwo\n", cp
    run_docker(engine, "rm", "follow")


def test_detach_keys_end_the_attach_not_the_container(engine):
    import socket
    cid = run_docker(engine, "run", "-dit", *NONE, "--name", "detachable", "busybox", "sh").stdout.strip()
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(engine.sock)
    sock.settimeout(10)
    sock.sendall(f"POST /containers/{cid}/attach?stream=1&stdin=1&stdout=1&stderr=1&detachKeys=ctrl-a,ctrl-b HTTP/1.1\r\n"
                 "Host: berth\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n".encode())
    head = b""
    while b"\r\n\r\n" not in head:
        head += sock.recv(4096)
    assert head.startswith(b"HTTP/1.1 101 UPGRADED"), head
    sock.sendall(b"echo attached-$((40+2))\n")
    seen = head.split(b"\r\n\r\n", 1)[1]
    while b"attached-42" not in seen:
        seen += sock.recv(4096)
    sock.sendall(b"\x01\x02")
    rest = b""
    while chunk := sock.recv(4096):
        rest += chunk
    sock.close()
    assert inspect(engine, "detachable")["State"]["Running"], "detaching stopped the container"
    run_docker(engine, "rm", "-f", "detachable")


def test_exec_with_a_terminal(engine):
    if not shutil.which("script"):
        pytest.skip("script (util-linux) is not installed")
    run_docker(engine, "run", "-d", *NONE, "--name", "ttyexec", "busybox", "sleep", "300")
    command = f"{docker_cli()} exec -it ttyexec sh -c 'test -t 0 && echo exec-tty; exit 5'"
    cp = subprocess.run(["script", "-qec", command, "/dev/null"], env=engine.docker_env(), capture_output=True, text=True,
                        timeout=30, stdin=subprocess.DEVNULL)
    assert cp.returncode == 5 and "exec-tty" in cp.stdout, cp
    run_docker(engine, "rm", "-f", "ttyexec")


def test_tmpfs_shm_ulimit_sysctl_device(engine):
    out = run_docker(engine, "run", "--rm", *NONE, "--tmpfs", "/scratch:size=1m", "--shm-size", "8m", "--ulimit", "nofile=512:512",
                     "--sysctl", "kernel.shm_rmid_forced=1", "--device", "/dev/null:/dev/mynull", "busybox", "sh", "-c",
                     "grep -E ' /scratch | /dev/shm ' /proc/mounts; ulimit -n; cat /proc/sys/kernel/shm_rmid_forced; "
                     "echo ok > /dev/mynull && echo device-ok").stdout
    assert "/scratch tmpfs" in out and "size=1024k" in out, out
    assert "/dev/shm tmpfs" in out and "size=8192k" in out, out
    assert "\n512\n1\ndevice-ok\n" in out, out
    cp = run_docker(engine, "run", "--rm", *NONE, "--sysctl", "kernel.hostname=x", "busybox", "true", check=False)
    assert cp.returncode != 0 and "sysctl" in cp.stderr, cp.stderr


def test_prune_and_wait_conditions(engine):
    run_docker(engine, "create", *NONE, "--name", "old-one", "--label", "keep=no", "busybox", "true")
    run_docker(engine, "create", *NONE, "--name", "kept-one", "--label", "keep=yes", "busybox", "true")
    run_docker(engine, "run", "-d", *NONE, "--name", "running-one", "busybox", "sleep", "300")
    out = run_docker(engine, "container", "prune", "-f", "--filter", "label=keep=no").stdout
    assert "Total reclaimed space" in out, out
    names = run_docker(engine, "ps", "-a", "--format", "{{.Names}}").stdout.split()
    assert "old-one" not in names and "kept-one" in names and "running-one" in names, names
    assert engine.post("/containers/no-such-thing/wait").status == 404  # never blocks on a missing container
    r = engine.post("/containers/kept-one/wait?condition=not-running", timeout=10)
    assert r.status == 200 and r.json() == {"Error": None, "StatusCode": 0}, r
    run_docker(engine, "rm", "-f", "kept-one", "running-one")


def test_privileged_and_resource_limits(engine):
    cp = run_docker(engine, "run", "--rm", *NONE, "busybox", "mount", "-t", "tmpfs", "none", "/tmp", check=False)
    assert cp.returncode != 0, cp
    assert run_docker(engine, "run", "--rm", *NONE, "--privileged", "busybox", "sh", "-c",
                      "mount -t tmpfs none /tmp && echo mounted").stdout == "mounted\n"
    out = run_docker(engine, "run", "--rm", *NONE, "--pids-limit", "10", "--cpus", "0.5", "--cpu-shares", "512", "--memory", "32m",
                     "busybox", "sh", "-c", "cat /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/cpu/cpu.cfs_quota_us "
                     "/sys/fs/cgroup/cpu/cpu.shares /sys/fs/cgroup/memory/memory.limit_in_bytes").stdout.split()
    assert out == ["10", "50000", "512", str(32 * 1024 * 1024)], out


def test_attach_to_a_running_container(engine):
    run_docker(engine, "run", "-d", *NONE, "--name", "talker", "busybox", "sh", "-c", "while true; do echo tick; sleep 0.2; done")
    cp = subprocess.run(["timeout", "-s", "KILL", "2", docker_cli(), "attach", "--no-stdin", "talker"], env=engine.docker_env(),
                        capture_output=True, text=True, timeout=30)
    assert "tick" in cp.stdout, cp
    assert inspect(engine, "talker")["State"]["Running"]
    run_docker(engine, "rm", "-f", "talker")
