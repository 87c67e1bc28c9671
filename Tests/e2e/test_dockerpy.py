"""The Python docker SDK (docker-py) against berthd: ping, version, info, df, events."""

import threading
import time

import pytest

from conftest import API_VERSION, Daemon, finish, reload_window

docker = pytest.importorskip("docker")


@pytest.fixture(scope="module")
def pyd(berthd_bin):
    d = Daemon(berthd_bin, ["--fault-injection"], config={"labels": ["e2e.suite=dockerpy"]}, name="dockerpy")
    d.start()
    yield d
    finish(d)


@pytest.fixture(scope="module")
def client(pyd):
    c = docker.DockerClient(base_url=f"unix://{pyd.sock}", timeout=30)
    yield c
    c.close()


def test_ping(client):
    assert client.ping() is True


def test_version_negotiated(client):
    v = client.version()
    assert v["ApiVersion"] == API_VERSION
    assert {"Engine", "containerd", "runc"} <= {c["Name"] for c in v["Components"]}
    # the SDK adopted the server's version for later calls
    assert client.api.api_version == API_VERSION


def test_pinned_old_version(pyd):
    c = docker.DockerClient(base_url=f"unix://{pyd.sock}", version="1.41", timeout=30)
    try:
        assert c.ping() is True
        assert c.info()["ServerVersion"]
    finally:
        c.close()


def test_info(client):
    info = client.info()
    assert info["ServerVersion"]
    assert info["OSType"] == "linux"
    assert "e2e.suite=dockerpy" in info["Labels"]


def test_df(client):
    df = client.df()
    for key in ("Images", "Containers", "Volumes"):
        assert isinstance(df[key], list), df


def _consume(stream, timeout: float, first_only: bool = False) -> list:
    """Read a docker-py event stream in a thread, bounded by `timeout` (the SDK reads with no timeout)."""
    got, done = [], threading.Event()

    def read():
        try:
            for ev in stream:
                got.append(ev)
                if first_only:
                    break
        finally:
            done.set()

    threading.Thread(target=read, daemon=True).start()
    finished = done.wait(timeout)
    stream.close()
    if not first_only:
        assert finished, f"the event stream did not end by itself within {timeout}s (got {got})"
    return got


def test_events_since_until(pyd, client):
    since, until = reload_window(pyd, 2)
    evs = _consume(client.events(since=since, until=until, decode=True, filters={"type": "daemon"}), 20)
    reloads = [e for e in evs if e.get("Action") == "reload"]
    assert len(reloads) >= 2, evs
    assert all(e["Type"] == "daemon" and since <= e["time"] <= until for e in reloads), reloads


def test_events_live_stream(pyd, client):
    opened = time.time()
    stream = client.events(decode=True, filters={"type": "daemon", "event": "reload"})
    reloader = threading.Timer(0.3, pyd.reload)
    reloader.start()
    got = _consume(stream, 15, first_only=True)
    reloader.join(20)
    assert got and got[0]["Action"] == "reload", got
    # without `since` a stream carries only new events, not the history
    assert got[0]["timeNano"] >= int(opened) * 10**9, (opened, got[0])
