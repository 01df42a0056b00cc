#!/usr/bin/env bash
# How the cost of durable ingest grows, and how much memory the server holds.
#
# On a fresh server (bench/lib.sh: every bundled adapter loaded, BACKEND
# sqlite or postgres) per dimension, throughput at saturation and latency at
# half that rate, open loop, signed GitHub deliveries:
#   - 1, 10, 100 sources, requests spread round-robin over them,
#   - 1 KiB, 64 KiB, 1 MiB bodies (one source),
#   - 0, 1, 10 HTTP destinations per event (each gets a signed POST to the
#     server's own /noop route, so deliveries share the cores with ingest),
# and the server's resident memory: idle after start, and its peak (VmHWM)
# after each dimension's runs. DIMENSIONS picks some (default: all three).
# Prints Markdown tables for BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
BODY=1024
PORT=${PORT:-18086}
BACKEND=${BACKEND:-sqlite}
DIMENSIONS=${DIMENSIONS:-sources body destinations}
BIN=${BIN:-target/release/hookyard}

. bench/lib.sh

# measure DIMENSION VALUE [loadgen flags]: saturation and half rate, one JSON line.
measure() {
    local dimension=$1 value=$2 max paced
    shift 2
    max=$(load --rate 0 "$@")
    paced=$(load --rate "$(half <<<"$max")" "$@")
    python3 -c 'import json, sys; print(json.dumps({"dimension": sys.argv[1], "value": sys.argv[2],
        "max": json.loads(sys.argv[3]), "half": json.loads(sys.argv[4])}))' \
        "$dimension" "$value" "$max" "$paced" >>"$dir/results"
}
# memory MOMENT: the server's resident and peak memory, one JSON line.
memory() {
    read -r now peak < <(rss_kib "$server")
    echo "{\"memory\": \"$1\", \"rss_kib\": $now, \"peak_kib\": $peak}" >>"$dir/results"
}

wants() { [[ " $DIMENSIONS " == *" $1 "* ]]; }

if wants sources; then
    start_server "$BACKEND"
    sleep 2
    memory "idle after start, $(ls target/plugins/*.wasm | wc -l) adapters loaded"
    urls=("http://127.0.0.1:$PORT/webhooks/$key")
    for n in $(seq 2 100); do
        urls+=("http://127.0.0.1:$PORT/webhooks/$(add_source "bench-$n" | json key)")
    done
    for count in 1 10 100; do
        measure sources "$count" $(printf -- '--url %s ' "${urls[@]:0:$count}")
    done
    memory "peak after the source runs (1 KiB bodies)"
fi

if wants body; then
    start_server "$BACKEND"
    for size in 1024 65536 1048576; do
        BODY=$size measure body "$size" --url "http://127.0.0.1:$PORT/webhooks/$key"
    done
    memory "peak after the body-size runs"
fi

if wants destinations; then
    start_server "$BACKEND"
    url="http://127.0.0.1:$PORT/webhooks/$key"
    measure destinations 0 --url "$url"
    added=0
    for count in 1 10; do
        while ((added < count)); do
            api POST /api/v1/destinations "{\"name\":\"sink-$added\",\"kind\":\"http\",\
\"url\":\"http://127.0.0.1:$PORT/noop\",\"source_ids\":[\"$source_id\"]}" >/dev/null
            added=$((added + 1))
        done
        measure destinations "$count" --url "$url"
    done
    memory "peak after the destination runs"
fi

python3 - "$dir/results" "$BACKEND" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
print(f"Backend: {sys.argv[2]}\n")
print("| dimension | value | max req/s | errors | p50 / p99 ms at saturation | half max: rate, p50 / p99 / p99.9 ms |")
print("|---|---|---|---|---|---|")
for row in (r for r in rows if "dimension" in r):
    m, h = row["max"], row["half"]
    errors = sum(m["errors"].values()) + sum(h["errors"].values())
    print(f"| {row['dimension']} | {row['value']} | {m['achieved_rate']:.0f} | {errors} "
          f"| {m['p50_ms']:.2f} / {m['p99_ms']:.2f} | {h['target_rate']:.0f}: "
          f"{h['p50_ms']:.2f} / {h['p99_ms']:.2f} / {h['p999_ms']:.2f} |")
print("\n| memory | RSS MiB | peak RSS MiB |\n|---|---|---|")
for row in (r for r in rows if "memory" in r):
    print(f"| {row['memory']} | {row['rss_kib'] / 1024:.0f} | {row['peak_kib'] / 1024:.0f} |")
PY
