"""A full disk loses nothing: berthd's data root on a small tmpfs the tests mount, filled with a file.
Create, load, commit, pull and build answer "no space left on device" (507 where the status is not sent
yet) and leave no record, content, snapshot or staging file behind; a container whose log cannot be
written keeps running, with an event when its log collection stops and another when it resumes; the
daemon answers throughout and restarts cleanly afterwards."""

from __future__ import annotations

import contextlib
import json
import os
import queue
import shutil
import socket
import subprocess
import threading
import time

import pytest

from conftest import Daemon, docker_cli, finish, run_docker, wait_until
from image_fixtures import busybox_layer, docker_archive, file_layer
from test_registry import Registry

MiB = 1 << 20
DISK_SIZE = 96 * MiB


def free_bytes(path: str) -> int:
    st = os.statvfs(path)
    return st.f_bavail * st.f_frsize


class Disk:
    """The daemon's data root, a tmpfs of `DISK_SIZE`, and a filler file that takes its free space."""

    def __init__(self, d: Daemon):
        self.d = d
        self.root = d.data_root
        self.filler = os.path.join(self.root, "filler")

    @contextlib.contextmanager
    def full(self, leave: int = 0):
        """Fills the disk but for `leave` bytes while the block runs (0: to the last byte)."""
        self.allocate(leave)
        if leave == 0:  # the last pages, one write at a time
            fd = os.open(self.filler + "-tail", os.O_WRONLY | os.O_CREAT, 0o600)
            try:
                while True:
                    os.write(fd, b"\0" * 4096)
            except OSError:
                pass
            finally:
                os.close(fd)
        try:
            yield
        finally:
            self.drain()

    def allocate(self, leave: int):
        """One file over the free space but `leave` bytes (free space moves while the daemon writes)."""
        fd = os.open(self.filler, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            for _ in range(20):
                try:
                    os.posix_fallocate(fd, 0, max(free_bytes(self.root) - leave, 1) + os.fstat(fd).st_size)
                    return
                except OSError:
                    time.sleep(0.05)
            pytest.fail(f"cannot fill {self.root}")
        finally:
            os.close(fd)

    def drain(self):
        for path in (self.filler, self.filler + "-tail"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)

    def content_blobs(self) -> set[str]:
        """The digests in containerd's content store."""
        blobs = os.path.join(self.root, "containerd", "io.containerd.content.v1.content", "blobs", "sha256")
        return set(os.listdir(blobs)) if os.path.isdir(blobs) else set()

    def ingests(self) -> list[str]:
        ingest = os.path.join(self.root, "containerd", "io.containerd.content.v1.content", "ingest")
        return os.listdir(ingest) if os.path.isdir(ingest) else []

    def staging(self) -> list[str]:
        """berthd's temporary files (request bodies, commit layers, load and pull staging)."""
        found = []
        for top, _, files in os.walk(os.path.join(self.root, "tmp")):
            found += [os.path.join(top, f) for f in files]
        return found


@pytest.fixture(scope="module")
def disk(berthd_bin, tmp_path_factory):
    d = Daemon(berthd_bin, [], name="fulldisk")
    os.makedirs(d.data_root)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={DISK_SIZE},mode=0711", "berth-full-disk", d.data_root], check=True)
    disk = Disk(d)
    try:
        d.start()
        path = str(tmp_path_factory.mktemp("img") / "busybox.tar")
        docker_archive(path, [busybox_layer()], ["busybox:latest"])
        run_docker(d, "load", "-i", path, timeout=120)
        yield disk
    finally:
        disk.drain()
        finish(d)  # also unmounts the tmpfs


@pytest.fixture
def state(disk):
    """What the daemon holds before a test; after it, the test must leave exactly that."""
    before = snapshot(disk)
    yield before
    same_as(disk, before)


def same_as(disk: Disk, before: dict):
    """Waits for the daemon's state to be `before` again (containerd collects content in the background)."""
    deadline = time.monotonic() + 20
    while (now := snapshot(disk)) != before and time.monotonic() < deadline:
        time.sleep(0.2)
    changed = {key: (before[key], now[key]) for key in before if before[key] != now[key]}
    assert not changed, f"left behind (before, after): {changed}\n--- log ---\n{disk.d.log_tail()}"


def snapshot(disk: Disk) -> dict:
    d = disk.d
    return {
        "containers": sorted(c["Id"] for c in d.get_json("/containers/json?all=1")),
        "images": sorted(i["Id"] for i in d.get_json("/images/json?all=1")),
        "blobs": disk.content_blobs(),
        "ingests": disk.ingests(),
        "staging": disk.staging(),
        **{"containerd " + what: ctr(d, what) for what in ("leases", "snapshots", "images", "containers")},
    }


def ctr(d: Daemon, what: str) -> list[str]:
    """The names containerd lists (`ctr <what> ls`, first column) in berthd's namespace."""
    if not shutil.which("ctr"):
        return []
    cp = subprocess.run(["ctr", "--address", os.path.join(d.exec_root, "containerd", "containerd.sock"), "-n", "berth",
                         what, "ls"], capture_output=True, text=True, timeout=10, check=True)
    return sorted(line.split()[0] for line in cp.stdout.splitlines()[1:] if line.strip())


def post_streaming(d: Daemon, path: str, body: bytes) -> tuple[int, dict]:
    """POSTs `body` and reads the answer even when the daemon answers before it has read it all (as it
    does when it cannot store it); the status and the JSON body."""
    with socket.socket(socket.AF_UNIX) as s:
        s.settimeout(60)
        s.connect(d.sock)
        s.sendall(f"POST {path} HTTP/1.1\r\nHost: berth\r\nContent-Type: application/x-tar\r\n"
                  f"Content-Length: {len(body)}\r\n\r\n".encode())
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            s.sendall(body)
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
    head, _, payload = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(payload)


def says_full(text: str) -> bool:
    return "no space left on device" in text.lower()


def assert_still_serving(d: Daemon):
    """`docker ps` and `docker info` answer while the disk is full."""
    run_docker(d, "ps", "-a")
    assert d.get_json("/info")["Containers"] >= 0


def big_image(path: str, tag: str, size: int) -> str:
    """A busybox image with a second layer of `size` random bytes (random: it does not compress)."""
    return docker_archive(path, [busybox_layer(), file_layer({"big": os.urandom(size)})], [tag])


# --------------------------------------------------------------------------- create, run

def test_create_and_run_answer_507_and_leave_no_container(disk, state):
    d = disk.d
    with disk.full():
        r = d.post("/containers/create?name=full-api", body={"Image": "busybox", "Cmd": ["true"]})
        assert r.status == 507, r.body
        assert says_full(r.json()["message"]), r.body
        cp = run_docker(disk.d, "run", "--name", "full-run", "busybox", "true", check=False)
        assert cp.returncode != 0 and says_full(cp.stderr), cp.stderr
        assert_still_serving(d)
        names = run_docker(d, "ps", "-a", "--format", "{{.Names}}").stdout.split()
        assert "full-api" not in names and "full-run" not in names
    # The names were not taken: they are free once there is room again.
    for name in ("full-api", "full-run"):
        run_docker(d, "create", "--name", name, "busybox", "true")
        run_docker(d, "rm", name)


def test_removing_works_on_a_full_disk(disk, state, tmp_path):
    """Removing is the way out of a full disk: containers, images and names go while it is full."""
    d = disk.d
    path = str(tmp_path / "small.tar")
    docker_archive(path, [busybox_layer(), file_layer({"small": b"x"})], ["small:1", "small:2"])
    run_docker(d, "load", "-i", path)
    run_docker(d, "create", "--name", "doomed", "busybox", "true")
    run_docker(d, "run", "--name", "doomed-run", "busybox", "true")
    with disk.full():
        run_docker(d, "rm", "doomed", "doomed-run")
        run_docker(d, "rmi", "small:2")
        run_docker(d, "rmi", "small:1")
        assert_still_serving(d)


# --------------------------------------------------------------------------- load

def test_load_bigger_than_the_free_space_answers_507(disk, state, tmp_path):
    """The tarball (busybox's ~1.9 MiB and 0.75 MiB more) is larger than the 2 MiB left, by less than
    the 1 MiB the server reads and drops after its early answer: a larger rest would still be in
    flight when berthd closes, and the unix socket's reset could then reach the client before the 507."""
    d = disk.d
    path = str(tmp_path / "big.tar")
    big_image(path, "big:spool", 3 * MiB // 4)
    with disk.full(leave=2 * MiB):
        with open(path, "rb") as f:
            status, answer = post_streaming(d, "/images/load?quiet=1", f.read())
        assert status == 507 and says_full(answer["message"]), (status, answer)
        assert_still_serving(d)
    assert not [i for i in d.get_json("/images/json") if "big:spool" in (i["RepoTags"] or [])]


def test_load_that_fills_the_content_store_leaves_nothing_half_loaded(disk, state, tmp_path):
    """The tarball fits the spool, its layer does not fit the content store next to it."""
    d = disk.d
    path = str(tmp_path / "big.tar")
    big_image(path, "big:store", 8 * MiB)
    with disk.full(leave=os.path.getsize(path) + 2 * MiB):
        cp = run_docker(d, "load", "-i", path, check=False, timeout=60)
        assert cp.returncode != 0 and says_full(cp.stderr), cp.stderr
        assert_still_serving(d)
    assert "big:store" not in run_docker(d, "images", "--format", "{{.Repository}}:{{.Tag}}").stdout
    # With room again the same tarball loads.
    run_docker(d, "load", "-i", path, timeout=60)
    run_docker(d, "rmi", "big:store")


# --------------------------------------------------------------------------- commit

def test_commit_answers_507_and_leaves_no_image(disk, state):
    d = disk.d
    run_docker(d, "run", "--name", "to-commit", "busybox", "sh", "-c", f"head -c {4 * MiB} /dev/urandom > /big")
    try:
        with disk.full(leave=MiB):
            r = d.post("/commit?container=to-commit&repo=committed&tag=1", body={})
            assert r.status == 507, r.body
            assert says_full(r.json()["message"]), r.body
            assert_still_serving(d)
        assert not [i for i in d.get_json("/images/json") if "committed:1" in (i["RepoTags"] or [])]
        image = run_docker(d, "commit", "to-commit", "committed:1").stdout.strip()
        run_docker(d, "rmi", image)
    finally:
        run_docker(d, "rm", "-f", "to-commit", check=False)


# --------------------------------------------------------------------------- pull

def test_pull_that_fills_the_disk_leaves_nothing(disk, state, tmp_path):
    d = disk.d
    registry = Registry(str(tmp_path / "registry"))
    try:
        path = str(tmp_path / "big.tar")
        big_image(path, f"{registry.host}/big:1", 8 * MiB)
        run_docker(d, "load", "-i", path, timeout=60)
        run_docker(d, "push", f"{registry.host}/big:1", timeout=60)
        run_docker(d, "rmi", f"{registry.host}/big:1")
        before = snapshot(disk)
        with disk.full(leave=4 * MiB):
            cp = run_docker(d, "pull", f"{registry.host}/big:1", check=False, timeout=60)
            assert cp.returncode != 0 and says_full(cp.stdout + cp.stderr), cp
            assert_still_serving(d)
        same_as(disk, before)
        run_docker(d, "pull", f"{registry.host}/big:1", timeout=60)
        run_docker(d, "rmi", f"{registry.host}/big:1")
    finally:
        registry.stop()


# --------------------------------------------------------------------------- build

def docker_build(d: Daemon, context, *args) -> subprocess.CompletedProcess:
    env = d.docker_env() | {"DOCKER_BUILDKIT": "0"}
    return subprocess.run([docker_cli(), "build", *args, str(context)], env=env, capture_output=True, text=True,
                          timeout=60, stdin=subprocess.DEVNULL)


def test_build_context_bigger_than_the_free_space_answers_507(disk, state, tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM busybox\nCOPY big /big\n")
    (tmp_path / "big").write_bytes(os.urandom(4 * MiB))
    with disk.full(leave=MiB):
        cp = docker_build(disk.d, tmp_path, "-t", "built:ctx")
        assert cp.returncode != 0 and says_full(cp.stderr), cp.stderr
        assert_still_serving(disk.d)


def test_build_step_filling_the_disk_leaves_no_container_or_image(disk, state, tmp_path):
    """The RUN step's file fits the container's layer, its layer tarball then does not fit beside it."""
    (tmp_path / "Dockerfile").write_text(f"FROM busybox\nRUN head -c {5 * MiB} /dev/urandom > /big\n")
    with disk.full(leave=8 * MiB):
        cp = docker_build(disk.d, tmp_path, "-t", "built:run")
        assert cp.returncode != 0 and says_full(cp.stdout + cp.stderr), cp
        assert_still_serving(disk.d)


# --------------------------------------------------------------------------- logs

class Events:
    """`docker events` for one container, read in the background."""

    def __init__(self, d: Daemon, container: str):
        self.proc = subprocess.Popen(
            [docker_cli(), "events", "--filter", f"container={container}", "--format", "{{json .}}"],
            env=d.docker_env(), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.lines: queue.Queue[dict] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.put(json.loads(line))

    def wait_for(self, action: str, timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                event = self.lines.get(timeout=left)
            except queue.Empty:
                break
            if event["Action"] == action:
                return event
        pytest.fail(f"no {action} event within {timeout}s")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


def test_a_container_whose_log_cannot_be_written_keeps_running(disk, state):
    d = disk.d
    cid = run_docker(d, "run", "-d", "busybox", "sh", "-c",
                     "i=0; while true; do i=$((i+1)); echo line $i; sleep 0.02; done").stdout.strip()
    events = Events(d, cid)
    try:
        wait_until(lambda: "line 5" in run_docker(d, "logs", cid).stdout, timeout=10, what="the first lines")
        time.sleep(1)  # `docker events` subscribes
        with disk.full():
            stopped = events.wait_for("log-collection-stopped")
            assert says_full(stopped["Actor"]["Attributes"]["error"]), stopped
            time.sleep(0.5)
            assert run_docker(d, "inspect", "-f", "{{.State.Running}}", cid).stdout.strip() == "true"
            assert_still_serving(d)
            last_before = int(run_docker(d, "logs", "--tail", "1", cid).stdout.split()[-1])
        resumed = events.wait_for("log-collection-resumed")
        assert int(resumed["Actor"]["Attributes"]["dropped"]) > 0, resumed
        wait_until(lambda: int(run_docker(d, "logs", "--tail", "1", cid).stdout.split()[-1]) > last_before + 10,
                   timeout=10, what="new lines in the log")
        # Every entry is whole: the log reads back line by line, numbers rising.
        numbers = [int(line.split()[-1]) for line in run_docker(d, "logs", cid).stdout.splitlines()]
        assert numbers == sorted(numbers) and len(numbers) > 10
        assert run_docker(d, "inspect", "-f", "{{.State.Running}}", cid).stdout.strip() == "true"
    finally:
        events.stop()
        run_docker(d, "rm", "-f", cid, check=False)


# --------------------------------------------------------------------------- restart

def test_the_daemon_restarts_cleanly_on_a_full_disk_and_afterwards(disk):
    d = disk.d
    run_docker(d, "create", "--name", "kept", "busybox", "true")
    try:
        before = snapshot(disk)
        with disk.full():
            assert d.stop() == 0
            d.proc = None
            d.start()
            assert snapshot(disk) == before
        assert d.stop() == 0
        d.proc = None
        d.start()
        assert snapshot(disk) == before
        run_docker(d, "start", "-a", "kept")
    finally:
        run_docker(d, "rm", "-f", "kept", check=False)
