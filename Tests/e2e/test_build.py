"""`POST /build` (Docker's legacy builder) through the real docker CLI (with `DOCKER_BUILDKIT=0` and
without it: no buildx plugin, so the CLI falls back to the legacy builder), docker-py's `images.build`,
Debian's docker-compose 1.29 and raw requests: the JSON stream, Docker's error texts, the build cache
(also across a restart), multi-stage builds, ONBUILD, `.dockerignore`, ADD of archives and of URLs (served
from 127.0.0.1 by the test), the image configuration instructions, history, prune and cancel, and a
client that goes away in the middle of a RUN. Every image is built on the suite's busybox: no internet."""

from __future__ import annotations

import gzip
import http.server
import io
import json
import os
import re
import shutil
import socket
import subprocess
import tarfile
import threading
import time
from pathlib import Path

import pytest

from conftest import Daemon, docker_cli, load_busybox, query, remove_everything, run_docker, wait_until

BUILD_TIMEOUT = 60.0


@pytest.fixture(scope="module")
def builder(daemon, tmp_path_factory):
    """The module's daemon with busybox loaded."""
    load_busybox(daemon, str(tmp_path_factory.mktemp("img")))
    yield daemon
    remove_everything(daemon)


@pytest.fixture(scope="module")
def client(builder):
    docker = pytest.importorskip("docker")
    c = docker.DockerClient(base_url=f"unix://{builder.sock}", timeout=BUILD_TIMEOUT)
    yield c
    c.close()


# --------------------------------------------------------------------------- helpers

def _data(content) -> bytes:
    return content.encode() if isinstance(content, str) else content


def context_tar(files: dict) -> bytes:
    """An uncompressed build context holding `files` (relative path -> str or bytes)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for name, content in sorted(files.items()):
            data = _data(content)
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o644
            info.mtime = 1_700_000_000
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def write_tree(root: Path, files: dict) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_data(content))
    return root


def api_build(d: Daemon, files, timeout: float = BUILD_TIMEOUT, **params):
    """POST /build with a context (a dict of files, or tar bytes); the response and its JSON messages."""
    body = files if isinstance(files, bytes) else context_tar(files)
    r = d.post(query("/build", **params), body=body, headers={"Content-Type": "application/x-tar"},
               timeout=timeout)
    messages = [json.loads(line) for line in r.text.splitlines() if line.strip()] if r.status == 200 else []
    return r, messages


def stream_text(messages: list[dict]) -> str:
    return "".join(m.get("stream", "") for m in messages)


def aux_ids(messages: list[dict]) -> list[str]:
    """The `{"aux":{"ID":...}}` messages: one per stage built, the last one the image's."""
    return [m["aux"]["ID"] for m in messages if isinstance(m.get("aux"), dict) and "ID" in m["aux"]]


def build_ok(d: Daemon, files, **params) -> tuple[str, str]:
    """A build that must succeed: (image ID from the last aux message, the stream text)."""
    r, messages = api_build(d, files, **params)
    assert r.status == 200, f"{r!r}\n--- log ---\n{d.log_tail()}"
    errors = [m for m in messages if "error" in m or "errorDetail" in m]
    assert not errors, f"build failed: {errors}\n{stream_text(messages)}\n--- log ---\n{d.log_tail()}"
    ids = aux_ids(messages)
    assert ids and ids[-1].startswith("sha256:"), messages
    return ids[-1], stream_text(messages)


def build_error(messages: list[dict]) -> str:
    """The error that ended a stream (it must be the last message)."""
    assert messages and "error" in messages[-1], f"no error at the end of {messages}"
    assert messages[-1]["errorDetail"]["message"] == messages[-1]["error"], messages[-1]
    return messages[-1]["error"]


def steps(stream: str) -> list[str]:
    """The stream cut at its `Step N/M : ...` lines, one piece per instruction."""
    parts = re.split(r"(?m)^(?=Step \d+/\d+ : )", stream)
    return [p for p in parts if p.startswith("Step ")]


def run_output(step: str) -> str:
    """What the container of one RUN step printed (docker-py builds with rm=False: no `Removing` line)."""
    m = re.search(r"^ ---> Running in ([0-9a-f]{12})\n(.*?)^(?:Removing intermediate container \1\n)?"
                  r"(?: ---> [0-9a-f]{12}\n|\Z)", step, re.M | re.S)
    assert m, step
    return m.group(2)


def cached(stream: str) -> list[bool]:
    """Per instruction after FROM: was it answered from the cache?"""
    return [" ---> Using cache\n" in s for s in steps(stream)[1:]]


