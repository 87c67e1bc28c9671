"""An authorization plugin sees what runs: a plugin on a unix socket that denies privileged containers
(reading bodies into Docker's Go structs, as a Go plugin would: names match case-insensitively, the
last of a repeated name wins) and containers named `forbidden`,
and each known way of showing it one request and running another, sent as raw HTTP: bodies not declared
JSON, repeated and differently-cased JSON keys, repeated query parameters, unclean and escaped paths.
Also: credentials never reach the plugin, and unknown paths and wrong methods are answered without it."""

from __future__ import annotations

import base64
import json
import socket
import urllib.parse

import pytest

from conftest import Daemon, finish, load_busybox, remove_everything
from plugin_servers import PluginServer

PRIVILEGED = {"Image": "busybox", "Cmd": ["true"], "HostConfig": {"Privileged": True, "NetworkMode": "none"}}


def go_struct_get(obj, name):
    """A member as Go's encoding/json sets a struct field: names match case-insensitively, the last wins."""
    found = None
    for key, value in obj:
        if key.lower() == name.lower():
            found = value
    return found


class PrivilegeGate(PluginServer):
    """Denies creating privileged containers and containers named `forbidden`; records what it was shown."""

    def __init__(self, socket_path: str):
        super().__init__(socket_path, ["authz"])

    def routes(self) -> dict:
        return {"AuthZPlugin.AuthZReq": self.judge, "AuthZPlugin.AuthZRes": lambda body: {"Allow": True}}

    def judge(self, request):
        uri = urllib.parse.urlsplit(request["RequestURI"])
        path = uri.path.split("/", 2)[2] if uri.path.startswith("/v1.") else uri.path.lstrip("/")
        if request["RequestMethod"] == "POST" and path == "containers/create":
            names = urllib.parse.parse_qs(uri.query).get("name", [""])
            if names[0] == "forbidden":
                return {"Allow": False, "Msg": "that name is forbidden"}
            raw = base64.b64decode(request.get("RequestBody") or b"") or b"{}"
            members = json.loads(raw, object_pairs_hook=lambda pairs: pairs)  # read into Docker's Go structs
            if go_struct_get(go_struct_get(members, "HostConfig") or [], "Privileged"):
                return {"Allow": False, "Msg": "privileged containers are not allowed"}
        return {"Allow": True}

    def requests(self) -> list[dict]:
        return [body for method, body in self.calls if method == "AuthZPlugin.AuthZReq"]


@pytest.fixture(scope="module")
def setup(berthd_bin, tmp_path_factory):
    base = tmp_path_factory.mktemp("authz")
    sockets = base / "sockets"
    sockets.mkdir()
    gate = PrivilegeGate(str(sockets / "gate.sock")).start()
    d = Daemon(berthd_bin, name="authz", config={"plugin-socket-dirs": [str(sockets)], "authorization-plugins": ["gate"]})
    d.start()
    load_busybox(d, str(base))
    yield d, gate
    remove_everything(d)
    finish(d)
    gate.stop()


def raw(d: Daemon, method: str, target: str, body: bytes = b"", headers: dict | None = None):
    """One request written byte for byte (no client normalises the target): (status, headers, body)."""
    head = {"Host": "docker", "Content-Length": str(len(body)), "Connection": "close", **(headers or {})}
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(30)
    sock.connect(d.sock)
    try:
        sock.sendall(f"{method} {target} HTTP/1.1\r\n".encode() + "".join(f"{k}: {v}\r\n" for k, v in head.items()).encode()
                     + b"\r\n" + body)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    finally:
        sock.close()
    header_text, _, payload = data.partition(b"\r\n\r\n")
    lines = header_text.decode().split("\r\n")
    fields = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), fields, payload


def message(payload: bytes) -> str:
    return json.loads(payload)["message"]


def attempt(d: Daemon, target: str, body: bytes = json.dumps(PRIVILEGED).encode(), headers: dict | None = None):
    """A create attempt: its status and error message, after checking that no privileged container exists."""
    status, _, payload = raw(d, "POST", target, body, JSON if headers is None else headers)
    assert privileged_containers(d) == []
    return status, message(payload) if payload else ""


