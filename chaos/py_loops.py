"""Clients that drive berthd with docker-py."""

from __future__ import annotations

import io
import tarfile

from cli_loops import KEEP_RUNNING, SHARED_NETWORK
from loops import InBandError, Loop

KEEP_OBJECTS = 8   # volumes and image tags a loop leaves on purpose (they must still exist at the end)


class PyObjects(Loop):
    """Volumes (create, inspect, list, rm), image tags (tag, inspect, rm), an image import now and then,
    and networks (create, inspect, rm)."""

    kept_volumes = 0
    kept_tags = 0

    def step(self, i: int):
        self.volume(i)
        self.tag(i)
        self.network(i)
        if i % 3 == 0:
            self.import_image(i)

    def volume(self, i: int):
        name = f"{self.prefix}vol{i}"
        self.pending("volume", name)
        self.op("py volume create", lambda: self.py.volumes.create(name, labels={"chaos": str(i)}))
        self.created("volume", name)
        self.op("py volume inspect", lambda: self.py.volumes.get(name).attrs,
                lambda a: None if a.get("Name") == name and (a.get("Labels") or {}).get("chaos") == str(i)
                else f"volume inspect: {a!r:.200}")
        self.op("py volume list", lambda: [v.name for v in self.py.volumes.list(filters={"name": name})],
                lambda names: None if name in names else f"volume list without {name}: {names[:5]}")
        if i % 5 == 0 and self.kept_volumes < KEEP_OBJECTS:
            self.kept_volumes += 1
            self.keep("volume", name)
            return
        self.pending("volume", name)
        self.op("py volume rm", lambda: self.py.volumes.get(name).remove())
        self.removed("volume", name)

    def tag(self, i: int):
        repo = f"{self.prefix}tag{i}"
        ref = f"{repo}:t"
        base = self.op("py image inspect", lambda: self.py.images.get(self.image))
        self.pending("image", ref)
        self.op("py image tag", lambda: base.tag(repo, "t"), lambda ok: None if ok else "tag answered false")
        self.created("image", ref)
        self.op("py image inspect", lambda: self.py.images.get(ref).id,
                lambda got: None if got == base.id else f"{ref} is {got}, tagged from {base.id}")
        if i % 5 == 1 and self.kept_tags < KEEP_OBJECTS:
            self.kept_tags += 1
            self.keep("image", ref)
            return
        self.pending("image", ref)
        self.op("py image rm", lambda: self.py.images.remove(ref))
        self.removed("image", ref)

    def network(self, i: int):
        name = f"{self.prefix}net{i}"
        self.pending("network", name)
        net = self.op("py network create", lambda: self.py.networks.create(name, driver="bridge"))
        self.created("network", name)
        self.op("py network inspect", lambda: self.py.networks.get(net.id).name,
                lambda got: None if got == name else f"network {net.id[:12]} is named {got!r}, not {name!r}")
        self.pending("network", name)
        self.op("py network rm", lambda: self.py.networks.get(name).remove())
        self.removed("network", name)

    def import_image(self, i: int):
        ref = f"{self.prefix}imp{i}:t"
        data = one_file_tar(f"chaos {self.name} {i}\n".encode())
        self.pending("image", ref)
        self.op("py image import", lambda: self.py.api.import_image_from_data(data, repository=ref.split(":")[0], tag="t"))
        self.created("image", ref)
        self.op("py image inspect", lambda: self.py.images.get(ref).tags,
                lambda tags: None if ref in tags else f"imported image has tags {tags}")
        self.pending("image", ref)
        self.op("py image rm", lambda: self.py.images.remove(ref))
        self.removed("image", ref)


class PyContainers(Loop):
    """`containers.run(remove=True)`, and detached containers on the shared user network: exec, logs,
    reload, stop, remove; a few stay running (up to KEEP_RUNNING)."""

    kept = 0

    def step(self, i: int):
        name, token = f"{self.prefix}{i}", f"py{i}x{self.rng.randrange(10**6)}"
        self.pending("container", name)
        if i % 2:
            self.op("py run remove=True", lambda: self.py.containers.run(self.image, ["echo", token], name=name, remove=True),
                    lambda out: None if out.strip() == token.encode() else f"run printed {out[:100]!r}, not {token!r}")
            self.removed("container", name)
            return
        c = self.op("py run detach", lambda: self.py.containers.run(
            self.image, ["sh", "-c", "echo started; exec sleep 86400"], name=name, detach=True, network=SHARED_NETWORK))
        self.created("container", name)
        self.op("py exec", lambda: in_band(c.exec_run(["echo", token])),
                lambda r: None if r.exit_code == 0 and r.output.strip() == token.encode()
                else f"exec: exit {r.exit_code}, printed {r.output[:100]!r}")
        self.op("py logs", lambda: self.logs_with_retry(c),
                lambda out: None if b"started" in out else f"logs printed {out[:100]!r}, no 'started'")
        self.op("py reload", lambda: (c.reload(), c.status)[1],
                lambda status: None if status == "running" else f"status {status!r}, not running")
        if i % 6 == 0 and self.kept < KEEP_RUNNING:
            self.kept += 1
            self.ledger.kept_running.add(name)
            return
        self.pending("container", name)
        self.op("py stop", lambda: c.stop(timeout=1))
        self.op("py remove", lambda: c.remove())
        self.removed("container", name)

    def logs_with_retry(self, c) -> bytes:
        out = c.logs()
        if b"started" not in out:  # the line may still be on its way to the log file: one more look
            self.stop_event.wait(1.0)
            out = c.logs()
        return out


def in_band(result):
    """An exec result, unless it carries the daemon's own error (exit 126–128 with a message)."""
    if result.exit_code in (126, 127, 128):
        raise InBandError(f"exec exit {result.exit_code}: {result.output[:200]!r}")
    return result


def one_file_tar(content: bytes) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        info = tarfile.TarInfo("chaos.txt")
        info.size = len(content)
        tar.addfile(info, io.BytesIO(content))
    return buf.getvalue()