def docker_build(d: Daemon, context: Path, *args, buildkit: str | None = "0", check: bool = True,
                 timeout: float = BUILD_TIMEOUT) -> subprocess.CompletedProcess:
    """`docker build` with DOCKER_BUILDKIT set to `buildkit` (None: unset)."""
    env = d.docker_env()
    env.pop("DOCKER_BUILDKIT", None)
    if buildkit is not None:
        env["DOCKER_BUILDKIT"] = buildkit
    cp = subprocess.run([docker_cli(), "build", *args, str(context)], env=env, capture_output=True, text=True,
                        timeout=timeout, stdin=subprocess.DEVNULL)
    if check:
        assert cp.returncode == 0, (f"docker build {' '.join(args)} exited {cp.returncode}\n"
                                    f"stdout: {cp.stdout}\nstderr: {cp.stderr}\n--- log ---\n{d.log_tail()}")
    return cp


def image(d: Daemon, ref: str) -> dict:
    return json.loads(run_docker(d, "image", "inspect", ref).stdout)[0]


def run_in(d: Daemon, ref: str, *cmd) -> str:
    return run_docker(d, "run", "--rm", "--network", "none", ref, *cmd).stdout


def container_ids(d: Daemon) -> list[str]:
    return run_docker(d, "ps", "-aq").stdout.split()


def no_containers_within(d: Daemon, before: list[str], timeout: float = 20.0):
    wait_until(lambda: sorted(container_ids(d)) == sorted(before), timeout, 0.2,
               "no containers but the ones from before the build")


class _Files(http.server.BaseHTTPRequestHandler):
    files: dict[str, bytes] = {}

    def do_GET(self):  # noqa: N802 - http.server's name
        data = self.files.get(self.path)
        if data is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def http_files():
    """A file server on 127.0.0.1 (a thread of the test): returns (base URL, the dict of path -> bytes)."""
    files: dict[str, bytes] = {}
    handler = type("Files", (_Files,), {"files": files})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", files
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


# --------------------------------------------------------------------------- the docker CLI

CLI_DOCKERFILE = """\
FROM busybox
RUN echo cli-build > /built.txt
COPY a.txt /a.txt
CMD ["cat", "/built.txt", "/a.txt"]
"""


def test_cli_build_stream_then_everything_from_cache(builder, tmp_path):
    ctx = write_tree(tmp_path, {"Dockerfile": CLI_DOCKERFILE, "a.txt": "hello\n"})
    out = docker_build(builder, ctx, "-t", "clibuild:1").stdout
    assert "Sending build context to Docker daemon" in out, out
    for n, line in enumerate(CLI_DOCKERFILE.splitlines(), 1):
        assert f"Step {n}/4 : {line}\n" in out, out
    assert run_output(steps(out)[1]) == "" and "\nRemoving intermediate container " in steps(out)[1], out
    built = re.search(r"^Successfully built ([0-9a-f]{12})$", out, re.M)
    assert built and "Successfully tagged clibuild:1\n" in out, out
    first = image(builder, "clibuild:1")
    assert first["Id"].startswith("sha256:" + built.group(1))
    assert run_in(builder, "clibuild:1") == "cli-build\nhello\n"

    again = docker_build(builder, ctx, "-t", "clibuild:1").stdout
    assert cached(again) == [True, True, True], again
    assert "Running in" not in again, again
    assert f"Successfully built {built.group(1)}\n" in again, again
    assert image(builder, "clibuild:1")["Id"] == first["Id"]


def test_cli_build_without_buildkit_variable(builder, tmp_path):
    ctx = write_tree(tmp_path, {"build.Dockerfile": "FROM busybox\nCOPY x.txt /x.txt\n", "x.txt": "x\n"})
    cp = docker_build(builder, ctx, "-f", str(ctx / "build.Dockerfile"), "-t", "nokit:1", buildkit=None)
    assert "Step 2/2 : COPY x.txt /x.txt\n" in cp.stdout and "Successfully tagged nokit:1\n" in cp.stdout, cp
    assert run_in(builder, "nokit:1", "cat", "/x.txt") == "x\n"