def privileged_containers(d: Daemon) -> list[str]:
    found = []
    for c in d.get_json("/containers/json?all=1"):
        if d.get_json(f"/containers/{c['Id']}/json")["HostConfig"].get("Privileged"):
            found.append(c["Names"][0])
    return found


JSON = {"Content-Type": "application/json"}


def test_the_plugin_denies_a_plain_privileged_create(setup):
    d, gate = setup
    assert attempt(d, "/containers/create") == (403, "authorization denied by plugin gate: privileged containers are not allowed")


@pytest.mark.parametrize("content_type", ["text/plain", None, "application/jsonx", "application/json;;"])
def test_a_body_not_declared_json_is_refused_as_dockerd_refuses_it(setup, content_type):
    d, gate = setup
    headers = {"Content-Type": content_type} if content_type else {}
    assert attempt(d, "/containers/create", headers=headers) == (400, f"Content-Type specified ({content_type or ''}) must be 'application/json'")


@pytest.mark.parametrize("body", [
    b'{"Image":"busybox","Cmd":["true"],"HostConfig":{"NetworkMode":"none","Privileged":true,"Privileged":false}}',
    b'{"Image":"busybox","Cmd":["true"],"HostConfig":{"NetworkMode":"none","Privileged":true,"privileged":false}}',
    b'{"Image":"busybox","Cmd":["true"],"HostConfig":{"NetworkMode":"none","Privileged":true,"Privil\\u0065ged":false}}',
    b'{"Image":"busybox","Cmd":["true"],"HostConfig":{"NetworkMode":"none","Privileged":true},"HostConfig":{"NetworkMode":"none"}}',
    b'{"Image":"busybox","Cmd":["true"],"HostConfig":{"NetworkMode":"none","Privileged":true},"hostconfig":{"NetworkMode":"none"}}',
])
def test_json_keys_a_go_plugin_reads_differently_are_refused(setup, body):
    d, gate = setup
    status, text = attempt(d, "/containers/create", body)
    assert status == 400 and "appears more than once" in text, text


def test_members_in_another_case_run_as_a_go_plugin_reads_them(setup):
    d, gate = setup
    body = b'{"Image":"busybox","Cmd":["true"],"hostconfig":{"NetworkMode":"none","privileged":true}}'
    assert attempt(d, "/containers/create", body) == (403, "authorization denied by plugin gate: privileged containers are not allowed")
    body = b'{"image":"busybox","cmd":["true"],"user":"1000","hostConfig":{"networkmode":"none"},"Labels":{"user":"x"}}'
    status, _, payload = raw(d, "POST", "/containers/create?name=cased", body, JSON)
    assert status == 201, payload
    inspected = d.get_json("/containers/cased/json")
    assert inspected["Config"]["User"] == "1000" and inspected["Config"]["Labels"] == {"user": "x"}, inspected["Config"]
    assert inspected["HostConfig"]["NetworkMode"] == "none"


def test_a_json_body_too_large_to_show_is_refused(setup):
    d, gate = setup
    body = dict(PRIVILEGED, Labels={"padding": "x" * (1 << 20)})
    status, text = attempt(d, "/containers/create", json.dumps(body).encode())
    assert (status, text) == (400, "the JSON body is larger than 1048576 bytes, the most the authorization plugins are shown")


def test_repeated_query_parameters_read_the_first_as_go_does(setup):
    d, gate = setup
    body = json.dumps({"Image": "busybox", "Cmd": ["true"], "HostConfig": {"NetworkMode": "none"}}).encode()
    status, _, payload = raw(d, "POST", "/containers/create?name=allowed&name=forbidden", body, JSON)
    assert status == 201, payload
    names = [c["Names"][0] for c in d.get_json("/containers/json?all=1")]
    assert "/allowed" in names and "/forbidden" not in names, names
    status, _, payload = raw(d, "POST", "/containers/create?name=forbidden&name=allowed2", body, JSON)
    assert status == 403 and "that name is forbidden" in message(payload), payload
    status, _, payload = raw(d, "POST", "/containers/create?name=%zz", body, JSON)
    assert status == 400 and message(payload) == 'invalid URL escape "%zz"', payload


