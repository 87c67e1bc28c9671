"""Networks through the real docker CLI and docker-py: the default bridge, user networks with name
resolution, published ports, connect/disconnect at runtime, internal networks, Docker's errors, events,
and no leaked namespaces, addresses or rules across many runs and across a kill -9 of berthd. Traffic
stays on loopback and on bridges of the daemon's own (each test daemon has its own default bridge)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.request

import pytest

from conftest import Daemon, finish, load_busybox, remove_everything, run_docker, wait_until

HTTPD = "mkdir -p /www && echo hello-$HOSTNAME >/www/index.html && httpd -f -p 80 -h /www"



@pytest.fixture(scope="module")
def engine(berthd_bin, tmp_path_factory):
    d = Daemon(berthd_bin, name="network")
    d.start()
    load_busybox(d, str(tmp_path_factory.mktemp("img")))
    yield d
    remove_everything(d)
    finish(d)


def inspect(d: Daemon, *args) -> dict:
    return json.loads(run_docker(d, "inspect", *args).stdout)[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(port: int, host: str = "127.0.0.1", timeout: float = 10) -> str:
    """The body served on host:port, retried while the server starts."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"http://{host}:{port}/", timeout=2) as r:
                return r.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def port_is_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("0.0.0.0", port))
            return True
        except OSError:
            return False


def iptables_rules() -> str:
    return subprocess.run(["iptables-save"], capture_output=True, text=True).stdout


def namespaces(d: Daemon) -> list[str]:
    directory = os.path.join(d.exec_root, "netns")
    return os.listdir(directory) if os.path.isdir(directory) else []


def veths_on(bridge: str) -> list[str]:
    out = subprocess.run(["ip", "-o", "link", "show", "master", bridge], capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if line.strip()]


def test_default_bridge_gives_an_address_and_a_route(engine):
    bridge = json.loads(run_docker(engine, "network", "inspect", "bridge").stdout)[0]
    subnet = bridge["IPAM"]["Config"][0]["Subnet"]
    gateway = bridge["IPAM"]["Config"][0]["Gateway"]
    assert bridge["Options"]["com.docker.network.bridge.name"] == engine.bridge
    out = run_docker(engine, "run", "--rm", "busybox", "sh", "-c", "ip -4 addr show eth0; ip route").stdout
    assert "inet " + subnet.split(".")[0] + "." in out, out
    assert f"default via {gateway}" in out, out
    resolv = run_docker(engine, "run", "--rm", "busybox", "cat", "/etc/resolv.conf").stdout
    assert "nameserver" in resolv and "127.0.0.11" not in resolv, resolv


def test_user_network_resolves_names_aliases_and_short_ids(engine):
    run_docker(engine, "network", "create", "--label", "team=a", "names")
    cid = run_docker(engine, "run", "-d", "--name", "alpha-box", "--network", "names", "--network-alias", "alpha",
                     "busybox", "sleep", "300").stdout.strip()
    script = f"ping -c1 -W2 alpha-box && ping -c1 -W2 alpha && ping -c1 -W2 {cid[:12]} && nslookup alpha"
    run_docker(engine, "run", "--rm", "--network", "names", "busybox", "sh", "-c", script)
    endpoint = inspect(engine, "alpha-box")["NetworkSettings"]["Networks"]["names"]
    assert endpoint["IPAddress"] and endpoint["Gateway"] and "alpha" in endpoint["Aliases"], endpoint
    assert set(endpoint["DNSNames"]) >= {"alpha-box", "alpha", cid[:12]}, endpoint
    network = json.loads(run_docker(engine, "network", "inspect", "names").stdout)[0]
    assert network["Containers"][cid]["Name"] == "alpha-box", network
    assert network["Containers"][cid]["IPv4Address"].startswith(endpoint["IPAddress"] + "/"), network
    assert network["Labels"] == {"team": "a"}
    resolv = run_docker(engine, "exec", "alpha-box", "cat", "/etc/resolv.conf").stdout
    assert f"nameserver {endpoint['Gateway']}" in resolv and "ndots:0" in resolv, resolv
    run_docker(engine, "rm", "-f", "alpha-box")
    run_docker(engine, "network", "rm", "names")


