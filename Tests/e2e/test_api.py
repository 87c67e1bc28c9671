"""The system API over the unix socket: versions, headers, errors, /info, /system/df, /events,
/metrics and /debug/supervision. One daemon for the module; no test here disturbs it."""

import json
import re
import time

import pytest

from conftest import API_VERSION, CHILD_ORDER, CHILD_STATES, MIN_API_VERSION, Daemon, finish, query


@pytest.fixture(scope="module")
def api(berthd_bin):
    d = Daemon(berthd_bin, ["--fault-injection", "--label", "e2e.suite=api", "--label", "tier=test"], name="api")
    d.start()
    yield d
    finish(d)


# ----------------------------------------------------------------------------- _ping and versions

def _assert_ping_headers(r):
    assert r.header("Api-Version") == API_VERSION
    assert r.header("Ostype") == "linux"
    assert r.header("Swarm") == "inactive"
    assert r.header("Builder-Version") is not None, dict(r.headers)
    assert "no-cache" in (r.header("Cache-Control") or ""), dict(r.headers)


def test_ping_get(api):
    r = api.get("/_ping")
    assert r.status == 200
    assert r.text == "OK"
    _assert_ping_headers(r)


def test_ping_head(api):
    r = api.head("/_ping")
    assert r.status == 200
    assert r.body == b""
    _assert_ping_headers(r)


@pytest.mark.parametrize("version", ["1.24", "1.41", "1.44", "1.50", "1.51"])
def test_versioned_paths(api, version):
    r = api.get(f"/v{version}/_ping")
    assert r.status == 200, r
    assert r.text == "OK"
    r = api.get(f"/v{version}/version")
    assert r.status == 200, r
    assert r.json()["ApiVersion"] == API_VERSION


def test_version_body(api):
    v = api.get_json("/version")
    assert v["ApiVersion"] == API_VERSION
    assert v["MinAPIVersion"] == MIN_API_VERSION
    assert v["Os"] == "linux"
    assert v["Arch"]
    assert isinstance(v["Version"], str) and v["Version"]
    names = [c["Name"] for c in v["Components"]]
    for want in ("Engine", "containerd", "runc"):
        assert want in names, names
    for c in v["Components"]:
        assert isinstance(c.get("Version"), str) and c["Version"], c


@pytest.mark.parametrize("path", ["/v1.99/version", "/v1.12/version", "/v1.99/_ping", "/v1.23/info"])
def test_version_out_of_range_is_400(api, path):
    r = api.get(path)
    assert r.status == 400, r
    msg = r.error_message()
    assert "version" in msg.lower(), msg


def test_unknown_path_is_404_json(api):
    for path in ("/no/such/endpoint", "/v1.51/no/such/endpoint"):
        r = api.get(path)
        assert r.status == 404, r
        r.error_message()


@pytest.mark.parametrize("path", ["/swarm", "/services", "/nodes", "/v1.51/swarm"])
def test_swarm_endpoints_are_503(api, path):
    r = api.get(path)
    assert r.status == 503, r
    r.error_message()


def test_unbuilt_endpoints_are_501_json(api):
    # Known Docker routes that Berth serves later (or never): they are routed, not 404, and the
    # not-yet-built ones answer 501 with a Docker error body. /session and /grpc (BuildKit) stay
    # unbuilt for a long time, so at least one 501 is expected.
    candidates = [("POST", "/session"), ("POST", "/grpc"), ("POST", "/build"), ("GET", "/plugins"),
                  ("GET", "/images/json"), ("GET", "/containers/json")]
    seen = {}
    for method, path in candidates:
        r = api.request(method, path)
        seen[(method, path)] = r.status
        assert r.status != 404, f"{method} {path} is a Docker route but answered 404"
        if r.status >= 400:
            r.error_message()
    assert 501 in seen.values(), seen


def test_malformed_json_body_is_400(api):
    r = api.post("/debug/faults", "{bad")
    assert r.status == 400, r
    r.error_message()


def test_error_bodies_keep_api_version_header(api):
    r = api.get("/no/such/endpoint")
    assert r.header("Api-Version") == API_VERSION


# ----------------------------------------------------------------------------- /info and /system/df

def test_info_shape(api):
    info = api.info()
    for key in ("ID", "Name", "ServerVersion", "OperatingSystem", "KernelVersion", "Architecture"):
        assert isinstance(info.get(key), str), (key, info.get(key))
    for key in ("Containers", "ContainersRunning", "ContainersPaused", "ContainersStopped", "Images", "NCPU", "MemTotal"):
        assert isinstance(info.get(key), int), (key, info.get(key))
    assert info["OSType"] == "linux"
    assert isinstance(info["Driver"], str) and info["Driver"]
    assert info["CgroupVersion"] in ("1", "2")
    assert info["DockerRootDir"] == api.data_root
    assert info["Containers"] == info["ContainersRunning"] + info["ContainersPaused"] + info["ContainersStopped"]
    assert isinstance(info["Labels"], list)
    assert "e2e.suite=api" in info["Labels"] and "tier=test" in info["Labels"], info["Labels"]


