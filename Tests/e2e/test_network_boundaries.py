"""The boundaries dockerd keeps around bridge networks, kept by berthd: networks isolated from each other,
each network's resolver answering its own containers only, internal networks that forward no query
upstream and reach nothing outside their subnet, no way from a container to the host's loopback services
through `route_localnet`, the FORWARD policy DROP when berthd turns forwarding on (`ip-forward-no-drop`
keeps it), and `icc=false`. Everything runs on bridges of the test's daemons, on loopback and in a network
namespace a test makes; what berthd leaves on the host (forwarding, the FORWARD policy, its chains) is put
back after each test that changes it and at the end of the session (conftest's `host_network_state`)."""

from __future__ import annotations

import json
import os
import shlex
import socket
import socketserver
import subprocess
import tempfile
import threading

import pytest

from berth_host import HostNetworkState, forward_policy
from conftest import Daemon, finish, load_busybox, remove_everything, run_docker, wait_until

HTTPD = "mkdir -p /www && echo hello-$HOSTNAME >/www/index.html && httpd -f -p 80 -h /www"


@pytest.fixture(scope="module")
def engine(berthd_bin, tmp_path_factory):
    state = HostNetworkState()  # icc=false turns on bridge-nf-call-iptables for the whole host
    d = Daemon(berthd_bin, name="boundaries")
    try:
        d.start()
        load_busybox(d, str(tmp_path_factory.mktemp("img")))
        yield d
        remove_everything(d)
    finally:
        finish(d)
        state.restore()


def inspect(d: Daemon, *args) -> dict:
    return json.loads(run_docker(d, "inspect", *args).stdout)[0]


def address(d: Daemon, container: str, network: str) -> str:
    return inspect(d, container)["NetworkSettings"]["Networks"][network]["IPAddress"]


def network_info(d: Daemon, name: str) -> tuple[str, str, str]:
    """(bridge device, subnet, gateway) of a network."""
    network = json.loads(run_docker(d, "network", "inspect", name).stdout)[0]
    device = network["Options"].get("com.docker.network.bridge.name", "br-" + network["Id"][:12])
    pool = network["IPAM"]["Config"][0]
    return device, pool["Subnet"], pool["Gateway"]


def probe(d: Daemon, network: str, script: str, *run_args: str) -> subprocess.CompletedProcess:
    """Runs `script` in a throwaway container on `network`; its result, whatever the exit code."""
    return run_docker(d, "run", "--rm", "--network", network, *run_args, "busybox", "sh", "-c", script,
                      timeout=60, check=False)


def http_get(host: str, port: int = 80, wait: int = 2) -> str:
    """A busybox script: an HTTP GET over nc, giving up after `wait` s without a connection."""
    return f"printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w {wait} {host} {port}"


def reaches(d: Daemon, network: str, host: str, *run_args: str) -> bool:
    """Whether a container on `network` gets an answer from the httpd on `host`."""
    return "hello-" in probe(d, network, http_get(host), *run_args).stdout


def berth_rules() -> list[str]:
    """berthd's iptables rules (filter and nat), as `iptables -S` lists them."""
    lines = []
    for table in ("filter", "nat"):
        listing = subprocess.run(["iptables", "-w", "-t", table, "-S"], capture_output=True, text=True).stdout
        lines += [f"{table} {line}" for line in listing.splitlines() if "berth" in line]
    return lines


def read(path: str) -> str:
    with open(path) as f:
        return f.read().strip()


def write(path: str, value: str):
    with open(path, "w") as f:
        f.write(value + "\n")


