#!/usr/bin/env bash
# Where durable ingest's throughput goes: the same request path with parts
# left out, against the no-op route, in one run (BENCHMARKS.md, "What the
# 40 % target would need").
#
# Needs a server built with bench/breakdown.patch, which lets the environment
# variable HOOKYARD_BENCH_SKIP cut the path short (`adapter`: answer before
# the adapter call; `store`: answer after it, storing nothing):
#
#   git apply bench/breakdown.patch && cargo build --release --locked -p hookyard
#   cp target/release/hookyard /tmp/hookyard-breakdown
#   git apply -R bench/breakdown.patch && cargo build --release --locked -p hookyard
#   BIN=/tmp/hookyard-breakdown bench/breakdown.sh
#
# Per step: throughput at saturation (closed loop), its ratio to the no-op
# route, the server's CPU time per request (user + system, from
# /proc/PID/stat over the measured seconds), and the part of it its one
# writer thread used, with the share of the seconds that thread ran on a CPU
# and the share it spent in commits, fsyncs included (a writer in commits
# all the time is the limit of the path). ROUNDS repeats the whole set.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-8}
CONNECTIONS=${CONNECTIONS:-64}
BODY=${BODY:-1024}
PORT=${PORT:-18080}
ROUNDS=${ROUNDS:-2}
BIN=${BIN:?build a server with bench/breakdown.patch and pass it as BIN (see the top of this script)}

. bench/lib.sh

# step SKIP URL_KIND: one saturation run; sets $rate and $cpu (server CPU
# µs per request).
step() {
    export HOOKYARD_BENCH_SKIP=$1
    start_server
    local url="http://127.0.0.1:$PORT/webhooks/$key"
    [[ $2 == noop ]] && url="http://127.0.0.1:$PORT/noop"
    local out_file=$dir/load.json
    load --url "$url" --rate 0 >"$out_file" &
    local loader=$!
    sleep "$WARMUP" # lib.sh's load warms up this long before it measures
    local before after writer_before writer_after commits_before commits_after
    before=$(ticks "$server")
    writer_before=$(writer_ticks "$server")
    commits_before=$(commit_seconds)
    wait "$loader"
    after=$(ticks "$server")
    writer_after=$(writer_ticks "$server")
    commits_after=$(commit_seconds)
    if [[ -n $1 ]] && [[ $(api GET "/api/v1/events?limit=1" | json data) != "[]" ]]; then
        echo "HOOKYARD_BENCH_SKIP=$1 stored events: $BIN is not built with bench/breakdown.patch" >&2
        exit 1
    fi
    local result
    result=$(python3 - "$(cat "$out_file")" "$before" "$after" "$(getconf CLK_TCK)" \
        "$writer_before" "$writer_after" "$DURATION" "$commits_before" "$commits_after" <<'PY'
import json, sys
run = json.loads(sys.argv[1])
ticks = int(sys.argv[3]) - int(sys.argv[2])
errors = sum(run["errors"].values())
if errors:
    sys.exit(f"{errors} requests failed: {run['errors']}")
hz = int(sys.argv[4])
writer = (int(sys.argv[6]) - int(sys.argv[5])) / hz
# The writer's CPU per request, the share of the measured seconds it ran on
# a CPU, and the share it spent in commits (its CPU and its fsyncs).
seconds = float(sys.argv[7])
print(run["achieved_rate"], ticks / hz / run["ok"] * 1e6, writer / run["ok"] * 1e6,
      writer / seconds * 100, (float(sys.argv[9]) - float(sys.argv[8])) / seconds * 100)
PY
    )
    read -r rate cpu writer_cpu writer_busy in_commits <<<"$result"
}

# commit_seconds: the server's time in group commits so far
# (`hookyard_commit_seconds`' sum), 0 before the first.
commit_seconds() {
    api GET /metrics | awk '$1 == "hookyard_commit_seconds_sum" { sum = $2 } END { print sum + 0 }'
}

# writer_ticks PID: lib.sh's ticks for the server's one writer thread
# (`hookyard-writer`, which runs every commit); 0 when it has none yet.
writer_ticks() {
    local task
    for task in /proc/"$1"/task/*; do
        if [[ $(cat "$task/comm" 2>/dev/null) == hookyard-writer ]]; then
            stat_ticks "$task/stat"
            return
        fi
    done
    echo 0
}

echo "| round | path | req/s | of no-op | server CPU µs/request | of which the writer thread | writer on a CPU | writer in commits |"
echo "|---|---|---|---|---|---|---|---|"
for round in $(seq "$ROUNDS"); do
    step "" noop
    noop_rate=$rate
    printf '| %s | no-op route | %.0f | 100 %% | %.1f | – | – | – |\n' "$round" "$rate" "$cpu"
    for variant in "adapter:the path without the adapter call or storage" \
        "store:with the adapter call, storing nothing" \
        ":durable ingest (the whole path)"; do
        step "${variant%%:*}" ingest
        printf '| %s | %s | %.0f | %.0f %% | %.1f | %.1f | %.0f %% | %.0f %% |\n' "$round" "${variant#*:}" \
            "$rate" "$(python3 -c "print($rate / $noop_rate * 100)")" "$cpu" "$writer_cpu" "$writer_busy" \
            "$in_commits"
    done
done