def test_cli_failed_run_exits_non_zero(builder, tmp_path):
    before = container_ids(builder)
    ctx = write_tree(tmp_path, {"Dockerfile": "FROM busybox\nRUN echo failing-step; exit 3\n"})
    cp = docker_build(builder, ctx, check=False)
    assert cp.returncode != 0, cp
    assert "The command '/bin/sh -c echo failing-step; exit 3' returned a non-zero code: 3" in cp.stderr, cp
    # Without --force-rm, Docker keeps the container of the failed step (--rm removes only after success).
    left = [c for c in container_ids(builder) if c not in before]
    assert len(left) == 1, left
    run_docker(builder, "rm", "-f", *left)


def test_cli_force_rm_leaves_no_container(builder, tmp_path):
    before = container_ids(builder)
    ctx = write_tree(tmp_path, {"Dockerfile": "FROM busybox\nRUN echo force-rm; exit 3\n"})
    cp = docker_build(builder, ctx, "--force-rm", check=False)
    assert cp.returncode != 0 and "returned a non-zero code: 3" in cp.stderr, cp
    assert container_ids(builder) == before
    assert "Removing intermediate container" in steps(cp.stdout)[1], cp.stdout


def test_cli_quiet_prints_only_the_id(builder, tmp_path):
    ctx = write_tree(tmp_path, {"Dockerfile": "FROM busybox\nRUN echo quiet\n"})
    cp = docker_build(builder, ctx, "-q")
    assert re.fullmatch(r"sha256:[0-9a-f]{64}\n", cp.stdout), cp
    assert image(builder, cp.stdout.strip())["Id"] == cp.stdout.strip()


def test_cli_dockerignore_with_exceptions(builder, tmp_path):
    ctx = write_tree(tmp_path, {
        "Dockerfile": "FROM busybox\nCOPY . /ctx/\n",
        ".dockerignore": "*.log\n!important.log\nsecret\n",
        "keep.txt": "k", "a.log": "a", "important.log": "i", "secret/key": "s", "sub/c.log": "c",
    })
    docker_build(builder, ctx, "-t", "ignored:1")
    listing = run_in(builder, "ignored:1", "ls", "-a", "/ctx", "/ctx/sub")
    top, sub = listing.split("\n\n")
    # (the Dockerfile and .dockerignore are always sent)
    assert sorted(top.split()[1:]) == sorted([".", "..", ".dockerignore", "Dockerfile", "important.log", "keep.txt",
                                              "sub"]), listing
    assert sub.split()[1:] == [".", "..", "c.log"], listing  # `*.log` matches at the top only

    write_tree(tmp_path, {"Dockerfile": "FROM busybox\nCOPY a.log /\n"})
    cp = docker_build(builder, ctx, check=False)
    assert cp.returncode != 0, cp
    assert "COPY failed: file not found in build context or excluded by .dockerignore: stat a.log: " \
           "file does not exist" in cp.stderr, cp


def test_history_has_one_line_per_instruction(builder, configured):
    lines = run_docker(builder, "history", "--no-trunc", "--format", "{{.CreatedBy}}", configured).stdout.splitlines()
    instructions = CONFIG_DOCKERFILE.splitlines()[1:]
    assert len(lines) == len(instructions) + 1, lines  # and busybox's one layer
    assert lines[-1] == "layer 0", lines
    for line, instruction in zip(lines, reversed(instructions)):
        keyword = instruction.split()[0]
        assert keyword in line or (keyword == "RUN" and line.startswith("/bin/sh -c ")), (line, instruction)


# --------------------------------------------------------------------------- the API's stream

def test_stream_messages_and_aux_id(builder):
    r, messages = api_build(builder, {"Dockerfile": "FROM busybox\nRUN echo streamed\nLABEL step=3\n"},
                            t="streamed:1")
    assert r.status == 200 and "application/json" in r.header("Content-Type", ""), r
    text = stream_text(messages)
    assert text.startswith("Step 1/3 : FROM busybox\n"), text
    run_step = steps(text)[1]
    assert run_output(run_step) == "streamed\n", run_step
    assert re.search(r"^Removing intermediate container [0-9a-f]{12}\n ---> [0-9a-f]{12}\n\Z", run_step, re.M), run_step
    aux = aux_ids(messages)
    assert aux == [image(builder, "streamed:1")["Id"]], messages
    assert text.endswith(f"Successfully built {aux[0][7:19]}\nSuccessfully tagged streamed:1\n"), text


def test_failed_run_ends_the_stream_with_the_exit_code(builder):
    before = container_ids(builder)
    r, messages = api_build(builder, {"Dockerfile": "FROM busybox\nRUN exit 3\n"}, forcerm=1)
    assert r.status == 200, r
    assert build_error(messages) == "The command '/bin/sh -c exit 3' returned a non-zero code: 3"
    assert messages[-1]["errorDetail"].get("code") == 3, messages[-1]
    assert container_ids(builder) == before