@pytest.fixture(scope="module")
def two_networks(engine):
    """Networks `neta` and `netb`, each with a web server (`a1`, `b1`)."""
    for network, name in (("neta", "a1"), ("netb", "b1")):
        run_docker(engine, "network", "create", network)
        run_docker(engine, "run", "-d", "--name", name, "--hostname", name, "--network", network, "busybox", "sh", "-c", HTTPD)
    yield {"a1": address(engine, "a1", "neta"), "b1": address(engine, "b1", "netb"),
           "neta": network_info(engine, "neta"), "netb": network_info(engine, "netb")}
    run_docker(engine, "rm", "-f", "a1", "b1")
    run_docker(engine, "network", "rm", "neta", "netb")


def test_containers_on_different_networks_cannot_reach_each_other(engine, two_networks):
    a1, b1 = two_networks["a1"], two_networks["b1"]
    wait_until(lambda: reaches(engine, "neta", "a1"), 20, what="a1's web server to answer on its own network")
    assert reaches(engine, "neta", a1)
    assert not reaches(engine, "neta", b1), "a container on neta reached netb's web server"
    assert not reaches(engine, "netb", a1), "a container on netb reached neta's web server"
    assert probe(engine, "neta", f"ping -c1 -W1 {b1}").returncode != 0
    assert probe(engine, "netb", f"ping -c1 -W2 b1").returncode == 0
    # the default bridge is a network like the others
    assert not reaches(engine, "bridge", a1) and not reaches(engine, "bridge", b1)
    # a container on both networks reaches both, as with dockerd
    run_docker(engine, "create", "--name", "both", "--network", "neta", "busybox", "sh", "-c",
               f"{http_get(a1)} && {http_get(b1)}")
    run_docker(engine, "network", "connect", "netb", "both")
    run_docker(engine, "start", "both")
    assert run_docker(engine, "wait", "both").stdout.strip() == "0", run_docker(engine, "logs", "both").stdout
    assert run_docker(engine, "logs", "both").stdout.count("hello-") == 2
    run_docker(engine, "rm", "-f", "both")
    stage1 = subprocess.run(["iptables", "-w", "-S", "BERTH-ISOLATION-STAGE-1"], capture_output=True, text=True).stdout
    for device, _, _ in (two_networks["neta"], two_networks["netb"]):
        assert f"-i {device} ! -o {device}" in stage1 and "-j BERTH-ISOLATION-STAGE-2" in stage1, stage1
    forward = subprocess.run(["iptables", "-w", "-S", "FORWARD"], capture_output=True, text=True).stdout.splitlines()
    first = [line for line in forward if line.startswith("-A ")][0]
    assert first.endswith("-j BERTH-FORWARD"), forward


def test_a_resolver_answers_only_the_containers_on_its_network(engine, two_networks):
    a1, b1 = two_networks["a1"], two_networks["b1"]
    gateway_a, gateway_b = two_networks["neta"][2], two_networks["netb"][2]
    own = probe(engine, "neta", f"nslookup a1 {gateway_a}")
    assert own.returncode == 0 and a1 in own.stdout, own
    # asked on netb's resolver address, by a container that is not on netb
    foreign = probe(engine, "neta", f"nslookup b1 {gateway_b}; nslookup example.com {gateway_b}")
    assert b1 not in foreign.stdout and "REFUSED" in foreign.stdout + foreign.stderr, foreign
    assert "Name:" not in foreign.stdout, foreign
    # netb's own containers are answered there
    member = probe(engine, "netb", f"nslookup b1 {gateway_b}")
    assert member.returncode == 0 and b1 in member.stdout, member


