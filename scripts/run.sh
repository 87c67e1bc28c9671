#!/usr/bin/env bash
# Sets up and runs berthd with the default configuration (the README's first command):
# installs containerd, runc and the build libraries, builds berthd (release), and runs it in the
# foreground as root. Extra arguments go to berthd (for example -H tcp://127.0.0.1:2375 or --debug).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/packages.sh
source scripts/lib/release-build.sh

ensure_packages "${BERTHD_PACKAGES[@]}"
swift build "${RELEASE_BUILD[@]}"
bin="$(swift build "${RELEASE_BUILD[@]}" --show-bin-path)/berthd"

host=unix:///run/berth/berth.sock
for arg in "$@"; do [[ $arg == unix://* || $arg == tcp://* ]] && host=$arg; done
echo
echo "berthd is starting; in another shell use:"
echo "    export DOCKER_HOST=$host"
echo
exec "$bin" "$@"
