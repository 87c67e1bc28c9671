"""Images on containerd's content store, through the real docker CLI and docker-py: load (docker-archive
and OCI layout), list, inspect, history, tag, save, remove, and bad archives that change nothing."""

from __future__ import annotations

import json
import os
import time

import pytest

from conftest import Daemon, finish, run_docker, wait_past
from image_fixtures import busybox_layer, docker_archive, file_layer, oci_archive, sha256


@pytest.fixture(scope="module")
def images(berthd_bin):
    d = Daemon(berthd_bin, ["--fault-injection"], name="images")
    d.start()
    yield d
    finish(d)


@pytest.fixture(scope="module")
def busybox_tar(images, tmp_path_factory):
    path = str(tmp_path_factory.mktemp("img") / "busybox.tar")
    image_id = docker_archive(path, [busybox_layer()], ["busybox:latest"], labels={"suite": "images"})
    return path, image_id


def image_ids(d: Daemon) -> set[str]:
    return {i["Id"] for i in json.loads(d.get("/images/json?all=1").text)}


def test_load_list_inspect(images, busybox_tar):
    path, image_id = busybox_tar
    cp = run_docker(images, "load", "-i", path, timeout=120)
    assert "Loaded image: busybox:latest" in cp.stdout, cp.stdout
    listed = run_docker(images, "images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}").stdout
    assert "busybox:latest" in listed and image_id[7:19] in listed, listed
    info = json.loads(run_docker(images, "image", "inspect", "busybox").stdout)[0]
    assert info["Id"] == image_id
    assert info["RepoTags"] == ["busybox:latest"]
    assert info["Config"]["Cmd"] == ["sh"]
    assert info["RootFS"]["Layers"] == [sha256(busybox_layer())]
    assert info["Os"] == "linux" and info["Architecture"] == "amd64"
    assert info["GraphDriver"]["Name"] in ("overlayfs", "native")
    assert json.loads(images.get("/info").text)["Images"] >= 1


def test_tag_history_and_lookup_by_id_prefix(images, busybox_tar):
    _, image_id = busybox_tar
    run_docker(images, "tag", "busybox", "127.0.0.1:5055/team/bb:1")
    tags = json.loads(run_docker(images, "image", "inspect", image_id[7:19]).stdout)[0]["RepoTags"]
    assert sorted(tags) == ["127.0.0.1:5055/team/bb:1", "busybox:latest"]
    history = run_docker(images, "history", "--format", "{{.ID}} {{.CreatedBy}}", "busybox").stdout
    assert "layer 0" in history, history
    filtered = run_docker(images, "images", "--filter", "reference=127.0.0.1:5055/team/*", "--format", "{{.Repository}}").stdout
    assert filtered.split() == ["127.0.0.1:5055/team/bb"], filtered
    run_docker(images, "rmi", "127.0.0.1:5055/team/bb:1")
    assert json.loads(run_docker(images, "image", "inspect", "busybox").stdout)[0]["RepoTags"] == ["busybox:latest"]


def test_save_rmi_load_gives_the_same_ids(images, busybox_tar, tmp_path):
    _, image_id = busybox_tar
    saved = str(tmp_path / "saved.tar")
    run_docker(images, "save", "-o", saved, "busybox", timeout=120)
    cp = run_docker(images, "rmi", "busybox")
    assert "Untagged: busybox:latest" in cp.stdout and f"Deleted: {image_id}" in cp.stdout, cp.stdout
    assert image_id not in image_ids(images)
    run_docker(images, "load", "-i", saved, timeout=120)
    assert image_id in image_ids(images)
    again = str(tmp_path / "again.tar")
    run_docker(images, "save", "-o", again, "busybox", timeout=120)
    with open(saved, "rb") as a, open(again, "rb") as b:
        assert a.read() == b.read(), "saving the same image twice must give the same bytes"


