"""Fault injection (`--fault-injection`, POST/DELETE /debug/faults): the tree heals crashed children,
requests to a restarting child wait for it or fail with 503 naming it, and the API is absent without the flag."""

import os
import time

import pytest

from conftest import CHILD_ORDER, CONNECT_ERRORS, Daemon, wait_until

# Every child that runs for the daemon's whole life (restore is transient and has completed).
PERMANENT = [c for c in CHILD_ORDER if c != "restore"]
HEAL_TIMEOUT = 30.0


@pytest.fixture
def clean(make_daemon):
    """A fresh daemon per test: crashes and failed starts count toward the tree's restart intensity,
    so tests do not share one and cannot trip it for each other."""
    d = make_daemon(["--fault-injection"])
    d.wait_healthy(HEAL_TIMEOUT)
    return d


def _child(d: Daemon, name: str) -> dict:
    return d.child(name, retry_for=10)


@pytest.mark.parametrize("name", PERMANENT)
def test_crash_child_heals(clean, name):
    d = clean
    before = _child(d, name)
    try:
        r = d.fault(name, "crash")
        assert r.status in (200, 201, 202, 204), r
    except CONNECT_ERRORS:
        # crashing the api child may take the connection that carried the request with it
        assert name == "api"

    def healed():
        c = _child(d, name)
        return c["state"] == "running" and c["restarts"] >= before["restarts"] + 1 \
            and c["incarnation"] >= before["incarnation"] + 1 and c

    c = wait_until(healed, HEAL_TIMEOUT, 0.1, f"{name} to restart after a crash")
    assert c["incarnation"] >= 2 and c["restarts"] >= 1, c
    d.wait_healthy(HEAL_TIMEOUT)
    # the system API works again, containerd included
    v = d.get_json("/version", retry_for=10)
    assert "containerd" in [x["Name"] for x in v["Components"]]
    assert d.get("/info", retry_for=10).status == 200


def test_crash_api_restarts_listener(clean):
    d = clean
    before = _child(d, "api")
    try:
        d.fault("api", "crash")
    except CONNECT_ERRORS:
        pass
    # clients reconnect within a few seconds
    r = d.request("GET", "/_ping", retry_for=10)
    assert r.status == 200
    wait_until(lambda: _child(d, "api")["incarnation"] > before["incarnation"], HEAL_TIMEOUT, 0.1,
               "a new api incarnation")
    assert os.path.exists(d.sock), "the API socket must be back after the listener restarted"


def test_fail_start_gives_quick_503_then_recovers(clean):
    d = clean
    before = _child(d, "images")
    r = d.fault("images", "fail-start", count=3)
    assert r.status in (200, 201, 202, 204), r
    r = d.fault("images", "crash")
    assert r.status in (200, 201, 202, 204), r

    # While images keeps failing to start, GET /info (which needs it) waits for it (child-restart-wait,
    # 5 s) and answers 200, or 503 naming the child once the wait is over; /_ping (which needs no child)
    # keeps answering 200.
    unavailable = []
    deadline = time.monotonic() + HEAL_TIMEOUT
    while time.monotonic() < deadline:
        r = d.get("/info", timeout=10)
        if r.status == 503:
            assert r.elapsed < 7.0, f"503 took {r.elapsed:.2f}s"
            msg = r.error_message()
            assert "images" in msg, msg
            unavailable.append(r)
        elif r.status == 200:
            if unavailable or _child(d, "images")["incarnation"] > before["incarnation"] + 3:
                break
        else:
            pytest.fail(f"GET /info during restart: {r.status} {r.body[:300]!r}")
        assert d.get("/_ping", timeout=5).status == 200
        time.sleep(0.05)

    def recovered():
        c = _child(d, "images")
        return c["state"] == "running" and c
    c = wait_until(recovered, HEAL_TIMEOUT, 0.1, "images to recover after 3 failed starts")
    assert c["restarts"] >= before["restarts"] + 1 and c["incarnation"] >= 2, c
    assert d.get("/info").status == 200