class FakeUpstream:
    """A DNS server on 127.0.0.x:53 that writes down every name asked and answers 192.0.2.1."""

    def __init__(self):
        self.names: list[str] = []
        handler = self._handler()
        for last in range(77, 100):
            try:
                self.server = socketserver.ThreadingUDPServer((f"127.0.0.{last}", 53), handler)
                break
            except OSError:
                continue
        else:
            pytest.skip("no free loopback address for a DNS server on port 53")
        self.address = self.server.server_address[0]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _handler(self):
        upstream = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                data, sock = self.request
                labels, i = [], 12
                while i < len(data) and data[i]:
                    labels.append(data[i + 1:i + 1 + data[i]].decode("ascii", "replace"))
                    i += 1 + data[i]
                upstream.names.append(".".join(labels).lower())
                question = data[12:i + 5]
                if data[i + 1:i + 3] == b"\x00\x01":  # A
                    answers = b"\x00\x01" + b"\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04" + bytes([192, 0, 2, 1])
                else:
                    answers = b"\x00\x00"
                header = data[:2] + b"\x81\x80\x00\x01" + answers[:2] + b"\x00\x00\x00\x00"
                sock.sendto(header + question + answers[2:], self.client_address)

        return Handler

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def test_an_internal_network_resolves_its_containers_and_forwards_nothing(engine, two_networks):
    upstream = FakeUpstream()
    token = os.urandom(4).hex()
    try:
        run_docker(engine, "network", "create", "--internal", "sealed")
        run_docker(engine, "run", "-d", "--name", "s1", "--hostname", "s1", "--network", "sealed", "busybox", "sh", "-c", HTTPD)
        s1 = address(engine, "s1", "sealed")
        dns = ("--dns", upstream.address)
        # a container on a network with a way out has its query forwarded
        forwarded = probe(engine, "neta", f"nslookup out-{token}.example", *dns)
        assert forwarded.returncode == 0 and "192.0.2.1" in forwarded.stdout, forwarded
        assert f"out-{token}.example" in upstream.names, upstream.names
        # on the internal network: members resolve, nothing else leaves
        member = probe(engine, "sealed", "nslookup s1", *dns)
        assert member.returncode == 0 and s1 in member.stdout, member
        leak = probe(engine, "sealed", f"nslookup leak-{token}.example; nslookup -type=ptr 1.2.0.192.in-addr.arpa", *dns)
        assert "192.0.2.1" not in leak.stdout and "SERVFAIL" in leak.stdout + leak.stderr, leak
        assert not [name for name in upstream.names if "leak-" in name or "in-addr" in name], upstream.names
        # and the internal network is fenced: nothing crosses its bridge either way
        assert reaches(engine, "sealed", s1)
        assert not reaches(engine, "sealed", two_networks["a1"])
        assert not reaches(engine, "neta", s1)
        device, subnet, _ = network_info(engine, "sealed")
        stage1 = subprocess.run(["iptables", "-w", "-S", "BERTH-ISOLATION-STAGE-1"], capture_output=True, text=True).stdout
        assert f"! -d {subnet} -i {device}" in stage1 and f"! -s {subnet} -o {device}" in stage1, stage1
    finally:
        upstream.close()
        run_docker(engine, "rm", "-f", "s1", check=False)
        run_docker(engine, "network", "rm", "sealed", check=False)
    assert not [rule for rule in berth_rules() if f"berth:{device}" in rule], "the internal network's rules outlived it"


class SecretServer:
    """A TCP server on 127.0.0.1 that sends `secret` to whoever connects."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.sendall(b"secret\n")

    def close(self):
        self.sock.close()


def localnet_attack(engine: Daemon, network: str, gateway: str, port: int) -> subprocess.CompletedProcess:
    """CVE-2020-8558 from a privileged container: its own 127.0.0.0/8 routed out of eth0 to the gateway
    (and replies from 127.0.0.1 accepted on eth0), then a connection to the host's 127.0.0.1:port."""
    settings = [f"/proc/sys/net/ipv4/conf/{device}/{name}" for device in ("all", "eth0") for name in ("route_localnet", "accept_local")]
    script = " && ".join([
        *[f"echo 1 > {path}" for path in settings],
        "ip route del local 127.0.0.1 dev lo table local",
        "ip route del local 127.0.0.0/8 dev lo table local",
        f"ip route add 127.0.0.1/32 via {gateway} dev eth0",
        f"nc -w 3 127.0.0.1 {port} </dev/null",
    ])
    return probe(engine, network, script, "--privileged")


