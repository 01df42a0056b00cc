#!/usr/bin/env bash
# The console's overview, GET /api/v1/stats, over a big database: ROWS
# request-log rows spread over the last day (10 sources; 90 % accepted, 5 %
# duplicate, 5 % rejected with a bad signature), as many events, and 100,000
# deliveries (a tenth pending, a hundredth dead, held by a disabled
# destination). The rows go in with SQL, not through HTTP; the per-minute
# counts are then computed from them once, as the group commit would have kept
# them (and the events per source). Then RUNS timed calls of each window (curl's total time, loopback),
# and for comparison the scan of the log the counts replace.
#
#   bench/stats.sh                                   # SQLite file in a temp dir
#   DATABASE=postgres://postgres@127.0.0.1:5432/hookyard_bench_stats bench/stats.sh
#
# A PostgreSQL database named by DATABASE is dropped and created again:
# name a scratch one.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-1000000}
RUNS=${RUNS:-20}
PORT=${PORT:-18082}
BIN=${BIN:-target/release/hookyard}
DATABASE=${DATABASE:-sqlite}
dir=$(mktemp -d)
export HOOKYARD_MASTER_KEY=$("$BIN" master-key)
server=
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
    rm -rf "$dir"
}
trap cleanup EXIT

if [ "$DATABASE" = sqlite ]; then
    url="sqlite://$dir/bench.db"
    sql() { python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(sys.stdin.read()); c.commit()' "$dir/bench.db"; }
    timed_sql() { python3 -c 'import sqlite3,sys,time; c=sqlite3.connect(sys.argv[1]); q=sys.stdin.read(); t=time.perf_counter(); c.execute(q).fetchall(); print("%.1f ms" % ((time.perf_counter()-t)*1000))' "$dir/bench.db"; }
else
    url=$DATABASE
    name=${DATABASE##*/}
    admin=${DATABASE%/*}/postgres
    psql -q "$admin" -c "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name"
    sql() { psql -q -v ON_ERROR_STOP=1 "$url" >/dev/null; }
    timed_sql() { (echo '\timing on'; cat) | psql -qAt "$url" | grep -o 'Time: .*'; }
fi

start() {
    HOOKYARD_ADMIN_TOKEN=bench HOOKYARD_LOG=warn "$BIN" serve --listen "127.0.0.1:$PORT" \
        --database "$url" --plugins target/plugins --cache-dir "$dir/cache" \
        --versions-dir "$dir/versions" >>"$dir/server.log" 2>&1 &
    server=$!
    until curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null; do
        kill -0 "$server" 2>/dev/null || { cat "$dir/server.log"; exit 1; }
        sleep 0.05
    done
}
stop() { kill "$server"; wait "$server" 2>/dev/null || true; server=; }
api() { curl -sf -H 'Authorization: Bearer bench' -H 'content-type: application/json' "$@"; }

# Migrate, and a destination to hold the deliveries (disabled: nothing is sent).
start
destination=$(api -d '{"name":"held","kind":"nats","url":"nats://127.0.0.1:4222","subject":"x"}' \
    "http://127.0.0.1:$PORT/api/v1/destinations" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
api -X PATCH -d '{"enabled":false}' "http://127.0.0.1:$PORT/api/v1/destinations/$destination" >/dev/null
stop

now=$(($(date +%s) * 1000))
echo "filling: $ROWS request-log rows and events, 100000 deliveries ($DATABASE)"
started=$(date +%s)
if [ "$DATABASE" = sqlite ]; then
    numbers="WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $ROWS)"
    series="n"
else
    numbers=""
    series="generate_series(1, $ROWS) AS n(i)"
fi
sql <<SQL
$numbers
INSERT INTO requests (id, source_id, received_at, method, path, query, outcome, reason, status,
                      latency_us, event_count)
SELECT 'req_b' || i, 'src_' || (i % 10), $now - (CAST(i AS BIGINT) * 86400000 / $ROWS), 'POST', '/webhooks/wh_x', '',
       CASE WHEN i % 20 = 0 THEN 'rejected' WHEN i % 20 = 1 THEN 'duplicate' ELSE 'accepted' END,
       CASE WHEN i % 20 = 0 THEN 'bad_signature: the signature does not match' END,
       200, 100, 1
FROM $series;
$numbers
INSERT INTO events (id, source_id, type, dedup_id, received_at, plugin, plugin_version,
                    plugin_hash, request_id, data)
SELECT 'evt_b' || i, 'src_' || (i % 10), 'push', 'd' || i, $now - (CAST(i AS BIGINT) * 86400000 / $ROWS),
       'github', '1.0.0', 'h', 'req_b' || i, '{}'
FROM $series;
INSERT INTO deliveries (id, event_id, destination_id, state, due_at, first_at)
SELECT 'dlv_' || id, id, '$destination',
       CASE WHEN seq % 100 = 0 THEN 'dead' WHEN seq % 10 = 0 THEN 'pending' ELSE 'delivered' END,
       $now, $now
FROM events WHERE seq <= 100000;
DELETE FROM request_counts;
INSERT INTO request_counts (minute, source_id, outcome, n)
SELECT received_at / 60000, COALESCE(source_id, ''),
       CASE WHEN outcome = 'rejected' THEN 'bad_signature' ELSE outcome END, COUNT(*)
FROM requests GROUP BY 1, 2, 3;
DELETE FROM event_counts;
INSERT INTO event_counts (source_id, n) SELECT source_id, COUNT(*) FROM events GROUP BY source_id;
ANALYZE;
SQL
echo "filled in $(($(date +%s) - started)) s"

start
for window in hour day; do
    api "http://127.0.0.1:$PORT/api/v1/stats?window=$window" >/dev/null # warm
    times=()
    for _ in $(seq "$RUNS"); do
        times+=("$(api -o /dev/null -w '%{time_total}' "http://127.0.0.1:$PORT/api/v1/stats?window=$window")")
    done
    sorted=$(printf '%s\n' "${times[@]}" | sort -n)
    echo "GET /api/v1/stats?window=$window: median $(echo "$sorted" | sed -n "$(((RUNS + 1) / 2))p") s, max $(echo "$sorted" | tail -1) s over $RUNS calls"
done
api "http://127.0.0.1:$PORT/api/v1/stats?window=day" | python3 -c '
import json, sys
s = json.load(sys.stdin)
print("day totals:", s["totals"], "events_stored:", s["events_stored"],
      "outbox_pending:", s["outbox_pending"], "dead_letters:", s["dead_letters"])'
stop
echo -n "counting the events instead of reading event_counts would take: "
echo "SELECT COUNT(*) FROM events" | timed_sql
echo -n "and the deliveries by state: "
echo "SELECT COUNT(*) FROM deliveries WHERE state = 'pending'" | timed_sql
echo -n "for comparison, the day's counts by scanning the log: "
timed_sql <<SQL
SELECT received_at / 60000, outcome, COUNT(*) FROM requests
WHERE received_at >= $now - 86400000 GROUP BY 1, 2
SQL
