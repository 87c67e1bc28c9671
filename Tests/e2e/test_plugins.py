"""Legacy plugins through the real docker CLI: a volume driver and an authorization plugin written in
Python (plugin_servers.py) on sockets in the test's own plugin directory; a plugin killed mid-way and
started again; the managed-plugin API's answers."""

from __future__ import annotations

import json
import os
import time

import pytest

from conftest import Daemon, finish, load_busybox, remove_everything, run_docker
from plugin_servers import AuthzPlugin, VolumePlugin

NONE = ("--network", "none")


@pytest.fixture(scope="module")
def setup(berthd_bin, tmp_path_factory):
    base = tmp_path_factory.mktemp("plugins")
    sockets = base / "sockets"
    sockets.mkdir()
    volume_plugin = VolumePlugin(str(sockets / "pyvol.sock"), str(base / "data")).start()
    authz = AuthzPlugin(str(sockets / "gate.sock"), "deny-me").start()
    d = Daemon(berthd_bin, name="plugins", config={
        "plugin-socket-dirs": [str(sockets)], "plugin-spec-dirs": [str(base / "specs")], "authorization-plugins": ["gate"],
    })
    d.start()
    load_busybox(d, str(base))
    yield d, volume_plugin, authz
    remove_everything(d)
    finish(d)
    volume_plugin.stop()
    authz.stop()


def test_volume_driver_plugin_end_to_end(setup):
    d, plugin, _ = setup
    run_docker(d, "volume", "create", "-d", "pyvol", "--opt", "colour=blue", "pv1")
    assert plugin.volumes["pv1"] == {"colour": "blue"}
    run_docker(d, "run", "--rm", *NONE, "-v", "pv1:/data", "busybox", "sh", "-c", "echo via-plugin > /data/f")
    with open(os.path.join(plugin.path("pv1"), "f")) as f:
        assert f.read() == "via-plugin\n"
    out = run_docker(d, "run", "--rm", *NONE, "--volume-driver", "pyvol", "-v", "pv2:/data", "busybox", "sh", "-c", "echo two > /data/f; cat /data/f").stdout
    assert out == "two\n" and "pv2" in plugin.volumes
    methods = [method for method, _ in plugin.calls]
    assert "VolumeDriver.Mount" in methods and "VolumeDriver.Unmount" in methods
    assert not any(plugin.mounted.values()), plugin.mounted
    listing = run_docker(d, "volume", "ls", "--filter", "driver=pyvol", "--format", "{{.Name}}").stdout.split()
    assert sorted(listing) == ["pv1", "pv2"]
    inspected = json.loads(run_docker(d, "volume", "inspect", "pv1").stdout)[0]
    assert inspected["Driver"] == "pyvol" and inspected["Mountpoint"] == plugin.path("pv1"), inspected
    os.makedirs(plugin.path("outside"))
    plugin.volumes["outside"] = {}  # made through the plugin by someone else: listed, then usable
    assert "outside" in run_docker(d, "volume", "ls", "--format", "{{.Name}}").stdout.split()
    run_docker(d, "run", "--rm", *NONE, "-v", "outside:/o", "busybox", "true")
    run_docker(d, "volume", "rm", "pv1", "pv2", "outside")
    assert plugin.volumes == {}
    info = d.get_json("/info")
    assert "pyvol" in info["Plugins"]["Volume"] and "gate" in info["Plugins"]["Authorization"], info["Plugins"]


def test_authorization_plugin_denies_with_its_message(setup):
    d, _, authz = setup
    cp = run_docker(d, "create", "--name", "deny-me", *NONE, "busybox", "true", check=False)
    assert cp.returncode != 0 and "authorization denied by plugin gate: deny-me is not allowed here" in cp.stderr, cp.stderr
    r = d.post("/containers/create?name=deny-me", body={"Image": "busybox"})
    assert r.status == 403, r.text
    assert "deny-me" not in run_docker(d, "ps", "-a", "--format", "{{.Names}}").stdout
    run_docker(d, "create", "--name", "allowed", *NONE, "--label", "shown=yes", "busybox", "true")
    assert any(body.get("Labels", {}).get("shown") == "yes" for body in authz.request_bodies())
    run_docker(d, "rm", "allowed")


def test_a_plugin_that_dies_fails_its_calls_and_recovers(setup):
    d, plugin, _ = setup
    run_docker(d, "volume", "create", "-d", "pyvol", "phoenix")
    plugin.stop()
    started = time.monotonic()
    cp = run_docker(d, "run", "--rm", *NONE, "-v", "phoenix:/p", "busybox", "true", check=False, timeout=60)
    assert cp.returncode != 0 and "pyvol" in cp.stderr, cp.stderr
    assert time.monotonic() - started < 45
    assert run_docker(d, "run", "--rm", *NONE, "busybox", "echo", "unrelated").stdout == "unrelated\n"
    assert d.get("/_ping").status == 200
    plugin.start()
    out = run_docker(d, "run", "--rm", *NONE, "-v", "phoenix:/p", "busybox", "sh", "-c", "echo back > /p/f; cat /p/f").stdout
    assert out == "back\n"
    run_docker(d, "volume", "rm", "phoenix")


def test_a_dead_authorization_plugin_fails_closed_and_recovers(setup):
    d, _, authz = setup
    authz.stop()
    cp = run_docker(d, "ps", check=False, timeout=60)
    assert cp.returncode != 0 and "gate" in cp.stderr, cp.stderr
    authz.start()
    run_docker(d, "ps")


def test_managed_plugin_api_answers_cleanly(setup):
    d, _, _ = setup
    assert run_docker(d, "plugin", "ls", "--format", "{{.Name}}").stdout.strip() == ""
    cp = run_docker(d, "plugin", "install", "--grant-all-permissions", "vieux/sshfs", check=False, timeout=60)
    assert cp.returncode != 0 and "not supported" in cp.stderr, cp.stderr
    cp = run_docker(d, "plugin", "enable", "nosuch", check=False)
    assert cp.returncode != 0 and ("not supported" in cp.stderr or "not found" in cp.stderr), cp.stderr
