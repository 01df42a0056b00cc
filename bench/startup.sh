#!/usr/bin/env bash
# Start-up time: from launching `hookyard serve` with every bundled adapter in
# target/plugins to the first 200 from /healthz (the server listens only after
# every adapter is loaded and the database is migrated).
#
# The first run uses an empty compile cache (every adapter compiled by
# Cranelift: what a new release costs once); the next RUNS runs reuse the
# cache, as every later start does. Each run has a fresh SQLite file. Prints
# milliseconds per run and the median of the warm runs.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
PORT=${PORT:-18081}
BIN=${BIN:-target/release/hookyard}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

start_once() {
    local db=$dir/db-$RANDOM.db started elapsed
    started=$(date +%s%N)
    HOOKYARD_ADMIN_TOKEN=bench HOOKYARD_LOG=warn "$BIN" serve --listen "127.0.0.1:$PORT" \
        --database "sqlite://$db" --plugins target/plugins --cache-dir "$dir/cache" \
        --versions-dir "$dir/versions" >"$dir/server.log" 2>&1 &
    local server=$!
    until curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null; do
        kill -0 $server 2>/dev/null || { cat "$dir/server.log"; exit 1; }
        sleep 0.005
    done
    elapsed=$((($(date +%s%N) - started) / 1000000))
    kill $server
    wait $server 2>/dev/null || true
    echo "$elapsed"
}

adapters=$(ls target/plugins/*.wasm | wc -l)
echo "cold (empty compile cache), $adapters adapters: $(start_once) ms"
warm=()
for _ in $(seq "$RUNS"); do warm+=("$(start_once)"); done
echo "warm runs: ${warm[*]} ms"
echo "warm median: $(printf '%s\n' "${warm[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p") ms"
