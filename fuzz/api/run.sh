#!/usr/bin/env bash
# The API fuzz (outside CI's budget): schemathesis drives every route of Moby's OpenAPI description of
# API 1.51 against a berthd in a private network namespace, for a bounded time, then checks the daemon
# is still up. Needs root (berthd runs containers) and a built berthd (`swift build`).
# usage: fuzz/api/run.sh [seconds, default 300] [more schemathesis arguments…]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
seconds=${1:-300}; shift || true

venv=${BERTH_FUZZ_VENV:-/tmp/berth-schemathesis}
if [[ ! -x $venv/bin/schemathesis ]]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q 'schemathesis==4.32.5'
fi
berthd=${BERTHD_BIN:-$(swift build --show-bin-path)/berthd}

# The e2e helpers the driver imports need pytest and docker-py in the system python (scripts/test.sh
# installs them); the driver itself runs there, schemathesis in its virtualenv.
exec unshare -n bash -c 'ip link set lo up && exec python3 fuzz/api/run.py --berthd "$0" --schemathesis "$1/bin/schemathesis" --max-time "$2" "${@:3}"' \
  "$berthd" "$venv" "$seconds" "$@"