def test_the_hosts_loopback_is_not_reachable_through_route_localnet(engine):
    run_docker(engine, "network", "create", "local")
    device, _, gateway = network_info(engine, "local")
    secret = SecretServer()
    try:
        # a port published on 127.0.0.1 makes portmap set route_localnet on the bridge
        run_docker(engine, "run", "-d", "--name", "published", "--network", "local", "-p", "127.0.0.1::80",
                   "busybox", "sh", "-c", HTTPD)
        assert read(f"/proc/sys/net/ipv4/conf/{device}/route_localnet") == "1"
        drop = [rule for rule in berth_rules() if rule.startswith("filter -A INPUT") and f"berth:{device}" in rule]
        assert len(drop) == 1 and drop[0].endswith("-j DROP"), drop
        assert "! -s 127.0.0.0/8" in drop[0] and " -d 127.0.0.0/8" in drop[0] and f"-i {device}" in drop[0], drop
        blocked = localnet_attack(engine, "local", gateway, secret.port)
        assert "secret" not in blocked.stdout, blocked
        # without the rule the same attack gets through: the rule is what stops it
        spec = shlex.split(drop[0])[2:]
        subprocess.run(["iptables", "-w", "-D", *spec], check=True)
        try:
            opened = localnet_attack(engine, "local", gateway, secret.port)
        finally:
            subprocess.run(["iptables", "-w", "-I", *spec], check=True)
        assert "secret" in opened.stdout, opened
        # the published port on 127.0.0.1 still answers
        port = inspect(engine, "published")["NetworkSettings"]["Ports"]["80/tcp"][0]["HostPort"]
        reply = subprocess.run(["busybox", "wget", "-q", "-O", "-", f"http://127.0.0.1:{port}/"],
                               capture_output=True, text=True, timeout=20)
        assert reply.stdout == "hello-" + inspect(engine, "published")["Config"]["Hostname"] + "\n", reply
    finally:
        secret.close()
        run_docker(engine, "rm", "-f", "published", check=False)
        run_docker(engine, "network", "rm", "local", check=False)


def test_icc_false_keeps_a_networks_containers_apart(engine):
    bad = run_docker(engine, "network", "create", "-o", "com.docker.network.bridge.enable_icc=maybe", "unsure", check=False)
    assert bad.returncode != 0 and ("failed to parse com.docker.network.bridge.enable_icc value: maybe "
                                    "(strconv.ParseBool: parsing \"maybe\": invalid syntax)") in bad.stderr, bad
    run_docker(engine, "network", "create", "-o", "com.docker.network.bridge.enable_icc=false", "apart")
    try:
        run_docker(engine, "run", "-d", "--name", "c1", "--hostname", "c1", "--network", "apart", "busybox", "sh", "-c", HTTPD)
        c1 = address(engine, "c1", "apart")
        # names still resolve (the resolver is the host), the container itself does not answer
        looked_up = probe(engine, "apart", "nslookup c1")
        assert looked_up.returncode == 0 and c1 in looked_up.stdout, looked_up
        assert not reaches(engine, "apart", c1)
        assert probe(engine, "apart", f"ping -c1 -W1 {c1}").returncode != 0
        assert read("/proc/sys/net/bridge/bridge-nf-call-iptables") == "1"
        assert not reaches(engine, "bridge", c1)  # nor from another network
    finally:
        run_docker(engine, "rm", "-f", "c1", check=False)
        run_docker(engine, "network", "rm", "apart", check=False)


@pytest.fixture
def forwarding_off():
    """IP forwarding off and the FORWARD policy ACCEPT, as on a host that never forwarded; put back after."""
    state = HostNetworkState()
    write("/proc/sys/net/ipv4/ip_forward", "0")
    subprocess.run(["iptables", "-w", "-P", "FORWARD", "ACCEPT"], check=True)
    yield
    state.restore()