def test_copy_of_a_missing_file(builder):
    r, messages = api_build(builder, {"Dockerfile": "FROM busybox\nCOPY nothere.txt /\n"})
    assert r.status == 200, r
    assert build_error(messages) == ("COPY failed: file not found in build context or excluded by .dockerignore: "
                                     "stat nothere.txt: file does not exist")


@pytest.mark.parametrize("dockerfile, params, message", [
    ("FROM busybox\nRUN true\nFROBNICATE now\n", {}, "dockerfile parse error line 3: unknown instruction: FROBNICATE"),
    # (dockerd 20.10 panics on a Dockerfile of ARGs only, so the ARG is followed by an instruction)
    ("ARG V=1\nLABEL a=b\n", {}, "no build stage in current context"),
    ("FROM busybox AS one\nFROM busybox AS two\n", {"target": "nope"}, "failed to reach build target nope in Dockerfile"),
    ("FROM busybox\n", {"squash": 1}, None),
], ids=["unknown-instruction", "no-from", "unknown-target", "squash"])
def test_rejected_before_the_stream(builder, dockerfile, params, message):
    r, _ = api_build(builder, {"Dockerfile": dockerfile}, **params)
    assert r.status == 400, r
    if message is None:
        assert "squash" in r.error_message(), r
    else:
        assert r.error_message() == message


def test_build_args_and_the_unused_warning(builder):
    image_id, text = build_ok(builder, {"Dockerfile": "FROM busybox\nARG WHO=nobody\nRUN echo hello-$WHO\n"},
                              buildargs={"WHO": "args", "UNUSED": "x"})
    assert "hello-args\n" in text, text
    assert "[Warning] One or more build-args [UNUSED] were not consumed\n" in text, text
    assert "WHO=args" not in json.dumps(image(builder, image_id)["Config"].get("Env")), "ARG must not become ENV"


def test_api_quiet_streams_only_the_id(builder):
    r, messages = api_build(builder, {"Dockerfile": "FROM busybox\nRUN echo api-quiet\n"}, q=1, t="quiet:1")
    assert r.status == 200, r
    assert stream_text(messages) == image(builder, "quiet:1")["Id"] + "\n", messages


# --------------------------------------------------------------------------- the cache

def test_nocache_runs_every_step_again(builder):
    files = {"Dockerfile": "FROM busybox\nRUN echo nocache > /n\nCMD [\"true\"]\n"}
    first, _ = build_ok(builder, files)
    cached_id, text = build_ok(builder, files)
    assert cached(text) == [True, True] and cached_id == first, text
    fresh, text = build_ok(builder, files, nocache=1)
    assert cached(text) == [False, False] and "Running in" in text, text
    assert fresh != first


def test_changed_file_invalidates_its_copy_and_later_steps(builder):
    dockerfile = "FROM busybox\nRUN echo one > /one\nCOPY f.txt /f.txt\nRUN cat /f.txt\nLABEL last=1\n"
    first, _ = build_ok(builder, {"Dockerfile": dockerfile, "f.txt": "version 1\n"})
    second, text = build_ok(builder, {"Dockerfile": dockerfile, "f.txt": "version 2\n"})
    assert cached(text) == [True, False, False, False], text
    assert "version 2\n" in steps(text)[3], text
    assert second != first
    # both versions are cached now
    again, text = build_ok(builder, {"Dockerfile": dockerfile, "f.txt": "version 1\n"})
    assert cached(text) == [True, True, True, True] and again == first, text


def test_cache_survives_a_restart(builder):
    files = {"Dockerfile": "FROM busybox\nRUN echo restart-cache > /r\nCOPY r.txt /\n", "r.txt": "r"}
    first, _ = build_ok(builder, files, t="restart:1")
    assert builder.stop() == 0, builder.log_tail()
    builder.proc = None
    builder.start()
    again, text = build_ok(builder, files)
    assert cached(text) == [True, True] and again == first, text


# --------------------------------------------------------------------------- Dockerfile features

MULTI_STAGE = """\
FROM busybox AS base
RUN echo base > /base.txt
FROM busybox AS second
RUN echo second > /second.txt
FROM busybox
COPY --from=base /base.txt /from-name.txt
COPY --from=1 /second.txt /from-index.txt
RUN cat /from-name.txt /from-index.txt
"""


