# Shared by the benchmark scripts (sourced, not run): starts the release
# server with the bundled adapters on a fresh database (SQLite by default,
# or a fresh PostgreSQL database), creates a signed GitHub source, and runs
# the open-loop load generator against it, so every script measures the same
# server setup the same way.
#
# Reads PORT, BIN, DURATION, CONNECTIONS, BODY (and PG_URL, the server
# `start_server postgres` creates its database on); sets $dir, $server, the
# source's $source_id and $key, and $database_url.
TOKEN=bench-token
SECRET=bench-secret
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432/test}
# The compile cache ./dev fills: the server starts without compiling adapters.
export HOOKYARD_CACHE_DIR=${HOOKYARD_CACHE_DIR:-$PWD/target/plugin-cache}
cargo build --release --locked -p loadgen
dir=$(mktemp -d)
export HOOKYARD_MASTER_KEY=$("$BIN" master-key)
pg_databases=()
cleanup() {
    stop_server
    for name in "${pg_databases[@]}"; do psql -q "$PG_URL" -c "DROP DATABASE IF EXISTS $name" || true; done
    rm -rf "$dir"
}
trap cleanup EXIT

# start_server [sqlite|postgres]: a fresh database and a server on $PORT
# (stopping the one before), with one GitHub source.
start_server() {
    stop_server
    if [[ ${1:-sqlite} == postgres ]]; then
        local name=hookyard_bench_$$_${#pg_databases[@]}
        psql -q "$PG_URL" -c "CREATE DATABASE $name"
        pg_databases+=("$name")
        database_url=${PG_URL%/*}/$name
    else
        database_url=sqlite://$dir/bench-$RANDOM.db
    fi
    HOOKYARD_ADMIN_TOKEN=$TOKEN HOOKYARD_LOG=warn HOOKYARD_ALLOW_DESTINATION_NETWORKS=127.0.0.0/8 \
        "$BIN" serve --listen "127.0.0.1:$PORT" --database "$database_url" \
        --plugins target/plugins >>"$dir/server.log" 2>&1 &
    server=$!
    for _ in $(seq 600); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
    local source
    source=$(add_source bench)
    source_id=$(json id <<<"$source")
    key=$(json key <<<"$source")
}

# restart_server [FLAGS...]: the server again on the same database, with
# extra `serve` flags.
restart_server() {
    stop_server
    HOOKYARD_ADMIN_TOKEN=$TOKEN HOOKYARD_LOG=${HOOKYARD_LOG:-warn} HOOKYARD_ALLOW_DESTINATION_NETWORKS=127.0.0.0/8 \
        "$BIN" serve --listen "127.0.0.1:$PORT" --database "$database_url" \
        --plugins target/plugins "$@" >>"$dir/server.log" 2>&1 &
    server=$!
    for _ in $(seq 600); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
}

stop_server() {
    if [[ -n ${server:-} ]]; then
        kill "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
        server=
    fi
}

# add_source NAME: one more GitHub source signed with $SECRET; prints it.
add_source() {
    api POST /api/v1/sources "{\"name\":\"$1\",\"preset\":\"github\",\"secrets\":[\"$SECRET\"]}"
}

# api METHOD PATH [JSON]: a management call; prints the response body.
api() {
    curl -sf -X "$1" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
        ${3:+-d "$3"} "http://127.0.0.1:$PORT$2"
}

# json FIELD: reads one field of the JSON object on stdin.
json() { python3 -c "import json,sys; print(json.load(sys.stdin)[sys.argv[1]])" "$1"; }

# half: half of the achieved rate of the loadgen JSON on stdin.
half() { python3 -c "import json,sys; print(int(json.load(sys.stdin)['achieved_rate'] / 2))"; }

# rss_kib PID: the process's resident set now and its peak, in KiB ("now peak").
rss_kib() { awk '/^VmRSS/{now=$2} /^VmHWM/{peak=$2} END{print now, peak}' "/proc/$1/status"; }

# stat_ticks FILE: the user + system time in a /proc stat file (a process's
# or a thread's, with the children it has reaped), in clock ticks; 0 when the
# process is gone.
stat_ticks() { awk '{print $14 + $15 + $16 + $17}' "$1" 2>/dev/null || echo 0; }

# ticks PID...: the same, summed over these processes.
ticks() {
    local total=0 pid
    for pid in "$@"; do total=$((total + $(stat_ticks "/proc/$pid/stat"))); done
    echo "$total"
}

# floor RATE: the disk floor at RATE req/s, an ideal durable server with no
# CPU cost syncing to the disk under $dir (bench/durable_floor.py); prints
# JSON with loadgen's fields.
floor() { python3 bench/durable_floor.py --rate "$1" --duration "$DURATION" --dir "$dir"; }

# Seconds of load before each run's measured DURATION.
WARMUP=2

# load [loadgen flags]: one run of signed requests; prints loadgen's JSON.
load() {
    target/release/loadgen --json --duration "$DURATION" --warmup "$WARMUP" --connections "$CONNECTIONS" \
        --body-size "$BODY" --sign github --secret "$SECRET" "$@"
}