def test_oci_layout_with_two_gzip_layers(images, tmp_path):
    path = str(tmp_path / "oci.tar")
    layers = [busybox_layer(), file_layer({"etc/motd": b"hello\n"})]
    image_id = oci_archive(path, layers, "docker.io/library/motd:2")
    run_docker(images, "load", "-i", path, timeout=120)
    info = json.loads(run_docker(images, "image", "inspect", "motd:2").stdout)[0]
    assert info["Id"] == image_id
    assert len(info["RootFS"]["Layers"]) == 2
    run_docker(images, "rmi", "motd:2")


def test_dockerpy_images(images, busybox_tar):
    docker = pytest.importorskip("docker")
    path, image_id = busybox_tar
    client = docker.DockerClient(base_url=f"unix://{images.sock}")
    with open(path, "rb") as f:
        loaded = client.images.load(f.read())
    assert loaded and loaded[0].id == image_id
    image = client.images.get("busybox")
    assert image.tags == ["busybox:latest"]
    assert image.tag("pyd/bb", "x")
    assert "pyd/bb:x" in client.images.get(image_id).tags
    assert any(i.id == image_id for i in client.images.list(filters={"label": "suite=images"}))
    client.images.remove("pyd/bb:x")
    assert client.images.get(image_id).tags == ["busybox:latest"]


def test_missing_image_is_404(images):
    r = images.get("/images/nosuch:1/json")
    assert r.status == 404, r
    assert "No such image" in r.error_message()
    assert images.get("/images/Bad:Name/json").status in (400, 404)


