#!/usr/bin/env bash
# Console page timings with 100,000 stored events (BENCHMARKS.md): a server
# on a fresh SQLite file gets a Stripe source, a destination and one real
# signed event through the API; the event's row is then copied 99,999 times
# with SQL (received over the last day, in sequence order, as ingest would
# have stored them) while the server is stopped; then the browser tests'
# `tour` scenario (tests/console/console_test.py: Playwright and
# /usr/bin/chromium from ./dev setup) opens every page at 1280 and 390 px
# and prints, per page, the milliseconds from the route change to the page
# drawn with its lists loaded, as the browser measured them.
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS=${EVENTS:-100000}
PORT=${PORT:-18089}
BIN=${BIN:-target/release/hookyard}
TOKEN=bench-console-token
SECRET=whsec_bench_console
BASE=http://127.0.0.1:$PORT
dir=$(mktemp -d)
server=
cleanup() {
    [[ -n $server ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
    rm -rf "$dir"
}
trap cleanup EXIT

start() {
    HOOKYARD_ADMIN_TOKEN=$TOKEN HOOKYARD_LOG=warn "$BIN" serve --listen "127.0.0.1:$PORT" \
        --database "sqlite://$dir/hookyard.db" --plugins target/plugins \
        --cache-dir target/plugin-cache --versions-dir "$dir/versions" \
        --allow-destination-networks 127.0.0.0/8 >>"$dir/server.log" 2>&1 &
    server=$!
    until curl -sf "$BASE/healthz" >/dev/null; do
        kill -0 "$server" 2>/dev/null || { cat "$dir/server.log"; exit 1; }
        sleep 0.05
    done
}
stop() {
    kill "$server"
    wait "$server" 2>/dev/null || true
    server=
}
call() {
    curl -sf -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' "$@"
}

start
source=$(call -d "{\"name\":\"payments\",\"preset\":\"stripe\",\"secrets\":[\"$SECRET\"]}" "$BASE/api/v1/sources")
source_id=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])' <<<"$source")
source_url=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["url"])' <<<"$source")
destination=$(call -d '{"name":"sink","kind":"http","url":"http://127.0.0.1:9/nobody","event_types":["payment_intent.*"]}' "$BASE/api/v1/destinations")
destination_id=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])' <<<"$destination")
"$BIN" send --preset stripe --secret "$SECRET" --to "$source_url" \
    '{"id":"evt_bench_0","type":"payment_intent.succeeded","data":{"object":{"id":"pi_1","amount":2000,"currency":"eur"}}}' >/dev/null
sleep 1
stop

python3 - "$dir/hookyard.db" "$EVENTS" <<'PY'
import sqlite3, sys, time
db, total = sys.argv[1], int(sys.argv[2])
conn = sqlite3.connect(db)
now = int(time.time() * 1000)
step = 86_400_000 // total
conn.execute(
    """INSERT INTO events (id, source_id, type, dedup_id, subject, occurred_at, received_at,
                           plugin, plugin_version, plugin_hash, request_id, data)
       WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
       SELECT 'evt_bench_' || i, e.source_id, e.type, 'bench_' || i, e.subject, e.occurred_at,
              ? - (? - i) * ?, e.plugin, e.plugin_version, e.plugin_hash, e.request_id, e.data
       FROM n, (SELECT * FROM events LIMIT 1) e""",
    (total - 1, now, total, step),
)
conn.commit()
print(f"events stored: {conn.execute('SELECT COUNT(*) FROM events').fetchone()[0]}")
PY

start
event_id=$(call "$BASE/api/v1/events?source_id=$source_id&since=$(date -u -d '-2 minutes' +%FT%TZ)&limit=1" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["data"][0]["id"])')
delivery_id=$(call "$BASE/api/v1/deliveries?limit=1" | python3 -c 'import json,sys; d=json.load(sys.stdin)["data"]; print(d[0]["id"] if d else "none")')
ids="{\"source\":\"$source_id\",\"event\":\"$event_id\",\"destination\":\"$destination_id\",\"delivery\":\"$delivery_id\"}"
target/venv-test/bin/python tests/console/console_test.py tour --base "$BASE" --token "$TOKEN" \
    --ids "$ids" --shots "$dir/shots" | tail -1 | python3 -c '
import json, sys
seen = json.load(sys.stdin)
print("page                 1280px ms   390px ms")
narrow = seen["390"]["render_ms"]
for page, ms in seen["1280"]["render_ms"].items():
    print(f"{page:20} {ms:9} {narrow[page]:10}")
'