def test_info_is_versioned_too(api):
    assert api.get_json("/v1.44/info")["ServerVersion"] == api.info()["ServerVersion"]


def test_system_df_shape(api):
    df = api.get_json("/system/df")
    assert isinstance(df["LayersSize"], int)
    for key in ("Images", "Containers", "Volumes", "BuildCache"):
        assert isinstance(df[key], list), (key, df.get(key))


# ----------------------------------------------------------------------------- /events

def test_events_replay_closes_at_until(api):
    now = int(time.time())
    t0 = time.monotonic()
    r = api.get(query("/events", since=now - 60, until=now - 1), timeout=10)
    assert r.status == 200, r
    assert "json" in (r.header("Content-Type") or "")
    assert time.monotonic() - t0 < 5, "a replay whose until is past must end at once"
    for line in r.text.splitlines():
        if line.strip():
            ev = json.loads(line)
            assert {"Type", "Action", "Actor", "time", "timeNano"} <= set(ev), ev


def test_events_filters_are_accepted(api):
    now = int(time.time())
    # both filter encodings Docker accepts: {"k": ["v"]} (docker-py) and {"k": {"v": true}} (the CLI)
    for filters in ({"type": ["daemon"]}, {"type": {"daemon": True}}):
        evs = api.events(since=now - 60, until=now - 1, filters=filters)
        assert all(e["Type"] == "daemon" for e in evs), evs
    r = api.get(query("/events", until=now - 1, filters="{not json"))
    assert r.status == 400, r
    r.error_message()


def test_events_stream_stays_open(api):
    # A live stream (no until) sends its head at once and then waits for events.
    with api.open_events(filters={"type": ["daemon"]}) as stream:
        assert "json" in stream.headers.get("content-type", "")
        assert stream.next_event(0.5) is None
        assert not stream.eof


# ----------------------------------------------------------------------------- /metrics

METRIC_LINE = re.compile(r'^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})?\s+\S+(\s+\d+)?$')


def test_metrics(api):
    r = api.get("/metrics")
    assert r.status == 200, r
    assert (r.header("Content-Type") or "").startswith("text/plain"), r.header("Content-Type")
    samples = [line for line in r.text.splitlines() if line and not line.startswith("#")]
    bad = [line for line in samples if not METRIC_LINE.match(line)]
    assert not bad, bad[:5]
    assert any(line.startswith("engine_daemon_") for line in samples), r.text[:2000]
    berth = [line for line in samples if line.startswith("berth_child_")]
    assert berth, r.text[:2000]
    for child in CHILD_ORDER:
        assert any(f'child="{child}"' in line for line in berth), (child, berth[:20])


# ----------------------------------------------------------------------------- /debug/supervision

def test_supervision_tree(api):
    tree = api.supervision()
    assert tree["name"] == "berthd"
    assert tree["state"] == "running"
    children = tree["children"]
    assert [c["name"] for c in children] == CHILD_ORDER
    for c in children:
        assert c["state"] in CHILD_STATES, c
        want = "completed" if c["name"] == "restore" else "running"
        assert c["state"] == want, c
        assert c["incarnation"] == 1, c
        assert c["restarts"] == 0, c
        assert c["lastError"] is None, c
        assert c["backoffMs"] == 0, c
        assert c["restartType"] in ("permanent", "transient", "temporary"), c
    by_name = {c["name"]: c for c in children}
    assert by_name["restore"]["restartType"] == "transient"
    assert by_name["containerd"]["restartType"] == "permanent"


def test_supervision_contracts(api):
    """Each child shows the siblings it requires at boot (all earlier) and those it calls at run time."""
    children = api.supervision()["children"]
    order = [c["name"] for c in children]
    for position, c in enumerate(children):
        assert all(order.index(r) < position for r in c["requires"]), c
        assert set(c["calls"]) <= set(order) - {c["name"]}, c
    by_name = {c["name"]: c for c in children}
    assert by_name["containers"]["requires"] == ["containerd", "volumes"]
    assert by_name["containers"]["calls"] == ["graphdriver", "images", "network"]
    assert by_name["restore"]["requires"] == ["volumes", "containers", "network"]
    assert by_name["containerd"]["requires"] == [] and by_name["containerd"]["calls"] == []
    assert set(by_name["api"]["calls"]) == set(order) - {"restore", "api"}


def test_supervision_containerd_info(api):
    info = api.child("containerd")["info"]
    assert info.get("address"), info
    pid = api.containerd_pid()
    assert pid, info
    with open(f"/proc/{pid}/cmdline", "rb") as f:
        assert b"containerd" in f.read()
    address = info["address"].removeprefix("unix://")
    assert address.startswith(api.dir), f"berthd's own containerd should live under {api.dir}: {address}"


def test_faults_endpoint_validates(api):
    r = api.fault("no-such-child", "crash")
    assert r.status == 404, r
    r.error_message()
    r = api.fault("images", "no-such-fault")
    assert r.status == 400, r
    r.error_message()
    assert api.tree_healthy()