@pytest.mark.parametrize("damage", ["truncated", "wrong-diff-id", "not-a-tar", "escaping-path"])
def test_bad_archives_change_nothing(images, tmp_path, damage):
    before = image_ids(images)
    path = str(tmp_path / f"{damage}.tar")
    if damage == "truncated":
        docker_archive(path, [busybox_layer()], ["broken:1"])
        with open(path, "r+b") as f:
            f.truncate(os.path.getsize(path) // 2)
    elif damage == "wrong-diff-id":
        # The config promises another layer than the one shipped.
        docker_archive(path, [busybox_layer()], ["broken:2"])
        import tarfile, io
        good = busybox_layer()
        other = file_layer({"x": b"y"})
        from image_fixtures import image_config
        config = image_config([other])
        with tarfile.open(path, "w") as tar:
            for name, data in [(sha256(config)[7:] + ".json", config), ("l/layer.tar", good),
                               ("manifest.json", json.dumps([{"Config": sha256(config)[7:] + ".json", "RepoTags": ["broken:2"], "Layers": ["l/layer.tar"]}]).encode())]:
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    elif damage == "not-a-tar":
        with open(path, "wb") as f:
            f.write(b"this is not a tarball" * 100)
    else:
        import tarfile, io
        with tarfile.open(path, "w") as tar:
            info = tarfile.TarInfo("../../escape.json")
            info.size = 2
            tar.addfile(info, io.BytesIO(b"{}"))
    cp = run_docker(images, "load", "-i", path, check=False, timeout=120)
    assert cp.returncode != 0, cp.stdout
    assert "Error" in cp.stderr or "error" in cp.stderr, cp.stderr
    assert image_ids(images) == before
    assert images.get("/images/broken:2/json").status == 404


def test_import_with_changes(images, tmp_path):
    rootfs = tmp_path / "rootfs.tar"
    rootfs.write_bytes(busybox_layer())
    cp = run_docker(images, "import", "-c", 'CMD ["echo", "hi"]', "-c", "ENV A=1 B=two", "-c", "LABEL team=berth",
                    "-c", "EXPOSE 8080", "-c", "WORKDIR /tmp", "-m", "from a test", str(rootfs), "imp:1", timeout=120)
    image_id = cp.stdout.strip().splitlines()[-1]
    assert image_id.startswith("sha256:"), cp.stdout
    info = json.loads(run_docker(images, "image", "inspect", "imp:1").stdout)[0]
    assert info["Id"] == image_id
    assert info["Comment"] == "from a test"
    config = info["Config"]
    assert config["Cmd"] == ["echo", "hi"]
    assert config["Env"] == ["A=1", "B=two"]
    assert config["Labels"] == {"team": "berth"}
    assert "8080/tcp" in config["ExposedPorts"]
    assert config["WorkingDir"] == "/tmp"
    assert info["RootFS"]["Layers"] == [sha256(busybox_layer())]
    wait_past(int(time.time()) + 1)  # the CLI sends relative times in whole seconds
    events = run_docker(images, "events", "--since", "1m", "--until", "0s", "--filter", "type=image",
                        "--filter", "event=import", "--format", "{{.Action}}").stdout.split()
    assert "import" in events, events
    run_docker(images, "rmi", "imp:1")


@pytest.mark.parametrize("compress", ["gzip", "xz", "bzip2", "zstd"])
def test_import_of_a_compressed_tarball(images, tmp_path, compress):
    import shutil
    import subprocess
    if not shutil.which(compress):
        pytest.skip(f"{compress} is not installed")
    rootfs = tmp_path / "rootfs.tar"
    rootfs.write_bytes(busybox_layer())
    subprocess.run([compress, "-kq", str(rootfs)], check=True)
    packed = next(p for p in tmp_path.iterdir() if p.name != "rootfs.tar")
    run_docker(images, "import", str(packed), f"packed:{compress}", timeout=120)
    info = json.loads(run_docker(images, "image", "inspect", f"packed:{compress}").stdout)[0]
    assert info["RootFS"]["Layers"] == [sha256(busybox_layer())]  # the layer is the uncompressed tar
    run_docker(images, "rmi", f"packed:{compress}")


def test_import_rejects_bad_changes(images, tmp_path):
    rootfs = tmp_path / "rootfs.tar"
    rootfs.write_bytes(busybox_layer())
    before = image_ids(images)
    cp = run_docker(images, "import", "-c", "RUN rm -rf /", str(rootfs), "bad:1", check=False)
    assert cp.returncode != 0 and "not a valid change command" in cp.stderr, cp.stderr
    assert image_ids(images) == before


def test_prune_dangling_then_all(images, tmp_path):
    first, second = str(tmp_path / "a.tar"), str(tmp_path / "b.tar")
    old_id = docker_archive(first, [busybox_layer()], ["prune-me:1"], labels={"v": "1"})
    new_id = docker_archive(second, [busybox_layer()], ["prune-me:1"], labels={"v": "2"})
    run_docker(images, "load", "-i", first, timeout=120)
    cp = run_docker(images, "load", "-i", second, timeout=120)
    assert f"renaming the old one with ID {old_id}" in cp.stdout, cp.stdout
    dangling = run_docker(images, "images", "--filter", "dangling=true", "--format", "{{.ID}}").stdout.split()
    assert old_id[7:19] in dangling, dangling
    cp = run_docker(images, "image", "prune", "-f")
    assert f"deleted: {old_id}" in cp.stdout, cp.stdout
    assert old_id not in image_ids(images) and new_id in image_ids(images)
    cp = run_docker(images, "image", "prune", "-af", "--filter", "label=v=2")
    assert f"deleted: {new_id}" in cp.stdout, cp.stdout
    assert new_id not in image_ids(images)


def test_load_reports_progress_unless_quiet(images, tmp_path):
    path = str(tmp_path / "progress.tar")
    docker_archive(path, [busybox_layer(), file_layer({"etc/extra": b"x\n"})], ["progress:1"])
    with open(path, "rb") as f:
        body = f.read()
    r = images.post("/images/load?quiet=0", body=body, headers={"Content-Type": "application/x-tar"}, timeout=120)
    lines = [json.loads(line) for line in r.text.splitlines() if line.strip()]
    assert [line["status"] for line in lines if "status" in line].count("Loading layer") >= 2, lines
    assert lines[-1] == {"stream": "Loaded image: progress:1\n"}, lines
    quiet = images.post("/images/load?quiet=1", body=body, headers={"Content-Type": "application/x-tar"}, timeout=120)
    assert [json.loads(line) for line in quiet.text.splitlines()] == [{"stream": "Loaded image: progress:1\n"}]
    run_docker(images, "rmi", "progress:1")
