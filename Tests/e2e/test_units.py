"""The shipped service files: systemd accepts the units, and the example daemon.json is the
documented set of defaults."""

import json
import re
import shutil
import subprocess

import pytest

from conftest import REPO_ROOT

CONFIG = REPO_ROOT / "config"


def _unit(name):
    text = (CONFIG / name).read_text()
    keys = {}
    for line in text.splitlines():
        m = re.match(r"^([A-Za-z]+)=(.*)$", line.strip())
        if m:
            keys.setdefault(m.group(1), []).append(m.group(2))
    return keys


def test_systemd_analyze_verify(tmp_path):
    tool = shutil.which("systemd-analyze")
    if not tool:
        pytest.skip("systemd-analyze not installed (Debian package systemd)")
    # /usr/local/bin/berthd need not be installed here: verify would only report that it is missing,
    # so point ExecStart at an executable that exists and let every other complaint fail the test.
    for name in ("berthd.service", "berthd.socket"):
        text = (CONFIG / name).read_text().replace("/usr/local/bin/berthd", shutil.which("true") or "/bin/true")
        (tmp_path / name).write_text(text)
    cp = subprocess.run([tool, "verify", str(tmp_path / "berthd.socket"), str(tmp_path / "berthd.service")],
                        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    out = (cp.stdout + cp.stderr).strip()
    assert cp.returncode == 0, out
    assert not [line for line in out.splitlines() if "berthd" in line], out


def test_service_unit_settings():
    keys = _unit("berthd.service")
    expect = {
        "Type": "notify", "NotifyAccess": "main", "ExecReload": "/bin/kill -s HUP $MAINPID",
        "Restart": "always", "RestartSec": "2", "StartLimitBurst": "3", "StartLimitIntervalSec": "60",
        "WatchdogSec": "30", "Delegate": "yes", "KillMode": "process", "LimitNOFILE": "infinity",
        "Requires": "berthd.socket",
    }
    for k, v in expect.items():
        assert keys.get(k) == [v], (k, keys.get(k))
    assert keys["ExecStart"] == ["/usr/local/bin/berthd -H fd://"]
    assert "berthd.socket" in keys["After"][0] and "network-online.target" in keys["After"][0]
    # systemd must wait longer than berthd's own shutdown bound (shutdown-timeout, 15 s by default)
    stop = int(keys["TimeoutStopSec"][0].rstrip("s"))
    assert stop > 15


def test_socket_unit_settings():
    keys = _unit("berthd.socket")
    assert keys["ListenStream"] == ["/run/berth/berth.sock"]
    assert keys["SocketMode"] == ["0660"]


def test_example_daemon_json_defaults():
    # no "hosts": the unit passes -H fd://, and a key given both ways is refused
    cfg = json.loads((CONFIG / "daemon.json").read_text())
    assert cfg == {
        "data-root": "/var/lib/berth",
        "exec-root": "/run/berth",
        "log-level": "info",
        "shutdown-timeout": 15,
        "live-restore": False,
        "labels": [],
        "max-concurrent-downloads": 3,
        "max-concurrent-uploads": 5,
        "bridge": "berth0",
    }
