"""Restarts of the api child that clients never see (issue 19): the listening sockets outlive the api
child's incarnations, so requests made while it restarts wait in the accept backlog and are answered by
the next incarnation; streams in flight end cleanly; berthd and the tree stay up."""

import http.client
import os
import subprocess
import threading
import time

import pytest

from conftest import CONNECT_ERRORS, Daemon, http_request, wait_until

HEAL_TIMEOUT = 30.0
CRASHES = 3


@pytest.fixture
def daemon(make_daemon):
    d = make_daemon(["--fault-injection"])
    d.wait_healthy(HEAL_TIMEOUT)
    return d


class RequestLoop(threading.Thread):
    """`GET /containers/json` over and over, each on a fresh connection, recording every outcome."""

    def __init__(self, sock: str):
        super().__init__(daemon=True)
        self.sock = sock
        self.stop = threading.Event()
        self.statuses: list[int] = []
        self.errors: list[BaseException] = []

    def run(self):
        while not self.stop.is_set():
            try:
                self.statuses.append(http_request(self.sock, "GET", "/containers/json", timeout=30).status)
            except (OSError, http.client.HTTPException) as error:
                self.errors.append(error)
            time.sleep(0.02)


def _crash_api(d: Daemon) -> None:
    before = d.child("api", retry_for=10)["incarnation"]
    try:
        d.fault("api", "crash")
    except CONNECT_ERRORS:
        pass  # the crash may take the connection that carried it
    wait_until(lambda: d.child("api", retry_for=10)["incarnation"] > before and d.child("api")["state"] == "running",
               HEAL_TIMEOUT, 0.1, "a new api incarnation")


def test_api_crashes_refuse_no_connection(daemon):
    d = daemon
    loop = RequestLoop(d.sock)
    loop.start()
    try:
        for _ in range(CRASHES):
            follower = subprocess.Popen(["docker", "events", "--format", "{{json .}}"], env=d.docker_env(),
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            time.sleep(1.0)  # the follower is connected and streaming
            assert follower.poll() is None, follower.communicate()
            _crash_api(d)
            try:
                _, stderr = follower.communicate(timeout=HEAL_TIMEOUT)
            finally:
                follower.kill()
            assert follower.returncode == 0 and "EOF" not in stderr, (follower.returncode, stderr)
            assert d.running(), d.log_tail()
            assert os.path.exists(d.sock), "the socket file must stay while api restarts"
            time.sleep(0.5)
    finally:
        loop.stop.set()
        loop.join(60)
    refused = [e for e in loop.errors if isinstance(e, (ConnectionRefusedError, FileNotFoundError))]
    assert not refused, refused
    assert loop.statuses and set(loop.statuses) <= {200}, (set(loop.statuses), loop.errors)
    assert d.running(), d.log_tail()
    d.wait_healthy(HEAL_TIMEOUT)
    assert d.request("GET", "/_ping").status == 200


def test_socket_file_removed_when_berthd_stops(daemon):
    d = daemon
    _crash_api(d)
    assert os.path.exists(d.sock)
    assert d.stop() == 0
    assert not os.path.exists(d.sock)
