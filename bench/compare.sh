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
# maximum, and at saturation the CPU time each request costs the system and
# (for PostgreSQL) the database server. Prints Markdown tables for
# BENCHMARKS.md.
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

# cpu_us BEFORE AFTER LOADGEN_JSON: CPU µs per answered request.
cpu_us() {
    python3 -c 'import json, sys; print(round((int(sys.argv[2]) - int(sys.argv[1])) / int(sys.argv[4])
        / json.loads(sys.argv[3])["ok"] * 1e6, 1))' "$1" "$2" "$3" "$(getconf CLK_TCK)"
}

# measure NAME URL PID [postgres]: the three runs of one system, one JSON
# line in $dir/results. At saturation it also reads the CPU time per request
# of the system's process (PID) and, with `postgres`, of every PostgreSQL
# process (the pool's backends, the WAL writer, the checkpointer: they share
# the two cores with the server and the load generator).
measure() {
    local max fixed paced loader before_server before_db db_pids=()
    load --url "$2" --rate 0 >"$dir/max.json" &
    loader=$!
    sleep "$WARMUP" # lib.sh's load warms up this long before it measures
    [[ ${4:-} == postgres ]] && mapfile -t db_pids < <(pgrep -x postgres)
    before_server=$(ticks "$3")
    before_db=$(ticks "${db_pids[@]}")
    wait "$loader"
    max=$(cat "$dir/max.json")
    local server_cpu db_cpu
    server_cpu=$(cpu_us "$before_server" "$(ticks "$3")" "$max")
    db_cpu=$(cpu_us "$before_db" "$(ticks "${db_pids[@]}")" "$max")
    fixed=$(load --url "$2" --rate "$FIXED_RATE")
    paced=$(load --url "$2" --rate "$(half <<<"$max")")
    python3 -c 'import json, sys; row = dict(zip(("name", "max", "fixed", "half"),
        [sys.argv[1]] + [json.loads(a) for a in sys.argv[2:5]]))
row["cpu_us"] = [float(sys.argv[5]), float(sys.argv[6])]; print(json.dumps(row))' \
        "$1" "$max" "$fixed" "$paced" "$server_cpu" "$db_cpu" >>"$dir/results"
}

start_server sqlite
measure "Hookyard no-op route (baseline)" "http://127.0.0.1:$PORT/noop" "$server"
measure "Hookyard, SQLite" "http://127.0.0.1:$PORT/webhooks/$key" "$server"
start_server postgres
measure "Hookyard, PostgreSQL" "http://127.0.0.1:$PORT/webhooks/$key" "$server" postgres
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
measure "adnanh/webhook $(webhook -version | awk '{print $3}')" "http://127.0.0.1:$WEBHOOK_PORT/hooks/bench" "$peer"

# The disk floor at SQLite's two fixed rates: an ideal durable server with no
# CPU cost (bench/durable_floor.py), to tell the disk's tail from ours.
sqlite_half=$(python3 -c 'import json, sys; print(json.loads(sys.stdin.readlines()[1])["half"]["target_rate"])' <"$dir/results")
python3 -c 'import json, sys; print(json.dumps({"name": sys.argv[1], "max": None,
    "fixed": json.loads(sys.argv[2]), "half": json.loads(sys.argv[3]), "cpu_us": None}))' \
    "disk floor at SQLite's rates (ideal durable server)" "$(floor "$FIXED_RATE")" "$(floor "$sqlite_half")" \
    >>"$dir/results"

python3 - "$dir/results" "$FIXED_RATE" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
fixed_rate = sys.argv[2]
print("| system | max req/s | errors | CPU µs/request at saturation: system + database "
      "| at saturation p50 / p99 / p99.9 ms "
      f"| at {fixed_rate} req/s p50 / p99 / p99.9 ms | at half max: rate, p50 / p99 / p99.9 ms |")
print("|---|---|---|---|---|---|---|")
def pcts(r):
    return f"{r['p50_ms']:.2f} / {r['p99_ms']:.2f} / {r['p999_ms']:.2f}"
def errors(*runs):
    return sum(sum(r["errors"].values()) for r in runs)
for row in rows:
    m, f, h = row["max"], row["fixed"], row["half"]
    cpu = f"{row['cpu_us'][0]:.1f} + {row['cpu_us'][1]:.1f}" if row["cpu_us"] else "–"
    saturation = (f"{m['achieved_rate']:.0f} | {errors(m, f, h)} | {cpu} | {pcts(m)}" if m
                  else f"– | {errors(f, h)} | {cpu} | –")
    print(f"| {row['name']} | {saturation} | {pcts(f)} | {h['target_rate']:.0f}: {pcts(h)} |")
noop, sqlite, postgres, webhook, floor = rows
rate = lambda row: row["max"]["achieved_rate"]
print()
print("Issue 21's targets:")
print(f"- SQLite ingest / no-op route: {rate(sqlite) / rate(noop):.0%} (target >= 30 %)")
print(f"- SQLite ingest / adnanh/webhook: {rate(sqlite) / rate(webhook):.1f}x (target >= 3x)")
print(f"- PostgreSQL ingest / SQLite ingest: {rate(postgres) / rate(sqlite):.0%} (target >= 80 %)")
print(f"- p99 at half max: SQLite {sqlite['half']['p99_ms']:.2f} ms against the disk floor's "
      f"{floor['half']['p99_ms']:.2f} ms at the same rate (target <= 2x the floor); "
      f"PostgreSQL {postgres['half']['p99_ms']:.2f} ms (target <= 20 ms)")
PY