def test_multi_stage_copy_from_name_and_index(builder):
    r, messages = api_build(builder, {"Dockerfile": MULTI_STAGE}, t="multi:final")
    assert r.status == 200 and "error" not in messages[-1], messages
    text = stream_text(messages)
    assert "Step 8/8 : RUN cat /from-name.txt /from-index.txt\n" in text, text
    assert run_output(steps(text)[7]) == "base\nsecond\n", text
    assert run_in(builder, "multi:final", "ls", "/").split().count("base.txt") == 0
    assert aux_ids(messages)[-1] == image(builder, "multi:final")["Id"]
    assert len(aux_ids(messages)) == 3, messages  # an aux message per stage


def test_multi_stage_target(builder):
    _, text = build_ok(builder, {"Dockerfile": MULTI_STAGE}, target="second", t="multi:second")
    assert "Step 4/4 : RUN echo second > /second.txt\n" in text and "Step 5/" not in text, text
    assert run_in(builder, "multi:second", "cat", "/second.txt") == "second\n"
    assert run_in(builder, "multi:second", "ls", "/").split().count("base.txt") == 0


def test_onbuild_triggers_run_in_the_child(builder):
    build_ok(builder, {"Dockerfile": "FROM busybox\nONBUILD RUN echo triggered > /trig.txt\nONBUILD COPY x.txt /x.txt\n"},
             t="onparent:1")
    assert image(builder, "onparent:1")["Config"]["OnBuild"] == ["RUN echo triggered > /trig.txt", "COPY x.txt /x.txt"]
    child, text = build_ok(builder, {"Dockerfile": "FROM onparent:1\nRUN cat /trig.txt /x.txt\n", "x.txt": "from-child\n"})
    assert "# Executing 2 build triggers" in text, text
    assert "triggered\nfrom-child\n" in text, text
    assert not image(builder, child)["Config"].get("OnBuild"), "triggers are not inherited by grandchildren"


def test_add_local_tar_gz_is_unpacked(builder):
    inner = io.BytesIO()
    with tarfile.open(fileobj=inner, mode="w") as tar:
        for name, data in {"inner/hello.txt": b"from the archive\n", "inner/deep/x": b"x"}.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    files = {
        "Dockerfile": "FROM busybox\nADD arch.tar.gz /unpacked/\nCOPY arch.tar.gz /copied/\n"
                      "RUN cat /unpacked/inner/hello.txt /unpacked/inner/deep/x; ls /copied\n",
        "arch.tar.gz": gzip.compress(inner.getvalue()),
    }
    _, text = build_ok(builder, files)
    assert "from the archive\nxarch.tar.gz\n" in text, text  # ADD unpacks, COPY does not


def test_add_url_from_a_local_server(builder, http_files):
    base, files = http_files
    files["/payload.txt"] = b"downloaded\n"
    image_id, text = build_ok(builder, {
        "Dockerfile": f"FROM busybox\nADD {base}/payload.txt /dl/\nRUN cat /dl/payload.txt; stat -c %a /dl/payload.txt\n",
    })
    assert "downloaded\n600\n" in text, text


def test_remote_context_tarball_plain_dockerfile_and_git(builder, http_files):
    base, files = http_files
    files["/ctx.tar.gz"] = gzip.compress(context_tar({
        "Dockerfile": "FROM busybox\nCOPY hello.txt /hello.txt\nRUN cat /hello.txt\n", "hello.txt": "remote tarball\n"}))
    files["/Dockerfile"] = b"FROM busybox\nRUN echo remote dockerfile\n"
    r, messages = api_build(builder, b"", remote=f"{base}/ctx.tar.gz")
    assert r.status == 200 and "remote tarball\n" in stream_text(messages) and aux_ids(messages), messages
    r, messages = api_build(builder, b"", remote=f"{base}/Dockerfile")
    assert r.status == 200 and "remote dockerfile\n" in stream_text(messages) and aux_ids(messages), messages
    r, _ = api_build(builder, b"", remote="https://example.invalid/project.git")
    assert r.status == 400 and "git" in r.error_message(), r.text


