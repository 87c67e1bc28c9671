"""The API's listeners as dockerd offers them, and what one client may hold of the server: TLS with client
certificates (made here with the openssl CLI), the refusal of an unauthenticated listener other hosts can
reach, the unix socket's group, the head and idle timeouts, the connection cap, a HEAD of an export that
stages nothing, `logs -f` and build clients that never read, and an early answer to a large upload."""
from __future__ import annotations

import grp
import json
import os
import socket
import ssl
import stat
import subprocess
import time

import pytest

from conftest import Daemon, docker_cli, finish, run_docker, wait_until
from image_fixtures import busybox_layer, docker_archive
from test_build import context_tar


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def openssl(*args: str, cwd: str):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def make_certificate(directory: str, name: str, ca: str, usage: str, san: str = ""):
    """`<name>-key.pem` and `<name>-cert.pem`, signed by the CA `<ca>.pem`/`<ca>-key.pem`."""
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", f"{name}-key.pem",
            "-out", f"{name}.csr", "-subj", f"/CN={name}", cwd=directory)
    with open(os.path.join(directory, f"{name}.ext"), "w") as f:
        f.write(f"extendedKeyUsage={usage}\n" + (f"subjectAltName={san}\n" if san else ""))
    openssl("x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.pem", "-CAkey", f"{ca}-key.pem", "-CAcreateserial",
            "-out", f"{name}-cert.pem", "-days", "2", "-extfile", f"{name}.ext", cwd=directory)


def make_ca(directory: str, name: str):
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", f"{name}-key.pem",
            "-out", f"{name}.pem", "-days", "2", "-subj", f"/CN={name}", cwd=directory)


@pytest.fixture(scope="module")
def certs(tmp_path_factory) -> str:
    """A CA, a server certificate for 127.0.0.1, a client certificate, and a client certificate of another CA."""
    directory = str(tmp_path_factory.mktemp("tls"))
    make_ca(directory, "ca")
    make_ca(directory, "rogue-ca")
    make_certificate(directory, "server", "ca", "serverAuth", "IP:127.0.0.1,DNS:localhost")
    make_certificate(directory, "client", "ca", "clientAuth")
    make_certificate(directory, "rogue", "rogue-ca", "clientAuth")
    return directory


@pytest.fixture(scope="module")
def tls_daemon(berthd_bin, certs):
    port = free_port()
    d = Daemon(berthd_bin, ["-H", f"tcp://127.0.0.1:{port}", "--tlsverify", "--tlscacert", f"{certs}/ca.pem",
                            "--tlscert", f"{certs}/server-cert.pem", "--tlskey", f"{certs}/server-key.pem"], name="tls")
    d.port = port
    d.start()
    yield d
    finish(d)


def tcp_docker(d: Daemon, *args: str) -> subprocess.CompletedProcess:
    env = d.docker_env()
    env.pop("DOCKER_HOST", None)
    return subprocess.run([docker_cli(), "-H", f"tcp://127.0.0.1:{d.port}", *args], env=env, capture_output=True, text=True,
                          timeout=60, stdin=subprocess.DEVNULL)


def test_docker_cli_with_a_client_certificate_is_served(tls_daemon, certs):
    cp = tcp_docker(tls_daemon, "--tlsverify", "--tlscacert", f"{certs}/ca.pem", "--tlscert", f"{certs}/client-cert.pem",
                    "--tlskey", f"{certs}/client-key.pem", "version", "--format", "{{.Server.APIVersion}}")
    assert cp.returncode == 0, cp
    assert cp.stdout.strip(), cp


