"""Image tarballs built by the tests themselves (no registry, no internet): a busybox root filesystem
from Debian's busybox-static, packed as a docker-archive (`docker save` format) or as an OCI layout."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import shutil
import tarfile


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _add(tar: tarfile.TarFile, name: str, data: bytes | None = None, *, mode=0o644, kind=tarfile.REGTYPE, link=""):
    info = tarfile.TarInfo(name)
    info.mtime = 0
    info.mode = mode
    info.type = kind
    info.linkname = link
    if data is not None:
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    else:
        tar.addfile(info)


BUSYBOX_APPLETS = (
    "sh", "echo", "ls", "cat", "true", "false", "sleep", "id", "env", "hostname", "ps", "wc", "head", "tail", "grep",
    "mkdir", "touch", "rm", "printf", "stat", "kill", "date", "seq", "tr", "cut", "whoami", "test", "pwd", "mount", "stty",
    "readlink", "ip", "ping", "httpd", "nslookup", "wget", "nc",
)


def busybox_layer() -> bytes:
    """A deterministic layer tar holding busybox, its applet links and a minimal /etc."""
    binary = shutil.which("busybox")
    if not binary:
        import pytest  # here only: the benchmark builds its image with this module, without pytest

        pytest.skip("busybox is not installed (Debian busybox-static)")
    with open(os.path.realpath(binary), "rb") as f:
        busybox = f.read()
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for d in ("bin", "etc", "tmp"):
            _add(tar, d, mode=0o755, kind=tarfile.DIRTYPE)
        _add(tar, "bin/busybox", busybox, mode=0o755)
        for applet in BUSYBOX_APPLETS:
            _add(tar, f"bin/{applet}", kind=tarfile.SYMTYPE, link="busybox", mode=0o777)
        _add(tar, "etc/passwd", b"root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n")
        _add(tar, "etc/group", b"root:x:0:\nnogroup:x:65534:\n")
    return buf.getvalue()


def file_layer(files: dict[str, bytes]) -> bytes:
    """A layer tar with the given files (a second layer on top of busybox)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in sorted(files.items()):
            _add(tar, name, data)
    return buf.getvalue()


def image_config(layers: list[bytes], *, labels: dict | None = None, cmd=("sh",), created="2026-01-02T03:04:05Z") -> bytes:
    config = {
        "architecture": "amd64",
        "os": "linux",
        "created": created,
        "config": {"Cmd": list(cmd), "Env": ["PATH=/bin"], "Labels": labels or {}},
        "rootfs": {"type": "layers", "diff_ids": [sha256(layer) for layer in layers]},
        "history": [{"created": created, "created_by": f"layer {i}"} for i in range(len(layers))],
    }
    return json.dumps(config, sort_keys=True).encode()


def docker_archive(path: str, layers: list[bytes], tags: list[str], **config_args) -> str:
    """Writes a docker-archive and returns the image ID (the config digest)."""
    config = image_config(layers, **config_args)
    image_id = sha256(config)
    with tarfile.open(path, "w") as tar:
        _add(tar, image_id[7:] + ".json", config)
        names = []
        for layer in layers:
            name = sha256(layer)[7:] + "/layer.tar"
            _add(tar, sha256(layer)[7:], mode=0o755, kind=tarfile.DIRTYPE)
            _add(tar, name, layer)
            names.append(name)
        manifest = [{"Config": image_id[7:] + ".json", "RepoTags": tags or None, "Layers": names}]
        _add(tar, "manifest.json", json.dumps(manifest).encode())
    return image_id


def oci_archive(path: str, layers: list[bytes], name: str | None, **config_args) -> str:
    """Writes an OCI layout with gzip-compressed layers and returns the image ID."""
    config = image_config(layers, **config_args)
    compressed = [gzip.compress(layer, mtime=0) for layer in layers]
    manifest = json.dumps({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": sha256(config), "size": len(config)},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": sha256(c), "size": len(c)} for c in compressed],
    }).encode()
    entry = {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": sha256(manifest), "size": len(manifest)}
    if name:
        entry["annotations"] = {"io.containerd.image.name": name, "org.opencontainers.image.ref.name": name.rsplit(":", 1)[-1]}
    with tarfile.open(path, "w") as tar:
        _add(tar, "oci-layout", b'{"imageLayoutVersion":"1.0.0"}')
        _add(tar, "index.json", json.dumps({"schemaVersion": 2, "manifests": [entry]}).encode())
        for blob in [config, manifest, *compressed]:
            _add(tar, "blobs/sha256/" + sha256(blob)[7:], blob)
    return sha256(config)
