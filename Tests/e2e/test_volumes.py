"""Volumes through the real docker CLI and docker-py: named volumes outliving containers, copy-up of the
image's content, binds read-only and read-write, tmpfs, --volumes-from, the local driver's options,
Docker's prune rules and errors, and references that survive a kill -9 of berthd."""

from __future__ import annotations

import json
import os

import pytest

from conftest import Daemon, finish, load_busybox, remove_everything, run_docker

NONE = ("--network", "none")



@pytest.fixture(scope="module")
def engine(berthd_bin, tmp_path_factory):
    d = Daemon(berthd_bin, name="volumes")
    d.start()
    load_busybox(d, str(tmp_path_factory.mktemp("img")))
    yield d
    remove_everything(d)
    run_docker(d, "volume", "prune", "-af", check=False)
    finish(d)


def volume_names(d: Daemon, *args) -> list[str]:
    return sorted(run_docker(d, "volume", "ls", "-q", *args).stdout.split())


def test_named_volume_outlives_its_containers(engine):
    run_docker(engine, "run", "--rm", *NONE, "-v", "keep:/data", "busybox", "sh", "-c", "echo kept > /data/f")
    assert run_docker(engine, "run", "--rm", *NONE, "-v", "keep:/data:ro", "busybox", "cat", "/data/f").stdout == "kept\n"
    cp = run_docker(engine, "run", "--rm", *NONE, "-v", "keep:/data:ro", "busybox", "sh", "-c", "echo x > /data/g", check=False)
    assert cp.returncode != 0 and "Read-only" in cp.stderr, cp
    volume = json.loads(run_docker(engine, "volume", "inspect", "keep").stdout)[0]
    assert volume["Driver"] == "local" and volume["Mountpoint"].startswith(engine.data_root), volume
    with open(os.path.join(volume["Mountpoint"], "f")) as f:
        assert f.read() == "kept\n"
    run_docker(engine, "volume", "rm", "keep")


def test_copy_up_of_image_content_and_anonymous_volumes(engine):
    run_docker(engine, "run", "--name", "seed", *NONE, "busybox", "sh", "-c", "mkdir -p /data && echo seeded > /data/x")
    run_docker(engine, "commit", "--change", "VOLUME /data", "seed", "seeded:1")
    before = set(volume_names(engine))
    run_docker(engine, "run", "--name", "reader", *NONE, "seeded:1", "cat", "/data/x")
    assert run_docker(engine, "logs", "reader").stdout == "seeded\n"
    mounts = json.loads(run_docker(engine, "inspect", "reader").stdout)[0]["Mounts"]
    assert len(mounts) == 1 and mounts[0]["Type"] == "volume" and mounts[0]["Destination"] == "/data", mounts
    anonymous = mounts[0]["Name"]
    assert set(volume_names(engine)) - before == {anonymous}
    labels = json.loads(run_docker(engine, "volume", "inspect", anonymous).stdout)[0]["Labels"]
    assert "com.docker.volume.anonymous" in labels, labels
    # a named volume is filled from the image too, unless nocopy
    assert "passwd" in run_docker(engine, "run", "--rm", *NONE, "-v", "etc-copy:/etc", "busybox", "ls", "/etc").stdout
    assert run_docker(engine, "run", "--rm", *NONE, "-v", "empty:/etc:nocopy", "busybox", "ls", "/etc").stdout.strip() in ("", "hostname\nhosts\nresolv.conf")
    run_docker(engine, "rm", "-v", "reader", "seed")
    assert anonymous not in volume_names(engine)
    run_docker(engine, "run", "--rm", *NONE, "seeded:1", "true")
    assert set(volume_names(engine)) - before == {"etc-copy", "empty"}, "--rm left an anonymous volume"
    run_docker(engine, "volume", "rm", "etc-copy", "empty")


def test_binds_tmpfs_and_volumes_from(engine, tmp_path):
    host = tmp_path / "shared"
    host.mkdir()
    (host / "in").write_text("from-host\n")
    out = run_docker(engine, "run", "--rm", *NONE, "-v", f"{host}:/h", "busybox", "sh", "-c", "cat /h/in && echo back > /h/out").stdout
    assert out == "from-host\n" and (host / "out").read_text() == "back\n"
    cp = run_docker(engine, "run", "--rm", *NONE, "--mount", f"type=bind,source={host},target=/h,readonly", "busybox",
                    "touch", "/h/nope", check=False)
    assert cp.returncode != 0 and not (host / "nope").exists()
    cp = run_docker(engine, "run", "--rm", *NONE, "--mount", "type=bind,source=/no/such/dir,target=/h", "busybox", "true", check=False)
    assert cp.returncode != 0 and "does not exist" in cp.stderr, cp.stderr
    out = run_docker(engine, "run", "--rm", *NONE, "--mount", "type=tmpfs,target=/scratch,tmpfs-size=1048576", "busybox",
                     "sh", "-c", "grep ' /scratch ' /proc/mounts").stdout
    assert "tmpfs" in out and "size=1024k" in out, out
    run_docker(engine, "run", "-d", "--name", "holder", *NONE, "-v", "shared-vol:/v", "-v", f"{host}:/h", "busybox",
               "sh", "-c", "echo shared > /v/s; sleep 300")
    out = run_docker(engine, "run", "--rm", *NONE, "--volumes-from", "holder:ro", "busybox", "sh", "-c",
                     "sleep 0.5; cat /v/s /h/in; touch /v/t 2>/dev/null || echo read-only").stdout
    assert out == "shared\nfrom-host\nread-only\n", out
    cp = run_docker(engine, "volume", "rm", "shared-vol", check=False)
    assert cp.returncode != 0 and "volume is in use" in cp.stderr, cp.stderr
    r = engine.delete("/volumes/shared-vol")
    assert r.status == 409, r.text
    run_docker(engine, "rm", "-f", "holder")
    run_docker(engine, "volume", "rm", "shared-vol")


