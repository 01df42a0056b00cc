#!/usr/bin/env bash
# End-to-end ingest benchmark on loopback, open loop, baseline in the same run.
#
# Starts the release binary with the bundled adapters on a fresh SQLite file,
# creates a GitHub source, then drives with bench/loadgen:
#   1. the no-op route (/noop: reads the body, answers JSON) at saturation,
#   2. durable verified ingest (/webhooks/KEY: HMAC verify in the adapter,
#      dedup, group commit with fsync) at saturation,
#   3. ingest at a fixed rate of half its maximum, for the latency percentiles.
# Every request is unique and correctly signed (1 KiB body). Results are
# printed as a Markdown table for BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
BODY=${BODY:-1024}
PORT=${PORT:-18080}
BIN=${BIN:-target/release/hookyard}   # another build to compare (A/B)
TOKEN=bench-token
SECRET=bench-secret

cargo build --release --locked -p loadgen
dir=$(mktemp -d)
HOOKYARD_ADMIN_TOKEN=$TOKEN HOOKYARD_LOG=warn "$BIN" serve \
    --listen "127.0.0.1:$PORT" --database "sqlite://$dir/bench.db" --plugins target/plugins \
    >"$dir/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done

key=$(curl -sf -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d "{\"name\":\"bench\",\"preset\":\"github\",\"secrets\":[\"$SECRET\"]}" \
    "http://127.0.0.1:$PORT/api/v1/sources" | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')

load() {
    target/release/loadgen --json --duration "$DURATION" --warmup 2 --connections "$CONNECTIONS" \
        --body-size "$BODY" --sign github --secret "$SECRET" "$@"
}
field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }

noop=$(load --url "http://127.0.0.1:$PORT/noop" --rate 0)
ingest=$(load --url "http://127.0.0.1:$PORT/webhooks/$key" --rate 0)
noop_rate=$(field "$noop" achieved_rate)
ingest_rate=$(field "$ingest" achieved_rate)
half=$(python3 -c "print(int(float('$ingest_rate') / 2))")
paced=$(load --url "http://127.0.0.1:$PORT/webhooks/$key" --rate "$half")

python3 - "$noop" "$ingest" "$paced" <<'PY'
import json, sys
noop, ingest, paced = (json.loads(a) for a in sys.argv[1:4])
ratio = ingest["achieved_rate"] / noop["achieved_rate"]
print("| run | rate (req/s) | ok | errors | p50 ms | p99 ms | p99.9 ms |")
print("|---|---|---|---|---|---|---|")
for name, r in (("no-op route, saturation", noop), ("durable ingest, saturation", ingest),
                (f"durable ingest at {paced['target_rate']:.0f} req/s (half max)", paced)):
    print(f"| {name} | {r['achieved_rate']:.0f} | {r['ok']} | {sum(r['errors'].values())} | "
          f"{r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {r['p999_ms']:.2f} |")
print(f"\ningest / no-op throughput: {ratio:.0%} (target >= 40%)")
print(f"p99 at half the maximum rate: {paced['p99_ms']:.2f} ms (target <= 5 ms)")
PY
