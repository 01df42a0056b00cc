#!/usr/bin/env bash
# Side by side: Hookyard on SQLite and on PostgreSQL against adnanh/webhook
# and against the no-op route of our own binary, same machine, same signed
# 1 KiB GitHub-style body, same open-loop load generator (bench/loadgen).
#
# adnanh/webhook (Debian package `webhook`) is what many users run instead:
# it checks the X-Hub-Signature-256 HMAC of the body, runs a command
# (/bin/true, started after it answers) and stores nothing. Hookyard does more
# per request: the HMAC is checked by the GitHub adapter in the sandbox, the
# event is deduplicated and committed durably (fsync on SQLite; a committed
# transaction on PostgreSQL) before the 200.
#
# Per system: throughput at saturation (closed loop, CONNECTIONS), then the
# latency percentiles at a fixed rate FIXED_RATE and at half the system's own
# maximum. Prints Markdown tables for BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
BODY=${BODY:-1024}
PORT=${PORT:-18084}
WEBHOOK_PORT=${WEBHOOK_PORT:-18085}
FIXED_RATE=${FIXED_RATE:-1000}
BIN=${BIN:-target/release/hookyard}
command -v webhook >/dev/null || { echo "needs adnanh/webhook: apt-get install webhook" >&2; exit 1; }

. bench/lib.sh

# measure NAME URL: the three runs of one system, one JSON line in $dir/results.
measure() {
    local max fixed paced
    max=$(load --url "$2" --rate 0)
    fixed=$(load --url "$2" --rate "$FIXED_RATE")
    paced=$(load --url "$2" --rate "$(half <<<"$max")")
    python3 -c 'import json, sys; print(json.dumps(dict(zip(("name", "max", "fixed", "half"),
        [sys.argv[1]] + [json.loads(a) for a in sys.argv[2:]]))))' "$1" "$max" "$fixed" "$paced" \
        >>"$dir/results"
}

start_server sqlite
measure "Hookyard no-op route (baseline)" "http://127.0.0.1:$PORT/noop"
measure "Hookyard, SQLite" "http://127.0.0.1:$PORT/webhooks/$key"
start_server postgres
measure "Hookyard, PostgreSQL" "http://127.0.0.1:$PORT/webhooks/$key"
stop_server

cat >"$dir/hooks.json" <<JSON
[{"id": "bench", "execute-command": "/bin/true", "response-message": "accepted",
  "trigger-rule-mismatch-http-response-code": 401,
  "trigger-rule": {"match": {"type": "payload-hmac-sha256", "secret": "$SECRET",
    "parameter": {"source": "header", "name": "X-Hub-Signature-256"}}}}]
JSON
webhook -hooks "$dir/hooks.json" -ip 127.0.0.1 -port "$WEBHOOK_PORT" >"$dir/webhook.log" 2>&1 &
peer=$!
trap 'kill $peer 2>/dev/null; cleanup' EXIT
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$WEBHOOK_PORT/" && break; sleep 0.1; done
measure "adnanh/webhook $(webhook -version | awk '{print $3}')" "http://127.0.0.1:$WEBHOOK_PORT/hooks/bench"

# The disk floor at SQLite's two fixed rates: an ideal durable server with no
# CPU cost (bench/durable_floor.py), to tell the disk's tail from ours.
sqlite_half=$(python3 -c 'import json, sys; print(json.loads(sys.stdin.readlines()[1])["half"]["target_rate"])' <"$dir/results")
python3 -c 'import json, sys; print(json.dumps({"name": sys.argv[1], "max": None,
    "fixed": json.loads(sys.argv[2]), "half": json.loads(sys.argv[3])}))' \
    "disk floor at SQLite's rates (ideal durable server)" "$(floor "$FIXED_RATE")" "$(floor "$sqlite_half")" \
    >>"$dir/results"

python3 - "$dir/results" "$FIXED_RATE" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
fixed_rate = sys.argv[2]
print("| system | max req/s | errors | at saturation p50 / p99 / p99.9 ms "
      f"| at {fixed_rate} req/s p50 / p99 / p99.9 ms | at half max: rate, p50 / p99 / p99.9 ms |")
print("|---|---|---|---|---|---|")
def pcts(r):
    return f"{r['p50_ms']:.2f} / {r['p99_ms']:.2f} / {r['p999_ms']:.2f}"
def errors(*runs):
    return sum(sum(r["errors"].values()) for r in runs)
for row in rows:
    m, f, h = row["max"], row["fixed"], row["half"]
    saturation = (f"{m['achieved_rate']:.0f} | {errors(m, f, h)} | {pcts(m)}" if m
                  else f"– | {errors(f, h)} | –")
    print(f"| {row['name']} | {saturation} | {pcts(f)} | {h['target_rate']:.0f}: {pcts(h)} |")
noop, sqlite, postgres, webhook, floor = rows
peer = webhook["max"]["achieved_rate"]
print()
print(f"- SQLite ingest / adnanh/webhook: {sqlite['max']['achieved_rate'] / peer:.1f}x (target >= 10x)")
print(f"- PostgreSQL ingest: {postgres['max']['achieved_rate']:.0f} req/s (target >= 5,000)")
print(f"- p99 at half max: SQLite {sqlite['half']['p99_ms']:.2f} ms, "
      f"PostgreSQL {postgres['half']['p99_ms']:.2f} ms (target < 10 ms); "
      f"disk floor at SQLite's half max {floor['half']['p99_ms']:.2f} ms")
print(f"- SQLite ingest / no-op route: {sqlite['max']['achieved_rate'] / noop['max']['achieved_rate']:.0%}")
PY