def test_local_driver_options(engine, tmp_path):
    run_docker(engine, "volume", "create", "--opt", "type=tmpfs", "--opt", "device=tmpfs", "--opt", "o=size=2m", "ram")
    out = run_docker(engine, "run", "--rm", *NONE, "-v", "ram:/r", "busybox", "sh", "-c", "grep ' /r ' /proc/mounts").stdout
    assert "tmpfs" in out and "size=2048k" in out, out
    source = tmp_path / "bound"
    source.mkdir()
    (source / "file").write_text("bound\n")
    run_docker(engine, "volume", "create", "--opt", "type=none", "--opt", "o=bind", "--opt", f"device={source}", "bound")
    assert run_docker(engine, "run", "--rm", *NONE, "-v", "bound:/b", "busybox", "cat", "/b/file").stdout == "bound\n"
    with open("/proc/self/mountinfo") as f:
        assert not [line for line in f if "/volumes/ram/" in line or "/volumes/bound/" in line], "volume filesystems stayed mounted"
    cp = run_docker(engine, "volume", "create", "--opt", "colour=blue", "odd", check=False)
    assert cp.returncode != 0 and "invalid option" in cp.stderr, cp.stderr
    run_docker(engine, "volume", "rm", "ram", "bound")


def test_ls_filters_prune_and_errors(engine):
    run_docker(engine, "volume", "create", "--label", "team=a", "va")
    run_docker(engine, "volume", "create", "vb")
    run_docker(engine, "create", "--name", "user-of-vb", *NONE, "-v", "vb:/x", "-v", "/anon", "busybox", "true")
    anonymous = [m["Name"] for m in json.loads(run_docker(engine, "inspect", "user-of-vb").stdout)[0]["Mounts"] if m["Destination"] == "/anon"][0]
    assert volume_names(engine, "--filter", "label=team=a") == ["va"]
    assert volume_names(engine, "--filter", "name=v") == ["va", "vb"]
    assert "va" in volume_names(engine, "--filter", "dangling=true")
    assert "vb" not in volume_names(engine, "--filter", "dangling=true")
    assert volume_names(engine, "--filter", "driver=local") == sorted(volume_names(engine))
    run_docker(engine, "rm", "user-of-vb")  # without -v: the anonymous volume stays
    pruned = run_docker(engine, "volume", "prune", "-f").stdout
    assert anonymous in pruned and "va" not in pruned and "vb" not in pruned, pruned
    run_docker(engine, "volume", "prune", "-af", "--filter", "label=team=a")
    assert "va" not in volume_names(engine) and "vb" in volume_names(engine)
    for args, message in [
        (["volume", "create", "bad/name"], "invalid characters"),
        (["volume", "inspect", "nosuch"], "no such volume"),
        (["volume", "create", "-d", "nosuchdriver", "x2"], "not found"),
        (["run", "--rm", "-v", "/a:/b:zz", "busybox", "true"], "invalid mode"),
    ]:
        cp = run_docker(engine, *args, check=False)
        assert cp.returncode != 0 and message in cp.stderr, (args, cp.stderr)
    r = engine.request("PUT", "/volumes/vb", body={"Spec": {}})
    assert r.status == 503 and "cluster volumes are not supported" in r.text, r.text
    r = engine.post("/containers/create", body={"Image": "busybox", "HostConfig": {"Binds": ["vb:/x", "/tmp:/x"]}})
    assert r.status == 400 and "Duplicate mount point" in r.text, r.text
    df = engine.get_json("/system/df")
    assert any(v["Name"] == "vb" and v["UsageData"]["RefCount"] == 0 for v in df["Volumes"]), df["Volumes"]
    run_docker(engine, "volume", "rm", "vb")


def test_dockerpy_volumes(engine):
    docker = pytest.importorskip("docker")
    client = docker.DockerClient(base_url=f"unix://{engine.sock}")
    volume = client.volumes.create("pyvol", labels={"via": "py"})
    out = client.containers.run("busybox", "sh -c 'echo py > /v/f; cat /v/f'", remove=True, network_mode="none",
                                volumes={"pyvol": {"bind": "/v", "mode": "rw"}})
    assert out == b"py\n"
    assert [v.name for v in client.volumes.list(filters={"label": "via=py"})] == ["pyvol"]
    volume.reload()
    assert volume.attrs["Labels"] == {"via": "py"}
    volume.remove()


def test_references_and_mounts_survive_kill_9(berthd_bin, tmp_path):
    d = Daemon(berthd_bin, name="volrestart")
    d.start()
    try:
        load_busybox(d, str(tmp_path))
        run_docker(d, "volume", "create", "--opt", "type=tmpfs", "--opt", "device=tmpfs", "ramvol")
        run_docker(d, "run", "-d", "--name", "runner", *NONE, "-v", "ramvol:/r", "busybox", "sh", "-c", "echo alive > /r/f; sleep 300")
        run_docker(d, "create", "--name", "idle", *NONE, "-v", "named:/n", "busybox", "true")
        d.kill()
        d.proc = None
        d.start()
        assert run_docker(d, "exec", "runner", "cat", "/r/f").stdout == "alive\n"
        for name in ("ramvol", "named"):
            cp = run_docker(d, "volume", "rm", name, check=False)
            assert "volume is in use" in cp.stderr, cp.stderr
        run_docker(d, "rm", "-f", "runner", "idle")
        with open("/proc/self/mountinfo") as f:
            assert not [line for line in f if "/volumes/ramvol/" in line], "the tmpfs volume stayed mounted"
        run_docker(d, "volume", "rm", "ramvol", "named")
    finally:
        finish(d)
