#!/usr/bin/env bash
# The chaos soak (outside CI's budget): builds berthd (`swift build`, unless BERTHD_BIN names one), then
# runs chaos/soak.py as root in a private network namespace (berthd's bridges and iptables rules stay
# there). See chaos/README.md.
# usage: chaos/run.sh [--duration 10m] [--seed N] [--json PATH] [--keep]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [[ $EUID -ne 0 ]]; then
    echo "chaos/run.sh: run as root (berthd runs containers)" >&2
    exit 2
fi
if [[ -z ${BERTHD_BIN:-} ]]; then
    swift build 2>&1 | tail -3
    BERTHD_BIN="$(swift build --show-bin-path)/berthd"
fi
exec unshare -n bash -c 'ip link set lo up && exec python3 chaos/soak.py --berthd "$0" "$@"' "$BERTHD_BIN" "$@"
