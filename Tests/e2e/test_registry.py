"""Pull, push and login against a real registry (Debian's docker-registry) on 127.0.0.1, started by
the tests: an open one, and one with htpasswd basic auth."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time

import pytest

from conftest import Daemon, docker_cli, finish, run_docker
from image_fixtures import busybox_layer, docker_archive

REGISTRY = "/usr/bin/docker-registry"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Registry:
    def __init__(self, base: str, htpasswd: str | None = None):
        if not os.path.exists(REGISTRY):
            pytest.skip("docker-registry is not installed")
        self.port = free_port()
        self.dir = base
        os.makedirs(base, exist_ok=True)
        auth = f"auth: {{htpasswd: {{realm: berth-test, path: {htpasswd}}}}}\n" if htpasswd else ""
        config = os.path.join(base, "config.yml")
        with open(config, "w") as f:
            f.write(f"version: 0.1\nstorage: {{filesystem: {{rootdirectory: {base}/data}}}}\n"
                    f"http: {{addr: 127.0.0.1:{self.port}}}\n{auth}")
        self.log = open(os.path.join(base, "log"), "w")
        self.proc = subprocess.Popen([REGISTRY, "serve", config], stdout=self.log, stderr=self.log)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        pytest.fail("the registry did not start")

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


@pytest.fixture(scope="module")
def daemon_with_busybox(berthd_bin, tmp_path_factory):
    d = Daemon(berthd_bin, [], name="registry")
    d.start()
    path = str(tmp_path_factory.mktemp("img") / "busybox.tar")
    image_id = docker_archive(path, [busybox_layer()], ["busybox:latest"])
    run_docker(d, "load", "-i", path, timeout=120)
    yield d, image_id
    finish(d)


@pytest.fixture(scope="module")
def open_registry(tmp_path_factory):
    r = Registry(str(tmp_path_factory.mktemp("registry")))
    yield r
    r.stop()


@pytest.fixture(scope="module")
def auth_registry(tmp_path_factory):
    htpasswd = shutil.which("htpasswd")
    if not htpasswd:
        pytest.skip("htpasswd (apache2-utils) is not installed")
    base = str(tmp_path_factory.mktemp("auth-registry"))
    path = os.path.join(base, "htpasswd")
    with open(path, "w") as f:
        f.write(subprocess.run([htpasswd, "-Bbn", "berth", "s3cret"], capture_output=True, text=True, check=True).stdout)
    r = Registry(os.path.join(base, "r"), htpasswd=path)
    yield r
    r.stop()


def test_push_rmi_pull_gives_the_same_image(daemon_with_busybox, open_registry):
    d, image_id = daemon_with_busybox
    name = f"{open_registry.host}/bars/busybox:1"
    run_docker(d, "tag", "busybox", name)
    cp = run_docker(d, "push", name, timeout=120)
    assert "digest: sha256:" in cp.stdout, cp.stdout
    pushed_digest = cp.stdout.split("digest: ")[1].split()[0]
    run_docker(d, "rmi", name)
    run_docker(d, "rmi", "busybox")
    assert d.get(f"/images/{image_id}/json").status == 404
    cp = run_docker(d, "pull", name, timeout=120)
    assert f"Digest: {pushed_digest}" in cp.stdout, cp.stdout
    info = json.loads(run_docker(d, "image", "inspect", name).stdout)[0]
    assert info["Id"] == image_id
    assert f"{open_registry.host}/bars/busybox@{pushed_digest}" in info["RepoDigests"]
    by_digest = f"{open_registry.host}/bars/busybox@{pushed_digest}"
    run_docker(d, "pull", by_digest, timeout=120)
    run_docker(d, "tag", name, "busybox")  # put the name back for the other tests
    other = f"{open_registry.host}/elsewhere/busybox:1"
    run_docker(d, "tag", name, other)
    cp = run_docker(d, "push", other, timeout=120)
    assert "Mounted from bars/busybox" in cp.stdout, cp.stdout  # the registry links the blobs it has
    run_docker(d, "rmi", other)


def test_pull_of_a_missing_image_is_a_clean_error(daemon_with_busybox, open_registry):
    d, _ = daemon_with_busybox
    before = json.loads(d.get("/images/json").text)
    cp = run_docker(d, "pull", f"{open_registry.host}/nothing/here:1", check=False, timeout=60)
    assert cp.returncode != 0
    assert "not found" in cp.stderr.lower() or "does not exist" in cp.stderr.lower(), cp.stderr
    assert json.loads(d.get("/images/json").text) == before


def test_login_push_and_pull_with_basic_auth(daemon_with_busybox, auth_registry):
    d, image_id = daemon_with_busybox
    host = auth_registry.host
    wrong = run_docker(d, "login", host, "-u", "berth", "-p", "wrong", check=False)
    assert wrong.returncode != 0, wrong.stdout
    name = f"{host}/secret/bb:1"
    run_docker(d, "tag", "busybox", name)
    denied = run_docker(d, "push", name, check=False, timeout=60)
    assert denied.returncode != 0
    cp = run_docker(d, "login", host, "-u", "berth", "-p", "s3cret")
    assert "Login Succeeded" in cp.stdout, cp.stdout
    run_docker(d, "push", name, timeout=120)
    run_docker(d, "rmi", name)
    run_docker(d, "pull", name, timeout=120)
    assert json.loads(run_docker(d, "image", "inspect", name).stdout)[0]["Id"] == image_id


def test_build_pulls_its_base_with_the_clients_credentials(daemon_with_busybox, auth_registry, tmp_path):
    """`docker build` sends the CLI's saved logins as X-Registry-Config; a FROM image that is not here
    (or any, with --pull) is pulled with them."""
    d, _ = daemon_with_busybox
    host = auth_registry.host
    run_docker(d, "login", host, "-u", "berth", "-p", "s3cret")
    name = f"{host}/secret/base:1"
    run_docker(d, "tag", "busybox", name)
    run_docker(d, "push", name, timeout=120)
    run_docker(d, "rmi", name)
    (tmp_path / "Dockerfile").write_text(f"FROM {name}\nRUN echo built-on-pulled > /proof\n")
    env = {**d.docker_env(), "DOCKER_BUILDKIT": "0"}
    for extra in ([], ["--pull"]):
        cp = subprocess.run([docker_cli(), "build", *extra, "-t", "pulled-base:1", str(tmp_path)], env=env, capture_output=True,
                            text=True, timeout=120, stdin=subprocess.DEVNULL)
        assert cp.returncode == 0, f"{cp.stdout}\n{cp.stderr}\n--- log ---\n{d.log_tail()}"
    assert run_docker(d, "run", "--rm", "pulled-base:1", "cat", "/proof").stdout == "built-on-pulled\n"
    assert name in json.loads(run_docker(d, "image", "inspect", name).stdout)[0]["RepoTags"]


def test_dockerpy_pull(daemon_with_busybox, open_registry):
    docker = pytest.importorskip("docker")
    d, image_id = daemon_with_busybox
    name = f"{open_registry.host}/py/bb"
    run_docker(d, "tag", "busybox", name + ":2")
    run_docker(d, "push", name + ":2", timeout=120)
    run_docker(d, "rmi", name + ":2")
    client = docker.DockerClient(base_url=f"unix://{d.sock}")
    image = client.images.pull(name, tag="2")
    assert image.id == image_id


def test_distribution_endpoint(daemon_with_busybox, open_registry):
    d, _ = daemon_with_busybox
    name = f"{open_registry.host}/dist/bb:1"
    run_docker(d, "tag", "busybox", name)
    cp = run_docker(d, "push", name, timeout=120)
    digest = cp.stdout.split("digest: ")[1].split()[0]
    r = d.get(f"/distribution/{name}/json")
    assert r.status == 200, r
    info = json.loads(r.text)
    assert info["Descriptor"]["digest"] == digest
    assert {"os": "linux", "architecture": "amd64"} in info["Platforms"]
    assert d.get(f"/distribution/{open_registry.host}/dist/none:1/json").status == 404
