#!/usr/bin/env bash
# End-to-end ingest benchmark on loopback, open loop, baseline in the same run.
#
# Starts the release binary with the bundled adapters on a fresh SQLite file,
# creates a GitHub source, then drives with bench/loadgen:
#   1. the no-op route (/noop: reads the body, answers JSON) at saturation,
#   2. durable verified ingest (/webhooks/KEY: HMAC verify in the adapter,
#      dedup, group commit with fsync) at saturation,
#   3. ingest at a fixed rate of half its maximum, for the latency percentiles,
#   4. the disk floor at that rate (bench/durable_floor.py): what an ideal
#      group-commit server with no CPU cost would answer on the same disk.
# Every request is unique and correctly signed (1 KiB body). Results are
# printed as a Markdown table for BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
BODY=${BODY:-1024}
PORT=${PORT:-18080}
BIN=${BIN:-target/release/hookyard}   # another build to compare (A/B)

. bench/lib.sh
start_server

noop=$(load --url "http://127.0.0.1:$PORT/noop" --rate 0)
ingest=$(load --url "http://127.0.0.1:$PORT/webhooks/$key" --rate 0)
half=$(json achieved_rate <<<"$ingest" | python3 -c "print(int(float(input()) / 2))")
paced=$(load --url "http://127.0.0.1:$PORT/webhooks/$key" --rate "$half")
floor=$(floor "$half")

python3 - "$noop" "$ingest" "$paced" "$floor" <<'PY'
import json, sys
noop, ingest, paced, floor = (json.loads(a) for a in sys.argv[1:5])
ratio = ingest["achieved_rate"] / noop["achieved_rate"]
print("| run | rate (req/s) | ok | errors | p50 ms | p99 ms | p99.9 ms |")
print("|---|---|---|---|---|---|---|")
for name, r in (("no-op route, saturation", noop), ("durable ingest, saturation", ingest),
                (f"durable ingest at {paced['target_rate']:.0f} req/s (half max)", paced),
                (f"disk floor at {floor['target_rate']:.0f} req/s (bench/durable_floor.py)", floor)):
    print(f"| {name} | {r['achieved_rate']:.0f} | {r['ok']} | {sum(r['errors'].values())} | "
          f"{r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {r['p999_ms']:.2f} |")
print(f"\ningest / no-op throughput: {ratio:.0%} (target >= 40%)")
print(f"p99 at half the maximum rate: {paced['p99_ms']:.2f} ms (target <= 5 ms); "
      f"disk floor at that rate: {floor['p99_ms']:.2f} ms")
PY