def test_the_rules_dockerd_builds_by(builder, tmp_path):
    """What a side-by-side run against dockerd found: a default PATH, ENV over ARG in RUN, symlinked
    sources copied as what they point at (within the context), WORKDIR making its directories, SHELL
    for shell-form CMD, EXPOSE ranges, and --chown owning the directories COPY makes."""
    root = tmp_path / "rules"
    (root / "real").mkdir(parents=True)
    (root / "dir").mkdir()
    (root / "target.txt").write_text("T\n")
    (root / "real" / "r.txt").write_text("R\n")
    os.symlink("target.txt", root / "link.txt")
    os.symlink("real", root / "linkdir")
    os.symlink("../target.txt", root / "dir" / "rel")
    os.symlink("/target.txt", root / "abslink")
    (root / "Dockerfile").write_text(
        "FROM busybox\nENV PATH=/opt/bin:$PATH\nENV A=env\nARG A\nCOPY link.txt /s/\nCOPY linkdir /s/ld/\nCOPY dir /s/d/\n"
        "COPY abslink /s/abs\nCOPY --chown=1000:1000 target.txt /n1/n2/t\nWORKDIR /a\nWORKDIR ../c/./d\n"
        "RUN echo \"A=$A\"; pwd; cat /s/link.txt /s/ld/r.txt /s/abs; readlink /s/d/rel; stat -c %u /n1 /n1/n2\n"
        "SHELL [\"/bin/echo\", \"prefix\"]\nCMD echo cmd\nEXPOSE 8000-8001 9000/udp\n")
    cp = docker_build(builder, root, "--build-arg", "A=cli", "-t", "rules:1")
    assert "A=env\n/c/d\nT\nR\nT\n../target.txt\n1000\n1000\n" in cp.stdout, cp.stdout
    config = image(builder, "rules:1")["Config"]
    assert any(e.startswith("PATH=/opt/bin:/") for e in config["Env"]), config["Env"]
    assert config["Cmd"] == ["/bin/echo", "prefix", "echo cmd"]
    assert set(config["ExposedPorts"]) == {"8000/tcp", "8001/tcp", "9000/udp"}
    assert run_in(builder, "rules:1", "sh", "-c", "test -d /a && test -d /c/d && echo ok").strip() == "ok"
    (root / "Dockerfile").write_text("FROM scratch\nCOPY target.txt /\n")
    docker_build(builder, root, "-t", "rules:scratch")
    assert image(builder, "rules:scratch")["Config"]["Env"] == ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]


def test_cache_from_a_loaded_image_without_its_build_cache(builder, tmp_path):
    """An image that was saved and loaded has no build cache here; with --cache-from its history
    stands for the steps, as with dockerd (the way CI reuses a pulled image's layers)."""
    ctx = write_tree(tmp_path / "ctx", {
        "Dockerfile": "FROM busybox\nENV STAGE=one\nCOPY a.txt /a.txt\nRUN echo ran > /ran\nCMD [\"cat\", \"/ran\"]\n",
        "a.txt": "a\n",
    })
    docker_build(builder, ctx, "-t", "cachefrom:1")
    archive = tmp_path / "cachefrom.tar"
    run_docker(builder, "save", "-o", str(archive), "cachefrom:1", timeout=60)
    run_docker(builder, "rmi", "cachefrom:1")
    run_docker(builder, "load", "-i", str(archive), timeout=60)
    cp = docker_build(builder, ctx, "--cache-from", "cachefrom:1", "-t", "cachefrom:2")
    assert cp.stdout.count("Using cache") == 4 and "Running in" not in cp.stdout, cp.stdout
    assert run_in(builder, "cachefrom:2").strip() == "ran"
    cp = docker_build(builder, ctx, "--no-cache", "-t", "cachefrom:3")
    assert "Using cache" not in cp.stdout and "Running in" in cp.stdout, cp.stdout


def test_copy_chown(builder):
    _, text = build_ok(builder, {
        "Dockerfile": "FROM busybox\nCOPY --chown=65534:65534 f.txt /owned/f.txt\nCOPY --chown=nobody:nogroup f.txt /named.txt\n"
                      "COPY f.txt /root-owned.txt\nRUN stat -c '%n %u:%g' /owned/f.txt /named.txt /root-owned.txt\n",
        "f.txt": "f",
    })
    assert "/owned/f.txt 65534:65534\n/named.txt 65534:65534\n/root-owned.txt 0:0\n" in text, text


CONFIG_DOCKERFILE = """\
FROM busybox
WORKDIR /app
ENV GREETING=hello OTHER="two words"
LABEL com.example.role=web version=1.0
EXPOSE 8080 53/udp
VOLUME /data
RUN echo in-$GREETING > /app/note && pwd
USER nobody
HEALTHCHECK --interval=5s --timeout=2s --retries=4 CMD ["true"]
STOPSIGNAL SIGUSR1
ENTRYPOINT ["/bin/echo"]
CMD ["hi"]
"""


