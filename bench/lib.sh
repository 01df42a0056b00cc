# Shared by the benchmark scripts (sourced, not run): starts the release
# server on a fresh SQLite file with the bundled adapters, creates a signed
# GitHub source, and runs the open-loop load generator against it, so every
# script measures the same server setup the same way.
#
# Reads PORT, BIN, DURATION, CONNECTIONS, BODY; sets $dir, $server, and the
# source's $source_id and $key.
TOKEN=bench-token
SECRET=bench-secret
# The compile cache ./dev fills: the server starts without compiling adapters.
export HOOKYARD_CACHE_DIR=${HOOKYARD_CACHE_DIR:-$PWD/target/plugin-cache}

start_server() {
    cargo build --release --locked -p loadgen
    dir=$(mktemp -d)
    HOOKYARD_ADMIN_TOKEN=$TOKEN HOOKYARD_LOG=warn HOOKYARD_ALLOW_DESTINATION_NETWORKS=127.0.0.0/8 \
        "$BIN" serve --listen "127.0.0.1:$PORT" --database "sqlite://$dir/bench.db" \
        --plugins target/plugins >"$dir/server.log" 2>&1 &
    server=$!
    trap 'kill $server 2>/dev/null; rm -rf "$dir"' EXIT
    for _ in $(seq 600); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
    local source
    source=$(api POST /api/v1/sources "{\"name\":\"bench\",\"preset\":\"github\",\"secrets\":[\"$SECRET\"]}")
    source_id=$(json id <<<"$source")
    key=$(json key <<<"$source")
}

# api METHOD PATH [JSON]: a management call; prints the response body.
api() {
    curl -sf -X "$1" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
        ${3:+-d "$3"} "http://127.0.0.1:$PORT$2"
}

# json FIELD: reads one field of the JSON object on stdin.
json() { python3 -c "import json,sys; print(json.load(sys.stdin)[sys.argv[1]])" "$1"; }

# load [loadgen flags]: one run of signed requests; prints loadgen's JSON.
load() {
    target/release/loadgen --json --duration "$DURATION" --warmup 2 --connections "$CONNECTIONS" \
        --body-size "$BODY" --sign github --secret "$SECRET" "$@"
}
