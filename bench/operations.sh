#!/usr/bin/env bash
# Operations benchmark: backup and pruning on a database holding EVENTS
# stored events (default 1,000,000), and ingest latency with pruning running
# against without, in the same run. SQLite.
#   1. a fresh server with a GitHub source, stopped; EVENTS events written
#      into its file (bench/fill_events.py), 100 days old;
#   2. `hookyard backup` of that file while the server takes paced ingest
#      (RATE req/s), retention off;
#   3. ingest at RATE req/s, retention off;
#   4. ingest at RATE req/s while the server's first pruning pass deletes
#      the EVENTS events (event retention 90 days), and that pass's rows per
#      second from the server's log.
# Results are printed as Markdown for BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-16}
BODY=${BODY:-1024}
PORT=${PORT:-18080}
BIN=${BIN:-target/release/hookyard}
EVENTS=${EVENTS:-1000000}
RATE=${RATE:-1000}

. bench/lib.sh
start_server
stop_server
file=${database_url#sqlite://}
python3 bench/fill_events.py "$file" "$source_id" "$EVENTS" 100
off=(--event-retention-days 0 --request-retention-days 0 --raw-retention-days 0
    --delivery-retention-days 0 --audit-retention-days 0 --shadow-retention-days 0)
restart_server "${off[@]}"
url="http://127.0.0.1:$PORT/webhooks/$key"

load --url "$url" --rate "$RATE" >"$dir/during-backup.json" &
loader=$!
sleep 2
started=$(date +%s.%N)
"$BIN" backup --database "$database_url" --to "$dir/backup.db" | head -1
backup_s=$(python3 -c "import time; print(f'{time.time() - $started:.1f}')")
backup_mb=$(python3 -c "import os; print(f'{os.path.getsize(\"$dir/backup.db\") / 1e6:.0f}')")
wait "$loader"
during_backup=$(cat "$dir/during-backup.json")

without=$(load --url "$url" --rate "$RATE")
: >"$dir/server.log"
HOOKYARD_LOG=info restart_server --event-retention-days 90 --prune-every-seconds 3600 --log-format json
with=$(load --url "$url" --rate "$RATE")
for _ in $(seq 1200); do grep -q '"pages"' "$dir/server.log" && break; sleep 0.5; done
pass=$(grep -m1 '"kind":"events"' "$dir/server.log" || echo "{}")
pages=$(grep -m1 '"pages"' "$dir/server.log" || echo "{}")
wal_mb=$(python3 -c "import os; print(f'{os.path.getsize(\"$file-wal\") / 1e6:.0f}')")

python3 - "$EVENTS" "$backup_s" "$backup_mb" "$during_backup" "$without" "$with" "$pass" "$pages" "$wal_mb" <<'PY'
import json, os, sys
events, backup_s, backup_mb = int(sys.argv[1]), sys.argv[2], sys.argv[3]
during, without, with_, pass_line, pages = (json.loads(a) for a in sys.argv[4:9])
print(f"backup of {events:,} events: {backup_s} s, {backup_mb} MB")
if "rows" in pass_line:
    r, t = pass_line["rows"], pass_line["took_ms"]
    print(f"pruning pass: {r:,} events in {t / 1000:.1f} s = {r / (t / 1000):,.0f} rows/s; "
          f"{pages.get('pages', 0):,} free pages given back; WAL then {sys.argv[9]} MB")
else:
    print("pruning pass: no log line")
print()
print("| ingest at a fixed rate | rate (req/s) | ok | errors | p50 ms | p99 ms | p99.9 ms |")
print("|---|---|---|---|---|---|---|")
for name, r in (("while `hookyard backup` runs", during), ("retention off", without),
                ("while pruning runs", with_)):
    print(f"| {name} | {r['achieved_rate']:.0f} | {r['ok']} | {sum(r['errors'].values())} | "
          f"{r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {r['p999_ms']:.2f} |")
PY
