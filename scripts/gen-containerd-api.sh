#!/usr/bin/env bash
# Regenerates the containerd 1.6 gRPC client code in Sources/ContainerdAPI.
#
# The generated Swift files are committed, so a normal build never runs protoc or a
# SwiftPM build plugin. Run this script only to change the set of protos or to move
# to new plugin versions, and commit the result.
#
# Inputs (Debian 12 packages):
#   apt-get install protobuf-compiler libprotobuf-dev \
#     golang-github-containerd-containerd-dev golang-github-gogo-protobuf-dev \
#     golang-github-gogo-googleapis-dev
#   * protobuf-compiler                       protoc (3.21.x)
#   * libprotobuf-dev                         /usr/include/google/protobuf/{any,empty,timestamp,field_mask,descriptor}.proto
#   * golang-github-containerd-containerd-dev containerd's .proto files (1.6.20) under /usr/share/gocode/src
#   * golang-github-gogo-protobuf-dev         gogoproto/gogo.proto (weak-imported; its options are ignored by Swift)
#   * golang-github-gogo-googleapis-dev       google/rpc/status.proto (imported by introspection.proto)
#
# Plugins: protoc-gen-swift (apple/swift-protobuf) and protoc-gen-grpc-swift-2
# (grpc/grpc-swift-protobuf), pinned to the versions below so the output is reproducible.
#   * If PLUGIN_DIR is set, both binaries are taken from that directory.
#   * Otherwise they are looked up in ${XDG_CACHE_HOME:-$HOME/.cache}/berth-codegen/bin and,
#     if missing, built there once (`swift build -c release --product ...` in their own clones,
#     outside this package's .build; about 4 minutes on 2 cores). Clones come from
#     github.com; on machines whose git config redirects github.com to a local mirror
#     (url.<mirror>.insteadOf), the mirror is used. Override with SWIFT_PROTOBUF_GIT /
#     GRPC_SWIFT_PROTOBUF_GIT if needed.
#   Build only the --product: swift-protobuf also ships a vendored C++ `protoc` product
#   that is slow to compile and not needed.
#
# Output: Sources/ContainerdAPI/*.pb.swift (messages) and *.grpc.swift (client stubs only,
# no server), public, flat file names (FileNaming=PathToUnderscores). All generated files
# live in the one ContainerdAPI module (deps: GRPCCore, GRPCProtobuf, SwiftProtobuf), so
# no ProtoPathModuleMappings are needed. Old *.pb.swift / *.grpc.swift files in that
# directory are replaced; other files (ContainerdAPI.swift) are left alone.
#
# protoc prints "warning: Import gogoproto/gogo.proto is unused." for many files; that is harmless.
set -euo pipefail