def test_published_ports_answer_on_loopback_and_are_released(engine):
    port = free_port()
    run_docker(engine, "run", "-d", "--name", "web", "--hostname", "web", "-p", f"127.0.0.1:{port}:80",
               "-P", "--expose", "8080", "busybox", "sh", "-c", HTTPD)
    assert fetch(port) == "hello-web\n"
    mapping = run_docker(engine, "port", "web").stdout
    assert f"80/tcp -> 127.0.0.1:{port}" in mapping, mapping
    ephemeral = [line for line in mapping.splitlines() if line.startswith("8080/tcp")]
    assert ephemeral and int(ephemeral[0].rsplit(":", 1)[1]) > 0, mapping
    ps = run_docker(engine, "ps", "--filter", "name=web", "--format", "{{.Ports}}").stdout
    assert f"127.0.0.1:{port}->80/tcp" in ps, ps
    ports = inspect(engine, "web")["NetworkSettings"]["Ports"]
    assert ports["80/tcp"] == [{"HostIp": "127.0.0.1", "HostPort": str(port)}], ports
    taken = run_docker(engine, "run", "-d", "--name", "web2", "-p", f"127.0.0.1:{port}:80", "busybox", "true", check=False)
    assert taken.returncode != 0 and "port is already allocated" in taken.stderr, taken
    assert inspect(engine, "web2")["NetworkSettings"]["Networks"]["bridge"]["IPAddress"] == ""
    run_docker(engine, "stop", "-t", "1", "web")
    assert port_is_free(port), "a stopped container still holds its host port"
    assert inspect(engine, "web")["NetworkSettings"]["Ports"] == {}
    run_docker(engine, "rm", "-f", "web", "web2")


def test_connect_and_disconnect_a_running_container(engine):
    run_docker(engine, "network", "create", "--subnet", "10.231.7.0/24", "--ip-range", "10.231.7.128/25", "side")
    run_docker(engine, "run", "-d", "--name", "joiner", "busybox", "sleep", "300")
    run_docker(engine, "network", "connect", "--alias", "j2", "--ip", "10.231.7.9", "side", "joiner")
    addresses = run_docker(engine, "exec", "joiner", "ip", "-4", "-o", "addr").stdout
    assert "eth1" in addresses and "10.231.7.9/24" in addresses, addresses
    run_docker(engine, "run", "--rm", "--network", "side", "busybox", "sh", "-c",
               "ip -4 -o addr show eth0 | grep -q 'inet 10.231.7.1[2-9][0-9]/' && ping -c1 -W2 j2")
    networks = inspect(engine, "joiner")["NetworkSettings"]["Networks"]
    assert networks["side"]["IPAddress"] == "10.231.7.9" and networks["side"]["IPAMConfig"]["IPv4Address"] == "10.231.7.9"
    run_docker(engine, "network", "disconnect", "side", "joiner")
    assert "eth1" not in run_docker(engine, "exec", "joiner", "ip", "-o", "link").stdout
    assert "side" not in inspect(engine, "joiner")["NetworkSettings"]["Networks"]
    # connected while stopped: joins at the next start
    run_docker(engine, "stop", "-t", "1", "joiner")
    run_docker(engine, "network", "connect", "side", "joiner")
    run_docker(engine, "start", "joiner")
    assert "10.231.7." in run_docker(engine, "exec", "joiner", "ip", "-4", "-o", "addr", "show", "eth1").stdout
    run_docker(engine, "rm", "-f", "joiner")
    run_docker(engine, "network", "rm", "side")


def test_internal_network_has_no_way_out(engine):
    run_docker(engine, "network", "create", "--internal", "closed")
    out = run_docker(engine, "run", "--rm", "--network", "closed", "busybox", "ip", "route").stdout
    assert "default" not in out and "dev eth0" in out, out
    assert json.loads(run_docker(engine, "network", "inspect", "closed").stdout)[0]["Internal"] is True
    run_docker(engine, "network", "rm", "closed")