def test_attach_with_stdin_works_over_tls(tls_daemon, certs, tmp_path):
    """The hijacked attach stream over TLS, with the CLI's half-close at the end of stdin."""
    tls = ("--tlsverify", "--tlscacert", f"{certs}/ca.pem", "--tlscert", f"{certs}/client-cert.pem",
           "--tlskey", f"{certs}/client-key.pem")
    path = str(tmp_path / "busybox.tar")
    docker_archive(path, [busybox_layer()], ["busybox:latest"], cmd=("sh",))
    loaded = tcp_docker(tls_daemon, *tls, "load", "-i", path)
    assert loaded.returncode == 0, loaded
    env = tls_daemon.docker_env()
    env.pop("DOCKER_HOST", None)
    cp = subprocess.run([docker_cli(), "-H", f"tcp://127.0.0.1:{tls_daemon.port}", *tls, "run", "-i", "--rm", "--network", "none",
                         "busybox", "sh", "-c", "cat; echo done"], env=env, input="over tls\n", capture_output=True, text=True,
                        timeout=60)
    assert cp.returncode == 0, cp
    assert cp.stdout == "over tls\ndone\n", cp


def test_clients_without_a_certificate_of_the_ca_are_refused(tls_daemon, certs):
    no_cert = tcp_docker(tls_daemon, "--tlsverify", "--tlscacert", f"{certs}/ca.pem", "version")
    assert no_cert.returncode != 0, no_cert
    assert "Server:" not in no_cert.stdout, no_cert
    rogue = tcp_docker(tls_daemon, "--tlsverify", "--tlscacert", f"{certs}/ca.pem", "--tlscert", f"{certs}/rogue-cert.pem",
                       "--tlskey", f"{certs}/rogue-key.pem", "version")
    assert rogue.returncode != 0, rogue
    assert "Server:" not in rogue.stdout, rogue

    # Python's TLS client, without a certificate: the handshake (or the first read) fails.
    context = ssl.create_default_context(cafile=f"{certs}/ca.pem")
    with pytest.raises((ssl.SSLError, ConnectionError)):
        with socket.create_connection(("127.0.0.1", tls_daemon.port), timeout=10) as raw:
            with context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
                tls.sendall(b"GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n")
                if not tls.recv(1024):
                    raise ConnectionError("closed")


def test_plain_http_to_the_tls_port_is_answered_as_go_does(tls_daemon):
    with socket.create_connection(("127.0.0.1", tls_daemon.port), timeout=10) as s:
        s.sendall(b"GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n")
        answer = recv_all(s)
    assert answer.startswith(b"HTTP/1.0 400 Bad Request"), answer
    assert b"Client sent an HTTP request to an HTTPS server." in answer, answer


def test_the_unix_socket_stays_plain_beside_a_tls_listener(tls_daemon):
    assert tls_daemon.get("/_ping").status == 200


def recv_all(s: socket.socket) -> bytes:
    data = b""
    while chunk := s.recv(65536):
        data += chunk
    return data


def test_an_unauthenticated_listener_other_hosts_reach_is_refused_at_start(berthd_bin, make_daemon):
    refused = subprocess.run([berthd_bin, "--validate", "-H", "tcp://0.0.0.0:2375"], capture_output=True, text=True, timeout=30)
    assert refused.returncode == 1, refused
    assert "refusing to listen on tcp://0.0.0.0:2375 without TLS client verification" in refused.stderr, refused
    assert "--tls=false" in refused.stderr, refused
    for opt_out in (["--tls=false"], ["--tlsverify=false"]):
        cp = subprocess.run([berthd_bin, "--validate", "-H", "tcp://0.0.0.0:2375", *opt_out], capture_output=True, text=True,
                            timeout=30)
        assert cp.returncode == 0 and "configuration OK" in cp.stdout, (opt_out, cp)
    # Loopback needs no opt-out (dockerd's rule), and a running daemon refuses the same at start.
    assert subprocess.run([berthd_bin, "--validate", "-H", "tcp://127.0.0.1:2375"], capture_output=True, timeout=30).returncode == 0
    d = make_daemon(["-H", "tcp://10.255.255.1:2375"], start=False)
    d.start(wait=False)
    assert d.wait_exit(30) == 1
    assert "refusing to listen on tcp://10.255.255.1:2375" in d.log_tail(), d.log_tail()


