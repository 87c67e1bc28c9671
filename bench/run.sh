#!/usr/bin/env bash
# berthd against a reference dockerd, side by side in one run. See bench/README.md.
#   bench/run.sh [--quick] [--only WORKLOAD...] [--daemons berthd dockerd] [--keep]
#   BERTHD_BIN=/path/to/berthd bench/run.sh     # use that binary instead of building
#   bench/run.sh --release                      # build berthd as scripts/run.sh does (release) first
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"

if [[ $EUID -ne 0 ]]; then
    echo "bench/run.sh: run as root (it starts container daemons)" >&2
    exit 2
fi

release=0
args=()
for a in "$@"; do
    if [[ $a == --release ]]; then release=1; else args+=("$a"); fi
done

# What the benchmark needs, installed only when missing. dockerd's package must not start a
# system-wide dockerd: a policy-rc.d that says "no" is put in place for the install if none exists.
need=()
command -v dockerd >/dev/null || need+=(docker.io)
command -v wrk >/dev/null || need+=(wrk)
[[ -x /bin/busybox ]] || need+=(busybox-static)
command -v containerd >/dev/null || need+=(containerd)
command -v runc >/dev/null || need+=(runc)
if ((${#need[@]})); then
    echo "installing: ${need[*]}"
    policy=/usr/sbin/policy-rc.d
    made_policy=0
    if [[ ! -e $policy ]]; then
        printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && made_policy=1
    fi
    trap '[[ $made_policy == 1 ]] && rm -f "$policy"' EXIT
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y --no-install-recommends "${need[@]}" >/dev/null ||
        { apt-get update >/dev/null && apt-get install -y --no-install-recommends "${need[@]}" >/dev/null; }
    [[ $made_policy == 1 ]] && rm -f "$policy"
    trap - EXIT
fi
command -v docker >/dev/null || { echo "bench/run.sh: no docker CLI on PATH" >&2; exit 2; }

# berthd: BERTHD_BIN if set, else a build of this checkout.
if [[ -z ${BERTHD_BIN:-} ]]; then
    build=(-c debug)
    # shellcheck source=../scripts/lib/release-build.sh
    ((release)) && source "$repo/scripts/lib/release-build.sh" && build=("${RELEASE_BUILD[@]}")  # as scripts/run.sh builds it
    echo "building berthd (swift build ${build[*]})"
    (cd "$repo" && swift build "${build[@]}")
    BERTHD_BIN="$(cd "$repo" && swift build "${build[@]}" --show-bin-path)/berthd"
    export BERTHD_BUILD=${build[1]}
fi
export BERTHD_BIN

cd "$here"
exec python3 -m berthbench "${args[@]}"