@pytest.fixture(scope="module")
def configured(builder):
    image_id, text = build_ok(builder, {"Dockerfile": CONFIG_DOCKERFILE}, t="configured:1")
    assert "/app\n" in steps(text)[6], text
    return image_id


def test_config_instructions_in_inspect(builder, configured):
    config = image(builder, "configured:1")["Config"]
    assert config["WorkingDir"] == "/app"
    assert {"GREETING=hello", "OTHER=two words"} <= set(config["Env"]), config["Env"]
    assert config["Labels"] == {"com.example.role": "web", "version": "1.0"}
    assert config["ExposedPorts"] == {"8080/tcp": {}, "53/udp": {}}
    assert config["Volumes"] == {"/data": {}}
    assert config["User"] == "nobody"
    assert config["Healthcheck"] == {"Test": ["CMD", "true"], "Interval": 5_000_000_000, "Timeout": 2_000_000_000,
                                     "Retries": 4}
    assert config["StopSignal"] == "SIGUSR1"
    assert config["Entrypoint"] == ["/bin/echo"] and config["Cmd"] == ["hi"]
    assert run_docker(builder, "run", "--rm", "--network", "none", "--entrypoint", "cat", "configured:1",
                      "note").stdout == "in-hello\n"


# --------------------------------------------------------------------------- docker-py

def _logs(logs) -> str:
    return "".join(m.get("stream", "") for m in logs)


def test_dockerpy_from_path_with_args_labels_and_dockerignore(builder, client, tmp_path):
    write_tree(tmp_path, {
        "Dockerfile": "FROM busybox\nARG WHO\nCOPY . /ctx/\nRUN echo py-$WHO; ls /ctx\n",
        ".dockerignore": "*.tmp\n",
        "keep.txt": "k", "drop.tmp": "d",
    })
    img, logs = client.images.build(path=str(tmp_path), tag="pyd:path", buildargs={"WHO": "path"},
                                    labels={"built.by": "docker-py"}, rm=True)
    text = _logs(logs)
    assert "py-path\n" in text and "keep.txt" in text and "drop.tmp" not in text, text
    assert img.labels == {"built.by": "docker-py"}
    assert "pyd:path" in img.tags


def test_dockerpy_from_file_object(builder, client):
    dockerfile = io.BytesIO(b"FROM busybox\nRUN echo from-fileobj\nLABEL src=fileobj\n")
    img, logs = client.images.build(fileobj=dockerfile, tag="pyd:fileobj")
    assert "from-fileobj\n" in _logs(logs)
    assert img.labels == {"src": "fileobj"}


def test_dockerpy_custom_context(builder, client):
    ctx = io.BytesIO(context_tar({"Dockerfile": "FROM busybox\nCOPY data.txt /\nRUN cat /data.txt\n",
                                  "data.txt": "custom-context\n"}))
    img, logs = client.images.build(fileobj=ctx, custom_context=True, tag="pyd:custom")
    assert "custom-context\n" in _logs(logs)


def test_dockerpy_target(builder, client):
    img, logs = client.images.build(fileobj=io.BytesIO(MULTI_STAGE.encode()), target="base", tag="pyd:target")
    text = _logs(logs)
    assert "Step 2/2 : RUN echo base > /base.txt" in text and "Step 3/" not in text, text


def test_dockerpy_network_extra_hosts_and_shm(builder, client):
    probe = b"FROM busybox\nRUN hostname; ls /sys/class/net; grep -w myhost /etc/hosts; grep ' /dev/shm ' /proc/mounts\n"
    _, logs = client.images.build(fileobj=io.BytesIO(probe), network_mode="none", extra_hosts={"myhost": "10.1.2.3"},
                                  shmsize=32 * 1024 * 1024, nocache=True)
    text = _logs(logs)
    assert "\nlo\n10.1.2.3\tmyhost\n" in text, text
    assert "size=32768k" in text, text
    before = set(os.listdir("/sys/class/net"))
    _, logs = client.images.build(fileobj=io.BytesIO(b"FROM busybox\nRUN hostname; ls /sys/class/net\n"),
                                  network_mode="host", nocache=True)
    after = set(os.listdir("/sys/class/net"))
    output = run_output(steps(_logs(logs))[1]).splitlines()
    assert before & after <= set(output[1:]) <= before | after, output  # the host's devices
    assert output[0] == socket.gethostname(), output