def test_missing_certificates_fail_the_start_naming_the_file(make_daemon, certs):
    d = make_daemon(["-H", f"tcp://127.0.0.1:{free_port()}", "--tlsverify", "--tlscacert", "/nonexistent/ca.pem",
                     "--tlscert", f"{certs}/server-cert.pem", "--tlskey", f"{certs}/server-key.pem"], start=False)
    d.start(wait=False)
    assert d.wait_exit(30) == 1
    assert 'could not read CA certificate "/nonexistent/ca.pem"' in d.log_tail(), d.log_tail()


def test_the_group_flag_sets_the_sockets_group(make_daemon):
    group = grp.getgrnam("daemon")
    d = make_daemon(["-G", "daemon"])
    info = os.stat(d.sock)
    assert info.st_gid == group.gr_gid
    assert stat.S_IMODE(info.st_mode) == 0o660
    assert info.st_uid == 0

    missing = make_daemon(["-G", "no-such-group-here"], start=False)
    missing.start(wait=False)
    assert missing.wait_exit(30) == 1
    assert "group no-such-group-here not found" in missing.log_tail(), missing.log_tail()


@pytest.fixture(scope="module")
def limited(berthd_bin):
    d = Daemon(berthd_bin, ["--api-read-header-timeout", "1", "--api-idle-timeout", "2", "--api-max-connections", "6"],
               name="limited")
    d.start()
    yield d
    finish(d)


def connect(d: Daemon) -> socket.socket:
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(30)
    s.connect(d.sock)
    return s


def test_half_a_header_is_disconnected_after_the_timeout(limited):
    with connect(limited) as s:
        s.sendall(b"GET /_ping HTTP/1.1\r\nHost: x\r\n")
        assert s.recv(1024) == b""  # closed without an answer, as Go does


def test_an_idle_keep_alive_connection_is_closed(limited):
    with connect(limited) as s:
        s.sendall(b"GET /version HTTP/1.1\r\nHost: x\r\n\r\n")
        first = s.recv(65536)
        assert first.startswith(b"HTTP/1.1 200"), first
        rest = recv_all(s)  # ends when the idle timeout closes the connection
        assert b"HTTP/1.1" not in rest


def test_long_requests_outlive_the_timeouts(limited):
    with limited.open_events(filters={"type": ["daemon"], "event": ["reload"]}) as stream:
        time.sleep(3)  # longer than both timeouts
        limited.signal(1)  # SIGHUP: a daemon reload event
        assert stream.next_matching(lambda e: e.get("Action") == "reload", 20) is not None


def test_connections_beyond_the_cap_are_refused_and_the_others_go_on(limited):
    held = []
    try:
        # The cap is 6; connections of earlier tests may still be closing.
        def fill():
            while len(held) < 6:
                s = connect(limited)
                s.sendall(b"GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n")
                answer = s.recv(65536)
                if answer.startswith(b"HTTP/1.1 503"):
                    s.close()
                    return False
                held.append(s)
            return True
        wait_until(fill, timeout=20, what="six connections admitted")
        with connect(limited) as extra:
            answer = recv_all(extra)
        assert answer.startswith(b"HTTP/1.1 503"), answer
        assert b"too many open connections" in answer
        # An admitted connection is still served (before its idle timeout).
        held[0].sendall(b"GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n")
        assert held[0].recv(65536).startswith(b"HTTP/1.1 200")
    finally:
        for s in held:
            s.close()
    wait_until(lambda: limited.get("/_ping").status == 200, timeout=20, what="a connection admitted again")


@pytest.fixture(scope="module")
def engine(berthd_bin, tmp_path_factory):
    d = Daemon(berthd_bin, [], name="limits-engine")
    d.start()
    path = str(tmp_path_factory.mktemp("img") / "busybox.tar")
    docker_archive(path, [busybox_layer()], ["busybox:latest"], cmd=("sh",))
    run_docker(d, "load", "-i", path, timeout=120)
    yield d
    run_docker(d, "rm", "-f", *[c["Id"] for c in d.get_json("/containers/json?all=1")], check=False, timeout=60)
    finish(d)


