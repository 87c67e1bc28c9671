#!/usr/bin/env bash
# Builds the libFuzzer targets (with AddressSanitizer) and runs each for a
# bounded time over its seed corpus. Not part of CI. See README.md.
# usage: fuzz/run.sh [target|all] [seconds per target]     (default: all, 60)
#        FUZZ_JOBS=2 fuzz/run.sh all 300                   (run two targets at a time)
#        FUZZ_NO_BUILD=1 fuzz/run.sh tar 60                (run what was built last)
set -euo pipefail
cd "$(dirname "$0")"
targets=(tar http-request container-create filters passwd-group dns-message image-manifest dockerfile)
which=${1:-all}
seconds=${2:-60}
jobs=${FUZZ_JOBS:-1}
if [[ $which != all ]]; then
    [[ " ${targets[*]} " == *" $which "* ]] || { echo "unknown target $which (one of: ${targets[*]})" >&2; exit 2; }
    targets=("$which")
fi

# swiftc keeps only the last -sanitize= option, so `--sanitize=fuzzer --sanitize=address` would build Swift
# code with AddressSanitizer alone, without the coverage libFuzzer needs: both go in one option, last.
# -enable-testing: the targets reach internal parsers with @testable import.
build=(swift build --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing)
if [[ ${#targets[@]} -eq 1 ]]; then build+=(--product "fuzz-${targets[0]}"); fi
if [[ -z ${FUZZ_NO_BUILD:-} ]]; then "${build[@]}"; fi
bin=.build/debug

mkdir -p .work/results artifacts
run() {
    local target=$1
    # New inputs go to .work/corpus (not committed); corpus/<target> holds the committed seeds.
    mkdir -p ".work/corpus/$target" "corpus/$target"
    local log=".work/results/$target.log"
    local status=0
    "$bin/fuzz-$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -artifact_prefix="artifacts/$target-" -print_final_stats=1 \
        ".work/corpus/$target" "corpus/$target" >"$log" 2>&1 || status=$?
    local runs
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    printf '%-18s %4ss  %10s runs  %s\n' "$target" "$seconds" "$runs" \
        "$([[ $status -eq 0 ]] && echo 'no crash' || echo "CRASH (exit $status): see $log and artifacts/$target-*")"
    return $status
}

failed=0
running=0
for target in "${targets[@]}"; do
    run "$target" &
    running=$((running + 1))
    if [[ $running -ge $jobs ]]; then wait -n || failed=1; running=$((running - 1)); fi
done
while [[ $running -gt 0 ]]; do wait -n || failed=1; running=$((running - 1)); done
exit $failed