def test_restarting_child_is_visible_in_supervision(clean):
    d = clean
    d.fault("images", "fail-start", count=3)
    d.fault("images", "crash")
    states, errors, backoffs = set(), [], []
    deadline = time.monotonic() + HEAL_TIMEOUT
    while time.monotonic() < deadline:
        c = _child(d, "images")
        states.add(c["state"])
        errors.append(c["lastError"])
        backoffs.append(c["backoffMs"])
        if c["state"] == "running" and len(states) > 1:
            break
        time.sleep(0.02)
    assert states & {"restarting", "starting", "failed"}, states
    assert c["state"] == "running", c
    assert any(errors), "a failed start should show up as lastError while it restarts"
    assert max(backoffs) > 0, "a failed start is retried after a backoff"
    assert c["restarts"] >= 1 and c["incarnation"] >= 2, c


def test_delete_clears_armed_faults(clean):
    d = clean
    before = _child(d, "images")
    assert d.fault("images", "fail-start", count=50).status in (200, 201, 202, 204)
    r = d.clear_faults()
    assert r.status in (200, 204), r
    d.fault("images", "crash")
    wait_until(lambda: _child(d, "images")["incarnation"] > before["incarnation"]
               and _child(d, "images")["state"] == "running", 10, 0.1,
               "images to restart at once (the fail-start fault was cleared)")
    assert d.get("/info").status == 200


def test_delay_fault_slows_requests(clean):
    d = clean
    t = d.get("/info").elapsed
    assert d.fault("images", "delay", ms=1500).status in (200, 201, 202, 204)
    r = d.get("/info", timeout=15)
    assert r.status == 200, r
    assert r.elapsed >= 1.4, f"/info took {r.elapsed:.2f}s with a 1500 ms delay on images"
    d.clear_faults()
    r = d.get("/info")
    assert r.status == 200 and r.elapsed < max(1.0, t * 5), r.elapsed


def test_hang_times_out_with_an_error(clean):
    # the request waits for the child's request timeout (30 s), then gets an error naming the child
    d = clean
    assert d.fault("images", "hang").status in (200, 201, 202, 204)
    r = d.get("/info", timeout=60)
    assert r.status >= 500, r
    assert "images" in r.error_message()
    d.clear_faults()
    wait_until(lambda: d.get("/info").status == 200, HEAL_TIMEOUT, 0.2, "/info after clearing the hang")


def test_fault_validation(clean):
    d = clean
    r = d.fault("nope", "crash")
    assert r.status == 404, r
    r.error_message()
    r = d.fault("images", "explode")
    assert r.status == 400, r
    r.error_message()
    r = d.post("/debug/faults", "{bad")
    assert r.status == 400, r
    r.error_message()
    assert d.tree_healthy()


def test_faults_absent_without_flag(make_daemon):
    d = make_daemon([])
    r = d.fault("images", "crash")
    assert r.status == 404, r
    r = d.clear_faults()
    assert r.status == 404, r
    assert d.tree_healthy()
    assert d.child("images")["restarts"] == 0


def test_restart_intensity_escalates_to_a_nonzero_exit(make_daemon):
    # A child that keeps failing to start exceeds its restart intensity (8 restarts within 60 s, about
    # 25 s of growing backoff): the tree stops and berthd exits non-zero for systemd to decide.
    d = make_daemon(["--fault-injection"])
    assert d.fault("network", "fail-start", count=100).status in (200, 201, 202, 204)
    assert d.fault("network", "crash").status in (200, 201, 202, 204)
    rc = d.wait_exit(90)
    assert rc is not None, "berthd still running after the intensity was exceeded"
    assert rc == 2, (rc, d.log_tail())
    assert "network restarted more than 8 times" in d.log_tail(80)
    assert not os.path.exists(d.sock), "the API socket must be removed on the way out"