@pytest.mark.parametrize("target,location", [
    ("//containers/create", "/containers/create"),
    ("/containers//create?name=x", "/containers/create?name=x"),
    ("/containers/./create", "/containers/create"),
    ("/x/../containers/create", "/containers/create"),
    ("/v1.41//containers/create", "/v1.41/containers/create"),
    ("/containers%2F%2Fcreate", "/containers/create"),
])
def test_unclean_paths_are_redirected_and_run_nothing(setup, target, location):
    d, gate = setup
    asked = len(gate.requests())
    status, headers, _ = raw(d, "POST", target, json.dumps(PRIVILEGED).encode(), JSON)
    assert (status, headers.get("location")) == (301, location)
    assert len(gate.requests()) == asked and privileged_containers(d) == []


@pytest.mark.parametrize("target", ["/containers/create/", "/v1.41/containers/create/"])
def test_a_trailing_slash_is_no_route_as_in_dockerd(setup, target):
    d, gate = setup
    assert attempt(d, target) == (404, "page not found")


@pytest.mark.parametrize("target", ["/containers%2Fcreate", "/containers/%63reate", "/v1.41%2Fcontainers/create"])
def test_escaped_paths_are_shown_to_the_plugin_as_they_run(setup, target):
    d, gate = setup
    asked = len(gate.requests())
    assert attempt(d, target) == (403, "authorization denied by plugin gate: privileged containers are not allowed")
    assert gate.requests()[asked]["RequestURI"] in ("/containers/create", "/v1.41/containers/create")


def test_an_escaped_path_that_is_allowed_runs_as_shown(setup):
    d, gate = setup
    body = json.dumps({"Image": "busybox", "Cmd": ["true"], "HostConfig": {"NetworkMode": "none"}}).encode()
    status, _, payload = raw(d, "POST", "/containers%2Fcreate?name=escaped", body, JSON)
    assert status == 201, payload
    assert gate.requests()[-1]["RequestURI"] == "/containers/create?name=escaped"


def test_credentials_are_not_shown_to_the_plugin(setup):
    d, gate = setup
    secret = "s3cret-from-the-test"
    auth = base64.urlsafe_b64encode(json.dumps({"username": "u", "password": secret}).encode()).decode()
    raw(d, "GET", "/containers/json", headers={"X-Registry-Auth": auth, "x-registry-config": auth, "Authorization": f"Basic {secret}",
                                               "x-custom-header": "kept"})
    login = json.dumps({"username": "u", "password": secret, "serveraddress": "127.0.0.1:1"}).encode()
    raw(d, "POST", "/auth", login, JSON)
    raw(d, "POST", "/v1.41/auth", login, JSON)
    listing = [r for r in gate.requests() if r["RequestURI"] == "/containers/json"][-1]
    assert listing["RequestHeaders"].get("X-Custom-Header") == "kept", listing["RequestHeaders"]
    assert not {"X-Registry-Auth", "X-Registry-Config", "Authorization"} & set(listing["RequestHeaders"])
    logins = [r for r in gate.requests() if r["RequestURI"].endswith("/auth")]
    assert len(logins) == 2 and not any(r.get("RequestBody") for r in logins), logins
    assert secret not in json.dumps(gate.calls)


@pytest.mark.parametrize("method,target,status,text", [
    ("POST", "/nope", 404, "page not found"),
    ("GET", "/v1.41/nope", 404, "page not found"),
    ("GET", "/containers/abc/json/", 404, "page not found"),
    ("DELETE", "/containers/json", 404, "No such container: json"),
    ("GET", "/containers/create", 405, "method not allowed for /containers/create"),
    ("PUT", "/_ping", 405, "method not allowed for /_ping"),
])
def test_unknown_paths_and_wrong_methods(setup, method, target, status, text):
    d, gate = setup
    asked = len(gate.requests())
    got, _, payload = raw(d, method, target)
    assert (got, message(payload)) == (status, text)
    assert len(gate.requests()) == asked + (1 if target == "/containers/json" else 0)