def test_dns_options_and_hosts_entries(engine):
    out = run_docker(engine, "run", "--rm", "--hostname", "box", "--dns", "192.0.2.53", "--dns-search", "example.test",
                     "--dns-option", "timeout:1", "--add-host", "db:192.0.2.7", "--add-host", "gw:host-gateway",
                     "busybox", "sh", "-c", "cat /etc/resolv.conf /etc/hosts /etc/hostname").stdout
    gateway = json.loads(run_docker(engine, "network", "inspect", "bridge").stdout)[0]["IPAM"]["Config"][0]["Gateway"]
    assert "nameserver 192.0.2.53" in out and "search example.test" in out and "options timeout:1" in out, out
    assert "192.0.2.7\tdb" in out and f"{gateway}\tgw" in out, out
    assert "\tbox\n" in out and out.rstrip().endswith("box"), out


def test_network_errors(engine):
    run_docker(engine, "network", "create", "--subnet", "10.232.0.0/16", "taken")
    cases = [
        (["network", "create", "--subnet", "10.232.5.0/24", "overlap"], "overlaps"),
        (["network", "create", "taken"], "already exists"),
        (["network", "rm", "bridge"], "pre-defined"),
        (["network", "create", "-d", "nosuchdriver", "x1"], "not found"),
        (["run", "--rm", "--network", "nosuchnet", "busybox", "true"], "not found"),
        (["network", "inspect", "nosuchnet"], "not found"),
    ]
    for args, message in cases:
        cp = run_docker(engine, *args, check=False)
        assert cp.returncode != 0 and message in cp.stderr, (args, cp.stderr)
    r = engine.post("/networks/create", body={"Name": "badgw", "IPAM": {"Config": [{"Subnet": "10.233.0.0/24", "Gateway": "10.234.0.1"}]}})
    assert r.status == 400 and "gateway" in json.loads(r.body)["message"], r.text
    r = engine.post("/containers/create", body={"Image": "busybox", "Cmd": ["true"],
                                                "NetworkingConfig": {"EndpointsConfig": {"bridge": {"Aliases": ["a"]}}}})
    assert r.status == 400 and "user defined networks" in r.text, r.text
    r = engine.post("/networks/create", body={"Name": "taken"})
    assert r.status == 409, r.text
    run_docker(engine, "run", "-d", "--name", "user", "--network", "taken", "busybox", "sleep", "300")
    r = engine.delete("/networks/taken")
    assert r.status == 409 and "active endpoints" in r.text, r.text
    run_docker(engine, "run", "-d", "--name", "alone", "--network", "none", "busybox", "sleep", "300")
    cp = run_docker(engine, "network", "connect", "taken", "alone", check=False)
    assert cp.returncode != 0 and "cannot be connected" in cp.stderr, cp.stderr
    names = [n["Name"] for n in engine.get_json("/networks")]
    assert "overlap" not in names and "badgw" not in names and "x1" not in names
    run_docker(engine, "rm", "-f", "user", "alone")
    run_docker(engine, "network", "rm", "taken")


def test_list_filters_prune_and_events(engine):
    since = int(time.time())
    run_docker(engine, "network", "create", "--label", "keep=yes", "kept")
    run_docker(engine, "network", "create", "--label", "scratch", "dropped")
    run_docker(engine, "run", "-d", "--name", "holder", "--network", "dropped", "busybox", "sleep", "300")

    def names(*filters):
        args = [a for f in filters for a in ("--filter", f)]
        return sorted(run_docker(engine, "network", "ls", *args, "--format", "{{.Name}}").stdout.split())

    assert names("type=custom") == ["dropped", "kept"]
    assert names("type=builtin") == ["bridge", "host", "none"]
    assert names("label=keep=yes") == ["kept"]
    assert names("driver=null") == ["none"]
    assert names("name=drop") == ["dropped"]
    assert names("dangling=true") == ["kept"]
    kept_id = json.loads(run_docker(engine, "network", "inspect", "kept").stdout)[0]["Id"]
    assert names(f"id={kept_id[:6]}") == ["kept"]
    pruned = run_docker(engine, "network", "prune", "-f", "--filter", "label!=keep").stdout
    assert "kept" not in pruned and "dropped" not in pruned, pruned  # dropped is in use
    run_docker(engine, "rm", "-f", "holder")
    run_docker(engine, "network", "prune", "-f", "--filter", "label=scratch")
    assert names("type=custom") == ["kept"]
    run_docker(engine, "network", "rm", "kept")
    until = int(time.time()) + 1
    time.sleep(1.1)
    out = run_docker(engine, "events", "--since", str(since), "--until", str(until), "--filter", "type=network",
                     "--format", "{{.Action}} {{.Actor.Attributes.name}}").stdout.splitlines()
    for expected in ["create kept", "create dropped", "connect dropped", "disconnect dropped", "destroy dropped", "destroy kept"]:
        assert expected in out, out


