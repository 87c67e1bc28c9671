#!/usr/bin/env bash
# Regenerates Sources/berthd/link-order.txt, the order in which the release link places berthd's
# functions: the ones a daemon runs from start to idle first, then those of common requests, so that
# the pages of code it keeps resident are few and full (the kernel maps code 64 KiB around each page
# it faults in). As root, on a machine where scripts/run.sh works; takes a release build and a minute.
#
# How: pagetrace.c (LD_PRELOAD) records the code pages a release berthd runs while this script starts
# it on a temporary data root, loads a busybox image, runs and inspects containers and builds an image
# with the docker CLI and stops it; order_from_pages.py lists the functions on those pages in first-run order.
# Rerun it when the code has changed much: a name the linker no longer finds is skipped, so a stale
# list only places less well.
# BERTH_SCRATCH_PATH names another build folder (e.g. .build-release) to build and trace in.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"
source scripts/lib/release-build.sh
scratch=(${BERTH_SCRATCH_PATH:+--scratch-path "$BERTH_SCRATCH_PATH"})
swift build "${scratch[@]}" "${RELEASE_BUILD[@]}"
bin="$(swift build "${scratch[@]}" "${RELEASE_BUILD[@]}" --show-bin-path)/berthd"

work="$(mktemp -d /tmp/berth-layout.XXXXXX)"
pid=""
cleanup() {
    if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then kill "$pid"; wait "$pid" || true; fi
    ip link delete blayout0 2>/dev/null || true
    local table rule  # the bridge's masquerade and forward rules, which berthd leaves as dockerd does
    for table in filter nat; do
        iptables-save -t "$table" 2>/dev/null | grep -- '"berth:blayout0"' | sed 's/^-A /-D /' |
            while read -r rule; do eval "iptables -t $table $rule"; done
    done
    awk -v dir="$work/" 'index($2, dir) == 1 { print $2 }' /proc/mounts | sort -r | xargs -r -n1 umount -l || true
    rm -rf "$work"
}
trap cleanup EXIT

gcc -O2 -shared -fPIC -o "$work/pagetrace.so" scripts/layout/pagetrace.c
(cd bench && python3 -c "import sys; from berthbench.image import build_busybox_archive as b; b(sys.argv[1])" "$work/busybox.tar")
echo '{}' >"$work/daemon.json"
export DOCKER_HOST="unix://$work/api.sock"
PAGETRACE_EXE="$bin" PAGETRACE_OUT="$work/pages" LD_PRELOAD="$work/pagetrace.so" SWIFT_BACKTRACE=enable=no \
    "$bin" --config-file "$work/daemon.json" --data-root "$work/root" --exec-root "$work/exec" \
    --pidfile "$work/berthd.pid" -H "$DOCKER_HOST" --bridge blayout0 --bip 10.199.77.1/24 >"$work/berthd.log" 2>&1 &
pid=$!
for _ in $(seq 200); do docker version >/dev/null 2>&1 && break; sleep 0.1; done
docker load -i "$work/busybox.tar"
# A build of files alone (no RUN): what a COPY needs is then placed before what running containers needs.
mkdir -p "$work/context/files"
for i in $(seq 20); do echo "file $i" >"$work/context/files/f$i.txt"; done
printf 'FROM busybox\nCOPY files/ /files/\nENV LAYOUT=1\n' >"$work/context/Dockerfile"
DOCKER_BUILDKIT=0 docker build -q -t layout-copy "$work/context" >/dev/null
sleep 2  # idle: the timers and housekeeping of a running daemon
docker info >/dev/null
docker ps -a >/dev/null
docker images >/dev/null
docker run --rm --network none busybox true
docker run --rm busybox true
docker create --name layout-probe --label role=probe busybox sh -c 'echo hello; sleep 30' >/dev/null
docker start layout-probe >/dev/null
docker logs layout-probe >/dev/null
docker inspect layout-probe >/dev/null
docker ps --filter label=role=probe >/dev/null
docker stop -t 1 layout-probe >/dev/null
docker rm layout-probe >/dev/null
docker volume create layout-volume >/dev/null
docker volume ls >/dev/null
docker volume rm layout-volume >/dev/null
docker network ls >/dev/null
# A build: a context of small files, COPY, RUN, metadata steps; then the same build from the cache.
printf 'FROM busybox\nENV LAYOUT=1\nWORKDIR /app\nCOPY files/ ./files/\nRUN cat files/* >/all\nCMD ["cat", "/all"]\n' >"$work/context/Dockerfile"
DOCKER_BUILDKIT=0 docker build -q -t layout-build "$work/context" >/dev/null
DOCKER_BUILDKIT=0 docker build -q -t layout-build "$work/context" >/dev/null
docker rmi layout-build layout-copy >/dev/null
kill "$pid"
wait "$pid" || true
pid=""
python3 scripts/layout/order_from_pages.py "$bin" "$work/pages" Sources/berthd/link-order.txt
