#!/usr/bin/env bash
# Delivery benchmark: outbox drain throughput and the time from commit to the
# first attempt, with the sink's own capacity measured in the same run.
#
# Starts the release binary (bench/lib.sh) with one HTTP destination whose
# sink is the server's own /noop route (signed CloudEvents POSTs over
# loopback, MAX_IN_FLIGHT concurrent attempts), then:
#   1. the sink alone at saturation (loadgen to /noop): the baseline,
#   2. a backlog: signed GitHub deliveries are ingested at saturation before
#      the destination exists; it is created disabled and the source's
#      events are replayed to it, so their outbox rows wait; then it is
#      enabled and the drain is timed from the database (first attempt to
#      last `delivered_at`): deliveries per second,
#   3. with the destination enabled, ingest at fixed rates (RATES, req/s;
#      `half` = half the drain rate) and, per rate, the percentiles of
#      (first attempt's start - the outbox row's write, which happens in the
#      event's commit transaction).
# Prints Markdown tables for BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
BODY=${BODY:-1024}
PORT=${PORT:-18082}
BIN=${BIN:-target/release/hookyard}
MAX_IN_FLIGHT=${MAX_IN_FLIGHT:-64}
RATES=${RATES:-1000 half}

. bench/lib.sh
start_server
db=${database_url#sqlite://}

# query SQL: one row of the benchmark database, read-only, comma-separated.
query() {
    python3 - "$db" "$1" <<'PY'
import sqlite3, sys
conn = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
print(",".join(str(v) for v in conn.execute(sys.argv[2]).fetchone()))
PY
}
wait_drained() {
    until [[ $(query "SELECT count(*) FROM deliveries WHERE state = 'pending'") == 0 ]]; do
        sleep 0.1
    done
}
now_ms() { date +%s%3N; }

sink=$(load --url "http://127.0.0.1:$PORT/noop" --rate 0)

load --url "http://127.0.0.1:$PORT/webhooks/$key" --rate 0 >/dev/null
destination=$(api POST /api/v1/destinations "{\"name\":\"sink\",\"kind\":\"http\",\
\"url\":\"http://127.0.0.1:$PORT/noop\",\"max_in_flight\":$MAX_IN_FLIGHT}" | json id)
api PATCH "/api/v1/destinations/$destination" '{"enabled":false}' >/dev/null
backlog=$(api POST "/api/v1/sources/$source_id/replay" \
    "{\"since\":\"2000-01-01T00:00:00Z\",\"destination_id\":\"$destination\"}" | json deliveries)
api PATCH "/api/v1/destinations/$destination" '{"enabled":true}' >/dev/null
wait_drained
drain=$(query "SELECT count(*), min(a.started_at), max(d.delivered_at)
    FROM deliveries d JOIN delivery_attempts a ON a.delivery_id = d.id AND a.attempt = 1
    WHERE d.state = 'delivered'")
dead=$(query "SELECT count(*) FROM deliveries WHERE state = 'dead'")

paced=()
for rate in $RATES; do
    if [[ $rate == half ]]; then
        rate=$(python3 -c "n, start, end = map(int, '$drain'.split(',')); print(int(n / (end - start) * 500))")
    fi
    since=$(now_ms)
    load --url "http://127.0.0.1:$PORT/webhooks/$key" --rate "$rate" >/dev/null
    wait_drained
    query "SELECT group_concat(a.started_at - d.first_at)
        FROM deliveries d JOIN delivery_attempts a ON a.delivery_id = d.id AND a.attempt = 1
        WHERE d.first_at >= $since" >"$dir/lags-$rate"
    paced+=("$rate")
done

python3 - "$dir" "$sink" "$backlog" "$drain" "$dead" "${paced[@]}" <<'PY'
import json, os, sys
folder = sys.argv.pop(1)
sink = json.loads(sys.argv[1])
backlog, dead = int(sys.argv[2]), int(sys.argv[4])
delivered, start, end = map(int, sys.argv[3].split(","))
rate = delivered / ((end - start) / 1000)
print("| run | deliveries | seconds | per second |")
print("|---|---|---|---|")
print(f"| sink alone (loadgen to /noop), saturation | {sink['ok']} | {sink['duration_s']:.1f} "
      f"| {sink['achieved_rate']:.0f} |")
print(f"| outbox drain of a {backlog}-row backlog | {delivered} | {(end - start) / 1000:.1f} | {rate:.0f} |")
print(f"\ndrain / sink alone: {rate / sink['achieved_rate']:.0%}; dead letters: {dead}; "
      f"target >= 5,000 deliveries/s: {'met' if rate >= 5000 else 'not met'}")
print("\n| ingest rate (req/s) | events (with warm-up) | commit to first attempt p50 ms | p99 ms | max ms |")
print("|---|---|---|---|---|")
for target in sys.argv[5:]:
    with open(os.path.join(folder, f"lags-{target}")) as f:
        lags = sorted(int(v) for v in f.read().strip().split(","))
    pick = lambda q: lags[min(len(lags) - 1, int(q * len(lags)))]
    print(f"| {target} | {len(lags)} | {pick(0.5)} | {pick(0.99)} | {lags[-1]} |")
PY