SWIFT_PROTOBUF_VERSION=1.39.0
GRPC_SWIFT_PROTOBUF_VERSION=2.4.1
SWIFT_PROTOBUF_GIT=${SWIFT_PROTOBUF_GIT:-https://github.com/apple/swift-protobuf.git}
GRPC_SWIFT_PROTOBUF_GIT=${GRPC_SWIFT_PROTOBUF_GIT:-https://github.com/grpc/grpc-swift-protobuf.git}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=$ROOT/Sources/ContainerdAPI

GOSRC=${GOSRC:-/usr/share/gocode/src}
CTRD=github.com/containerd/containerd
API=$CTRD/api

die() { echo "gen-containerd-api: $*" >&2; exit 1; }

command -v protoc >/dev/null || die "protoc not found (apt-get install protobuf-compiler)"
[[ -f /usr/include/google/protobuf/empty.proto ]] || die "google/protobuf/*.proto missing (apt-get install libprotobuf-dev)"
[[ -d $GOSRC/$API ]] || die "$GOSRC/$API missing (apt-get install golang-github-containerd-containerd-dev)"
[[ -f $GOSRC/github.com/gogo/protobuf/gogoproto/gogo.proto ]] || die "gogo.proto missing (apt-get install golang-github-gogo-protobuf-dev)"
[[ -f $GOSRC/github.com/gogo/googleapis/google/rpc/status.proto ]] || die "google/rpc/status.proto missing (apt-get install golang-github-gogo-googleapis-dev)"
[[ -d $OUT ]] || die "$OUT does not exist"

# --- plugins ---------------------------------------------------------------

# build_plugin <git url> <tag> <product> <bin dir>
build_plugin() {
    local url=$1 tag=$2 product=$3 bindir=$4
    local src
    src=$(dirname "$bindir")/src/$(basename "$url" .git)-$tag
    if [[ ! -d $src ]]; then
        echo "gen-containerd-api: cloning $url $tag" >&2
        mkdir -p "$(dirname "$src")"
        git clone --quiet "$url" "$src.tmp"
        git -C "$src.tmp" -c advice.detachedHead=false checkout --quiet "$tag"
        mv "$src.tmp" "$src"
    fi
    echo "gen-containerd-api: building $product (release) in $src" >&2
    (cd "$src" && swift build -c release --product "$product")
    mkdir -p "$bindir"
    cp "$src/.build/release/$product" "$bindir/$product"
}

if [[ -n ${PLUGIN_DIR:-} ]]; then
    BIN=$PLUGIN_DIR
else
    BIN=${XDG_CACHE_HOME:-$HOME/.cache}/berth-codegen/bin
    [[ -x $BIN/protoc-gen-swift ]] ||
        build_plugin "$SWIFT_PROTOBUF_GIT" "$SWIFT_PROTOBUF_VERSION" protoc-gen-swift "$BIN"
    [[ -x $BIN/protoc-gen-grpc-swift-2 ]] ||
        build_plugin "$GRPC_SWIFT_PROTOBUF_GIT" "$GRPC_SWIFT_PROTOBUF_VERSION" protoc-gen-grpc-swift-2 "$BIN"
fi

check_version() {
    local bin=$1 want=$2 got
    [[ -x $bin ]] || die "$bin not found or not executable"
    got=$("$bin" --version)
    [[ $got == "$want" ]] || die "$bin reports '$got', expected '$want'"
}
check_version "$BIN/protoc-gen-swift" "protoc-gen-swift $SWIFT_PROTOBUF_VERSION"
check_version "$BIN/protoc-gen-grpc-swift-2" "protoc-gen-grpc-swift-2 $GRPC_SWIFT_PROTOBUF_VERSION"

# --- protos ------------------------------------------------------------------

# /usr/include first, so the real google/protobuf/*.proto always wins.
INC=(-I /usr/include -I "$GOSRC" -I "$GOSRC/github.com/gogo/protobuf" -I "$GOSRC/github.com/gogo/googleapis")

SERVICES=(
    containers/v1/containers
    tasks/v1/tasks
    content/v1/content
    images/v1/images
    snapshots/v1/snapshots
    namespaces/v1/namespace
    version/v1/version
    events/v1/events
    leases/v1/leases
    diff/v1/diff
    introspection/v1/introspection
)
SERVICE_PROTOS=()
for s in "${SERVICES[@]}"; do SERVICE_PROTOS+=("$API/services/$s.proto"); done

# Shared types and event payloads (messages only).
TYPE_PROTOS=(
    "$API/types/descriptor.proto"
    "$API/types/mount.proto"
    "$API/types/metrics.proto"
    "$API/types/platform.proto"
    "$API/types/task/task.proto"
)
for e in container content image namespace snapshot task; do TYPE_PROTOS+=("$API/events/$e.proto"); done
# containerd.runc.v1.Options: runtime options for io.containerd.runc.v2 (SystemdCgroup, BinaryName, Root, ...).
TYPE_PROTOS+=("$CTRD/runtime/v2/runc/options/oci.proto")
# google.rpc.Status, used by introspection's Plugin.init_err.
TYPE_PROTOS+=(google/rpc/status.proto)

for p in "${SERVICE_PROTOS[@]}" "${TYPE_PROTOS[@]}"; do
    [[ -f $GOSRC/$p || -f $GOSRC/github.com/gogo/googleapis/$p ]] || die "proto not found: $p"
done

# --- generate ----------------------------------------------------------------

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

echo "gen-containerd-api: $(protoc --version), $("$BIN/protoc-gen-swift" --version), $("$BIN/protoc-gen-grpc-swift-2" --version)" >&2

# Messages: services + shared types + event payloads + runc options.
protoc "${INC[@]}" \
    --plugin=protoc-gen-swift="$BIN/protoc-gen-swift" \
    --swift_out="$TMP" \
    --swift_opt=Visibility=Public,FileNaming=PathToUnderscores \
    "${SERVICE_PROTOS[@]}" "${TYPE_PROTOS[@]}"

# Client stubs for the services only (type-only protos would give empty .grpc.swift files).
protoc "${INC[@]}" \
    --plugin=protoc-gen-grpc-swift-2="$BIN/protoc-gen-grpc-swift-2" \
    --grpc-swift-2_out="$TMP" \
    --grpc-swift-2_opt=Visibility=Public,Client=true,Server=false,FileNaming=PathToUnderscores \
    "${SERVICE_PROTOS[@]}"

# Replace the previously generated files.
find "$OUT" -maxdepth 1 -type f \( -name '*.pb.swift' -o -name '*.grpc.swift' \) -delete
mv "$TMP"/*.swift "$OUT"/

echo "gen-containerd-api: wrote $(find "$OUT" -maxdepth 1 -name '*.swift' \( -name '*.pb.swift' -o -name '*.grpc.swift' \) | wc -l) files to ${OUT#"$ROOT"/}" >&2
