"""A `busybox:latest` image made here (no registry, no internet): Debian's busybox-static and its
applet links in one layer, packed as a docker-archive (the `docker save` format both daemons load),
the way Tests/e2e/image_fixtures.py builds its images."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile

APPLETS = ("sh", "true", "false", "sleep", "echo", "ls", "cat", "env", "id", "hostname", "ps", "kill", "wget", "nc")
TAG = "busybox:latest"


def _sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _add(tar: tarfile.TarFile, name: str, data: bytes | None = None, *, mode=0o644, kind=tarfile.REGTYPE, link=""):
    info = tarfile.TarInfo(name)
    info.mtime, info.mode, info.type, info.linkname = 0, mode, kind, link
    if data is not None:
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    else:
        tar.addfile(info)


def _layer(busybox: bytes) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for d in ("bin", "etc", "tmp"):
            _add(tar, d, mode=0o755, kind=tarfile.DIRTYPE)
        _add(tar, "bin/busybox", busybox, mode=0o755)
        for applet in APPLETS:
            _add(tar, f"bin/{applet}", kind=tarfile.SYMTYPE, link="busybox", mode=0o777)
        _add(tar, "etc/passwd", b"root:x:0:0:root:/root:/bin/sh\n")
        _add(tar, "etc/group", b"root:x:0:\n")
    return buf.getvalue()


def build_busybox_archive(path: str) -> str:
    """Writes the archive to `path` and returns the image ID. Needs /bin/busybox (busybox-static)."""
    binary = shutil.which("busybox") or "/bin/busybox"
    if not os.path.exists(binary):
        raise RuntimeError("busybox is not installed: apt-get install busybox-static")
    with open(os.path.realpath(binary), "rb") as f:
        layer = _layer(f.read())
    created = "2026-01-01T00:00:00Z"
    config = json.dumps({
        "architecture": "amd64", "os": "linux", "created": created,
        "config": {"Cmd": ["sh"], "Env": ["PATH=/bin"]},
        "rootfs": {"type": "layers", "diff_ids": [_sha256(layer)]},
        "history": [{"created": created, "created_by": "berthbench busybox layer"}],
    }, sort_keys=True).encode()
    image_id = _sha256(config)
    layer_dir = _sha256(layer)[7:]
    with tarfile.open(path, "w") as tar:
        _add(tar, image_id[7:] + ".json", config)
        _add(tar, layer_dir, mode=0o755, kind=tarfile.DIRTYPE)
        _add(tar, layer_dir + "/layer.tar", layer)
        manifest = [{"Config": image_id[7:] + ".json", "RepoTags": [TAG], "Layers": [layer_dir + "/layer.tar"]}]
        _add(tar, "manifest.json", json.dumps(manifest).encode())
    return image_id
