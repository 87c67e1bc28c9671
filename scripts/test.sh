#!/usr/bin/env bash
# Berth's test command (the one the README gives, and the one CI runs through .ci/run):
# installs what the tests need, builds, runs the Swift unit tests, then the end-to-end suite in
# Tests/e2e against the freshly built berthd. Runs from any directory; exits non-zero if any step fails.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

section() { printf '\n==== %s ====\n' "$*"; }

source scripts/lib/packages.sh

section "system packages"
# berthd's own (containerd, runc, SQLite, libcap), then the tests': busybox-static for image fixtures,
# curl, python3, systemd for systemd-analyze checks of the unit files, a local registry
# (docker-registry, with htpasswd from apache2-utils) for pull and push, and docker-compose (1.29)
# for the build tests' compose project.
ensure_packages "${BERTHD_PACKAGES[@]}" busybox-static bsdutils curl openssl python3 systemd docker-registry apache2-utils docker-compose

section "python packages"
if python3 -c 'import docker, pytest' 2>/dev/null; then
  echo "docker and pytest importable"
else
  python3 -m pip --version >/dev/null 2>&1 || as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-pip
  # Debian's own python3 refuses a plain pip install (PEP 668); a pyenv or venv python accepts it.
  python3 -m pip install -q docker pytest || python3 -m pip install -q --break-system-packages docker pytest
  python3 -c 'import docker, pytest'
fi

section "swift build"
swift build

section "swift test"
swift_test=0
swift test || swift_test=$?

section "end-to-end tests (Tests/e2e)"
BERTHD_BIN="$(swift build --show-bin-path)/berthd"
export BERTHD_BIN
echo "berthd: $BERTHD_BIN"
e2e=0
timeout --kill-after=30 45m python3 -m pytest -q -rfEs -p no:cacheprovider Tests/e2e || e2e=$?

section "summary"
status=0
if ((swift_test == 0)); then echo "swift test: ok"; else echo "swift test: FAILED (exit $swift_test)"; status=1; fi
case $e2e in
  0) echo "e2e: ok" ;;
  5) echo "e2e: FAILED: pytest collected no tests"; status=1 ;;
  124|137) echo "e2e: FAILED: timed out after 45 minutes"; status=1 ;;
  *) echo "e2e: FAILED (pytest exit $e2e)"; status=1 ;;
esac
exit "$status"
