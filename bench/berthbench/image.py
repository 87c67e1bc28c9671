"""A `busybox:latest` image made here (no registry, no internet): Debian's busybox-static and its
applet links in one layer, packed as a docker-archive (the `docker save` format both daemons load) by
the end-to-end suite's own image builder (Tests/e2e/image_fixtures.py)."""

from __future__ import annotations

import shutil

from image_fixtures import busybox_layer, docker_archive

TAG = "busybox:latest"


def build_busybox_archive(path: str) -> str:
    """Writes the archive to `path` and returns the image ID. Needs busybox (busybox-static)."""
    if not shutil.which("busybox"):
        raise RuntimeError("busybox is not installed: apt-get install busybox-static")
    return docker_archive(path, [busybox_layer()], [TAG])