@pytest.fixture
def outside_host(tmp_path):
    """A network namespace behind a veth pair, standing for a host beyond the machine, serving HTTP on
    198.18.77.2:8080."""
    suffix = os.urandom(3).hex()
    namespace, host_end, far_end = f"bx{suffix}", f"vh{suffix}", f"vp{suffix}"
    (tmp_path / "index.html").write_text("outside\n")
    commands = [
        ["ip", "netns", "add", namespace],
        ["ip", "link", "add", host_end, "type", "veth", "peer", "name", far_end],
        ["ip", "link", "set", far_end, "netns", namespace],
        ["ip", "addr", "add", "198.18.77.1/30", "dev", host_end],
        ["ip", "link", "set", host_end, "up"],
        ["ip", "-n", namespace, "addr", "add", "198.18.77.2/30", "dev", far_end],
        ["ip", "-n", namespace, "link", "set", far_end, "up"],
        ["ip", "-n", namespace, "link", "set", "lo", "up"],
    ]
    server = None
    try:
        for command in commands:
            subprocess.run(command, check=True, capture_output=True)
        server = subprocess.Popen(["ip", "netns", "exec", namespace, "python3", "-m", "http.server", "8080",
                                   "--bind", "198.18.77.2", "--directory", str(tmp_path)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(lambda: subprocess.run(["busybox", "wget", "-q", "-O", "-", "http://198.18.77.2:8080/"],
                                          capture_output=True, timeout=5).returncode == 0, 20, what="the outside server")
        yield "198.18.77.2"
    finally:
        if server is not None:
            server.kill()
            server.wait(timeout=10)
        subprocess.run(["ip", "link", "delete", host_end], capture_output=True)
        subprocess.run(["ip", "netns", "delete", namespace], capture_output=True)


def test_forward_policy_drop_when_berthd_turns_forwarding_on(berthd_bin, forwarding_off, outside_host):
    d = Daemon(berthd_bin, config={"icc": False}, name="fwdrop")
    try:
        d.start()
        assert read("/proc/sys/net/ipv4/ip_forward") == "1"
        assert forward_policy() == "DROP"
        with tempfile.TemporaryDirectory() as tmp:
            load_busybox(d, tmp)
        # containers still reach what they should: a host beyond the machine, through the accepts
        out = run_docker(d, "run", "--rm", "busybox", "wget", "-q", "-O", "-", f"http://{outside_host}:8080/", timeout=60)
        assert out.stdout == "outside\n"
        # `icc: false` keeps the default bridge's containers apart
        assert json.loads(run_docker(d, "network", "inspect", "bridge").stdout)[0]["Options"][
            "com.docker.network.bridge.enable_icc"] == "false"
        run_docker(d, "run", "-d", "--name", "web", "--hostname", "web", "busybox", "sh", "-c", HTTPD)
        web = address(d, "web", "bridge")
        assert not reaches(d, "bridge", web)
        # a restart finds everything in place and adds nothing twice
        rules = sorted(berth_rules())
        d.stop()
        d.proc = None
        d.start()
        run_docker(d, "run", "--rm", "busybox", "true")
        assert sorted(berth_rules()) == rules
        assert forward_policy() == "DROP"
    finally:
        finish(d)


def test_ip_forward_no_drop_keeps_the_forward_policy(berthd_bin, forwarding_off):
    d = Daemon(berthd_bin, ["--ip-forward-no-drop"], name="fwkeep")
    try:
        d.start()
        assert read("/proc/sys/net/ipv4/ip_forward") == "1"
        assert forward_policy() == "ACCEPT"
    finally:
        finish(d)
    # forwarding that was on already is left alone, and so is the policy
    d = Daemon(berthd_bin, name="fwon")
    try:
        d.start()
        assert forward_policy() == "ACCEPT"
    finally:
        finish(d)
