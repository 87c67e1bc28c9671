"""The API fuzz: schemathesis drives every route of Moby's own OpenAPI description (API 1.51) against a
berthd on a private root, then checks that the daemon is still up. Run through fuzz/api/run.sh, which
puts it in a private network namespace and installs schemathesis in a virtualenv.

The run fails if schemathesis saw a 5xx other than a documented 501 (the `not_a_server_error` check,
with 501 answers allowed as the spec documents them for unbuilt features), or if berthd died."""

from __future__ import annotations

import argparse
import re
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "Tests", "e2e"))

from conftest import Daemon  # noqa: E402  (the e2e suite's daemon control)
import image_fixtures  # noqa: E402

SPEC = os.path.join(ROOT, "..", "shared", "research", "engine-api-v1.51.yaml")
PORT = 23751

# Operations whose answers schemathesis cannot judge: hijacked streams (the connection becomes raw
# frames), and the calls that follow the daemon until something happens (events, a container's exit).
EXCLUDED_PATHS = [
    "/containers/{id}/attach/ws",
    "/session",
    "/events",
    "/containers/{id}/attach",
    "/containers/{id}/wait",
]


def seed(daemon: Daemon, scratch: str):
    """An image, a container, a volume and a network, for generated requests to name."""
    tarball = os.path.join(scratch, "busybox.tar")
    image_fixtures.docker_archive(tarball, [image_fixtures.busybox_layer()], ["busybox:latest"])
    with open(tarball, "rb") as f:
        assert daemon.post("/images/load", body=f.read(), timeout=60).status == 200
    created = daemon.post("/containers/create?name=fuzz", body={"Image": "busybox", "Cmd": ["sleep", "3600"]})
    assert created.status == 201, created
    daemon.post("/volumes/create", body={"Name": "fuzz"})
    daemon.post("/networks/create", body={"Name": "fuzz"})


# The second pass names the seeded objects in every path, so generated requests reach the handlers
# behind the lookups instead of stopping at 404.
SEEDED_OBJECTS = {"/containers/{id}": ("id", "fuzz"), "/volumes/{name}": ("name", "fuzz"),
                  "/images/{name}": ("name", "busybox"), "/networks/{id}": ("id", "fuzz")}
SEEDED_PARAMETERS = "".join(
    f'\n[[operations]]\ninclude-path-regex = "^{re.escape(prefix)}"\nparameters = {{ "path.{name}" = "{value}" }}\n'
    .replace("\\", "\\\\")
    for prefix, (name, value) in SEEDED_OBJECTS.items())


# What the seeded pass leaves out: the calls that would remove or rename the seeded objects.
SEEDED_EXCLUSIONS = ["--exclude-method", "DELETE", "--exclude-path-regex", "/prune$|/rename$"]


def schemathesis_pass(args, name: str, config: str, seconds: int, exclusions=()) -> int:
    """One schemathesis run with `config` (the judging rules, plus a pass's overrides)."""
    config_path = os.path.join(args.scratch, f"{name}.toml")
    with open(config_path, "w") as f:
        f.write(config)
    command = [
        args.schemathesis, "--config-file", config_path, "run", SPEC, "--url", f"http://127.0.0.1:{PORT}/v1.51",
        "--checks", "not_a_server_error", "--max-time", str(seconds),
        "--request-timeout", "20", "--workers", "1", "--no-color",
        "--generation-database", "none", "--report", "ndjson", "--report-dir", os.path.join(args.report_dir, name),
    ]
    for path in EXCLUDED_PATHS:
        command += ["--exclude-path", path]
    command += [*exclusions, *args.extra]
    print(f"\n==== {name} pass ({seconds} s) ====", flush=True)
    env = dict(os.environ, SCHEMATHESIS_HOOKS="hooks", PYTHONPATH=HERE)
    return subprocess.run(command, env=env).returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--berthd", default=os.path.join(ROOT, ".build", "debug", "berthd"))
    parser.add_argument("--schemathesis", default="schemathesis")
    parser.add_argument("--max-time", type=int, default=300, help="seconds of fuzzing")
    parser.add_argument("--report-dir", default=os.path.join(HERE, "report"))
    parser.add_argument("extra", nargs="*", help="more schemathesis arguments")
    args = parser.parse_args()

    args.scratch = scratch = tempfile.mkdtemp(prefix="berth-apifuzz-")
    daemon = Daemon(args.berthd, args=["-H", f"tcp://127.0.0.1:{PORT}"])
    daemon.start()
    try:
        seed(daemon, scratch)
        with open(os.path.join(HERE, "schemathesis.toml")) as f:
            judging = f.read()
        random = schemathesis_pass(args, "random", judging, args.max_time // 2)
        seeded = schemathesis_pass(args, "seeded", judging + SEEDED_PARAMETERS, args.max_time - args.max_time // 2,
                                   SEEDED_EXCLUSIONS)
        alive = daemon.running() and daemon.get("/_ping").status == 200
        print(f"\nschemathesis exit {random} (random ids), {seeded} (seeded ids); berthd {'still up' if alive else 'DOWN'}")
        if not alive:
            print(daemon.log_tail(80))
        return 0 if random == seeded == 0 and alive else 1
    finally:
        daemon.cleanup()


if __name__ == "__main__":
    sys.exit(main())