def test_dockerpy_cache_from(builder, client):
    dockerfile = b"FROM busybox\nRUN echo cache-from > /cf\n"
    first, _ = client.images.build(fileobj=io.BytesIO(dockerfile), tag="pyd:cachesrc")
    again, logs = client.images.build(fileobj=io.BytesIO(dockerfile), cache_from=["pyd:cachesrc"])
    assert "Using cache" in _logs(logs) and again.id == first.id


def test_dockerpy_build_error(builder, client):
    docker = pytest.importorskip("docker")
    with pytest.raises(docker.errors.BuildError) as err:
        client.images.build(fileobj=io.BytesIO(b"FROM busybox\nRUN exit 3\n"), forcerm=True)
    assert "returned a non-zero code: 3" in str(err.value)


# --------------------------------------------------------------------------- docker-compose

COMPOSE_FILE = """\
version: "2.4"
services:
  web:
    build:
      context: ./web
      args:
        MSG: composed
    image: berthcompose_web:1
    command: ["sh", "-c", "cat /msg; exec sleep 300"]
  sidecar:
    image: busybox
    command: ["sleep", "300"]
"""


def test_compose_builds_and_starts_two_services(builder, tmp_path):
    compose = shutil.which("docker-compose")
    if not compose:
        pytest.skip("docker-compose not installed (Debian's docker-compose)")
    write_tree(tmp_path, {"docker-compose.yml": COMPOSE_FILE,
                          "web/Dockerfile": "FROM busybox\nARG MSG\nRUN echo $MSG > /msg\n"})
    env = builder.docker_env()
    env["COMPOSE_DOCKER_CLI_BUILD"] = "0"

    def compose_run(*args, timeout=120):
        cp = subprocess.run([compose, "-p", "berthbuild", *args], cwd=tmp_path, env=env, capture_output=True,
                            text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        assert cp.returncode == 0, f"docker-compose {args}: {cp}\n--- log ---\n{builder.log_tail()}"
        return cp

    try:
        cp = compose_run("up", "-d", "--build")
        assert "Successfully tagged berthcompose_web:1" in cp.stdout + cp.stderr, cp
        ids = compose_run("ps", "-q").stdout.split()
        for cid in ids:
            assert json.loads(run_docker(builder, "inspect", cid).stdout)[0]["State"]["Running"], cid
        wait_until(lambda: "composed" in run_docker(builder, "logs", "berthbuild_web_1").stdout, 10, 0.2,
                   "the built image's file in web's log")
        assert len(ids) == 2, ids
    finally:
        compose_run("down", "-t", "1", "--rmi", "local")


# --------------------------------------------------------------------------- prune, cancel, a client that leaves

def test_client_gone_mid_run_leaves_no_container(builder):
    before = container_ids(builder)
    body = context_tar({"Dockerfile": "FROM busybox\nRUN sleep 30\n"})
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(20)
    try:
        sock.connect(builder.sock)
        sock.sendall(b"POST /build?rm=1 HTTP/1.1\r\nHost: berth\r\nContent-Type: application/x-tar\r\n"
                     b"Content-Length: %d\r\n\r\n" % len(body) + body)
        seen = b""
        deadline = time.monotonic() + 20
        while b"Running in" not in seen and time.monotonic() < deadline:
            chunk = sock.recv(65536)
            if not chunk:
                break
            seen += chunk
        assert b"Running in" in seen, seen
    finally:
        sock.close()
    no_containers_within(builder, before, 20)


def test_build_prune_and_cancel(builder):
    r = builder.post("/build/prune")
    assert r.status == 200, r
    doc = r.json()
    # dockerd 20.10's legacy builder has no cache of its own to prune and answers `null`
    assert doc["CachesDeleted"] is None or isinstance(doc["CachesDeleted"], list), doc
    assert isinstance(doc["SpaceReclaimed"], int) and doc["SpaceReclaimed"] >= 0, doc
    assert builder.post("/build/cancel?id=no-such-build").status == 200
    cp = run_docker(builder, "builder", "prune", "-f")
    assert "Total reclaimed space" in cp.stdout, cp


def test_system_prune(builder):
    dangling, _ = build_ok(builder, {"Dockerfile": "FROM busybox\nRUN echo dangling\n"})
    kept, _ = build_ok(builder, {"Dockerfile": "FROM busybox\nRUN echo kept\n"}, t="kept:1")
    cp = run_docker(builder, "system", "prune", "-f", timeout=60)
    assert f"deleted: {dangling}" in cp.stdout, cp
    assert builder.get(f"/images/{dangling}/json").status == 404
    assert image(builder, "kept:1")["Id"] == kept
