"""The real docker CLI (/usr/local/bin/docker) against berthd: version, info, system df, events."""

import json

import pytest

from conftest import API_VERSION, Daemon, finish, reload_window, run_docker


@pytest.fixture(scope="module")
def cli(berthd_bin):
    d = Daemon(berthd_bin, ["--fault-injection"], config={"labels": ["e2e.suite=cli"]}, name="cli")
    d.start()
    yield d
    finish(d)


@pytest.fixture(scope="module")
def reloads(cli):
    """Two daemon reload events and a closed time window around them."""
    return reload_window(cli, 2)


def test_version_lists_components(cli):
    cp = run_docker(cli, "version", "--format", "{{json .}}")
    v = json.loads(cp.stdout)
    server = v["Server"]
    names = [c["Name"] for c in server["Components"]]
    for want in ("Engine", "containerd", "runc"):
        assert want in names, names
    assert server["ApiVersion"] == API_VERSION
    assert server["Os"] == "linux"


def test_version_plain(cli):
    cp = run_docker(cli, "version")
    assert "Server" in cp.stdout and "containerd" in cp.stdout and "runc" in cp.stdout, cp.stdout


def test_info(cli):
    cp = run_docker(cli, "info", "--format", "{{json .}}")
    info = json.loads(cp.stdout)
    assert info["ServerVersion"]
    assert info["Driver"]
    assert isinstance(info["Containers"], int)
    assert "e2e.suite=cli" in info["Labels"]
    assert not info.get("ServerErrors"), info.get("ServerErrors")
    cp = run_docker(cli, "info")
    assert "Server Version" in cp.stdout, cp.stdout


def test_info_format_like_acceptance(cli):
    cp = run_docker(cli, "info", "--format", "{{.ServerVersion}} {{.Driver}} {{.Containers}}")
    assert len(cp.stdout.split()) == 3, cp.stdout


def test_system_df(cli):
    cp = run_docker(cli, "system", "df")
    assert "TYPE" in cp.stdout.upper(), cp.stdout


def _json_lines(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_events_since_until_replays_reloads(cli, reloads):
    since, until = reloads
    cp = run_docker(cli, "events", "--since", str(since), "--until", str(until),
                    "--filter", "type=daemon", "--format", "{{json .}}", timeout=30)
    evs = _json_lines(cp.stdout)
    reload_evs = [e for e in evs if e["Type"] == "daemon" and e["Action"] == "reload"]
    assert len(reload_evs) >= 2, cp.stdout
    assert all(since <= e["time"] <= until for e in reload_evs), reload_evs


def test_events_default_format(cli, reloads):
    since, until = reloads
    cp = run_docker(cli, "events", "--since", str(since), "--until", str(until), timeout=30)
    assert "daemon reload" in cp.stdout, cp.stdout


def test_events_relative_times_and_event_filter(cli, reloads):
    cp = run_docker(cli, "events", "--since", "10m", "--until", "0s", "--filter", "type=daemon",
                    "--filter", "event=reload", "--format", "{{.Type}} {{.Action}}", timeout=30)
    lines = [line for line in cp.stdout.splitlines() if line.strip()]
    assert len(lines) >= 2 and all(line == "daemon reload" for line in lines), cp.stdout


def test_events_other_type_filter_is_empty(cli, reloads):
    since, until = reloads
    cp = run_docker(cli, "events", "--since", str(since), "--until", str(until),
                    "--filter", "type=container", "--format", "{{json .}}", timeout=30)
    assert not [e for e in _json_lines(cp.stdout) if e["Type"] == "daemon"], cp.stdout