def test_dockerpy_networks(engine):
    docker = pytest.importorskip("docker")
    client = docker.DockerClient(base_url=f"unix://{engine.sock}")
    network = client.networks.create("pynet", driver="bridge", labels={"via": "py"})
    container = client.containers.run("busybox", "sleep 300", detach=True, name="pybox", network="pynet")
    network.reload()
    assert [c.name for c in network.containers] == ["pybox"]
    other = client.networks.create("pynet2")
    other.connect(container, aliases=["pyalias"])
    container.reload()
    assert set(container.attrs["NetworkSettings"]["Networks"]) == {"pynet", "pynet2"}
    other.disconnect(container)
    container.remove(force=True)
    assert {n.name for n in client.networks.list(filters={"label": "via=py"})} == {"pynet"}
    network.remove()
    other.remove()


def test_many_runs_leak_nothing(engine):
    before = iptables_rules()
    ids = []
    for _ in range(50):
        cp = run_docker(engine, "run", "-d", "-p", "127.0.0.1::80", "busybox", "true")
        ids.append(cp.stdout.strip())
    for cid in ids:
        wait_until(lambda: not inspect(engine, cid)["State"]["Running"], 20, what="the container to exit")
    wait_until(lambda: not set(namespaces(engine)) & set(ids), 20, what="the sandboxes to be torn down")
    rules = iptables_rules()
    leaked = [cid[:12] for cid in ids if cid in rules]
    assert not leaked, f"rules left for {leaked}"
    assert len(rules.splitlines()) <= len(before.splitlines()) + 2
    assert veths_on(engine.bridge) == []
    assert json.loads(run_docker(engine, "network", "inspect", "bridge").stdout)[0]["Containers"] == {}
    run_docker(engine, "rm", *ids, timeout=120)


def test_networks_and_addresses_survive_kill_9(berthd_bin, tmp_path):
    d = Daemon(berthd_bin, name="netrestart")
    d.start()
    try:
        load_busybox(d, str(tmp_path))
        port = free_port()
        run_docker(d, "network", "create", "lasting")
        run_docker(d, "run", "-d", "--name", "steady", "--hostname", "steady", "--network", "lasting",
                   "-p", f"127.0.0.1:{port}:80", "busybox", "sh", "-c", HTTPD)
        run_docker(d, "run", "-d", "--name", "brief", "--network", "lasting", "busybox", "sleep", "300")
        address = inspect(d, "steady")["NetworkSettings"]["Networks"]["lasting"]["IPAddress"]
        brief_pid = inspect(d, "brief")["State"]["Pid"]
        assert fetch(port) == "hello-steady\n"
        d.kill()
        d.proc = None
        os.kill(brief_pid, 9)  # its container stops while berthd is down: its sandbox must be released
        d.start()
        assert inspect(d, "steady")["NetworkSettings"]["Networks"]["lasting"]["IPAddress"] == address
        assert fetch(port) == "hello-steady\n"
        wait_until(lambda: not inspect(d, "brief")["State"]["Running"], 20, what="the killed container to be seen exited")
        members = json.loads(run_docker(d, "network", "inspect", "lasting").stdout)[0]["Containers"]
        assert [m["Name"] for m in members.values()] == ["steady"], members
        run_docker(d, "run", "--rm", "--network", "lasting", "busybox", "sh", "-c", f"wget -q -O - http://steady/ | grep -q hello")
        taken = run_docker(d, "run", "--rm", "-p", f"127.0.0.1:{port}:80", "busybox", "true", check=False)
        assert "port is already allocated" in taken.stderr, taken.stderr
        steady_id = inspect(d, "steady")["Id"]
        # the --rm runs' sandboxes are torn down in the background
        wait_until(lambda: namespaces(d) == [steady_id], 20, what="only steady's namespace to remain")
        run_docker(d, "rm", "-f", "steady", "brief")
        assert port_is_free(port)
        wait_until(lambda: namespaces(d) == [], 10, what="the namespaces to be torn down")
        run_docker(d, "network", "rm", "lasting")
    finally:
        finish(d)