def staged(d: Daemon) -> list[str]:
    directory = os.path.join(d.data_root, "tmp")
    return sorted(os.listdir(directory)) if os.path.isdir(directory) else []


def test_head_of_an_export_stages_nothing(engine):
    cid = run_docker(engine, "create", "--network", "none", "busybox", "true").stdout.strip()
    before = staged(engine)
    head = engine.head(f"/containers/{cid}/export")
    assert head.status == 200, head
    assert head.header("Content-Type") == "application/x-tar"
    assert staged(engine) == before
    assert engine.head("/containers/no-such-container/export").status == 404
    assert engine.head("/images/busybox/get").status == 200
    assert staged(engine) == before


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_a_logs_follower_that_never_reads_does_not_grow_the_daemon(engine):
    cid = run_docker(engine, "run", "-d", "--network", "none", "busybox", "sh", "-c",
                     "sleep 2; head -c 200000000 /dev/zero | tr '\\0' x; sleep 600").stdout.strip()
    with connect(engine) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.sendall(f"GET /containers/{cid}/logs?follow=1&stdout=1 HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        log = os.path.join(engine.data_root, "containers", cid)

        def logged() -> int:
            return sum(os.path.getsize(os.path.join(root, f)) for root, _, files in os.walk(log) for f in files
                       if f.endswith(".log") or ".log." in f)
        wait_until(lambda: logged() > 200_000_000, timeout=300, interval=1, what="200 MB logged")
        rss = rss_kib(engine.pid)
    run_docker(engine, "rm", "-f", cid, timeout=60)
    assert rss < 150 * 1024, f"berthd's RSS is {rss} KiB after a non-reading follower of a 200 MB log"


def test_a_build_client_that_never_reads_does_not_grow_the_daemon(engine):
    """The build's output waits for its client (it is not piled up in berthd), and none of it is lost."""
    context = context_tar({"Dockerfile": "FROM busybox\nRUN head -c 200000000 /dev/zero | tr '\\0' x\n"})
    with connect(engine) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.sendall(b"POST /build?rm=1&forcerm=1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-tar\r\n"
                  + f"Content-Length: {len(context)}\r\n\r\n".encode() + context)

        def building() -> bool:
            return any(c["State"] == "running" for c in engine.get_json("/containers/json"))
        wait_until(building, timeout=60, what="the RUN step's container running")
        time.sleep(15)  # the old relay had all 200 MB in memory well before this
        rss = rss_kib(engine.pid)
        assert rss < 150 * 1024, f"berthd's RSS is {rss} KiB behind a build client that does not read"
        # Read now: every byte of the step's output arrives, then the build's end.
        s.settimeout(120)
        f = s.makefile("rb")
        assert f.readline().startswith(b"HTTP/1.1 200")
        while f.readline() not in (b"\r\n", b""):
            pass
        printed, tail = 0, b""
        while True:
            size = f.readline().strip()
            if not size or int(size, 16) == 0:
                break
            chunk = f.read(int(size, 16))
            f.readline()
            data = tail + chunk
            lines = data.split(b"\r\n")
            tail = lines.pop()
            for line in lines:
                stream = json.loads(line).get("stream", "")
                printed += stream.count("x")
                assert "errorDetail" not in line.decode()
        assert printed >= 200_000_000, printed
    assert not building()


def test_an_early_answer_to_a_large_upload_is_read_not_reset(engine):
    """A 413 answered before a 65 MiB body is read reaches a client that sends it all before reading."""
    size = (64 << 20) + (1 << 20)
    with connect(engine) as s:
        s.sendall(f"POST /containers/create HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  f"Content-Length: {size}\r\n\r\n".encode())
        block = b" " * (1 << 20)
        for _ in range(size >> 20):
            s.sendall(block)
        answer = recv_all(s)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert answer.endswith(b'{"message":"request body too large"}\n'), answer[-200:]
