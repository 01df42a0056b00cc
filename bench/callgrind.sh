#!/usr/bin/env bash
# Instructions per adapter call, counted by valgrind's callgrind: repeatable
# for the same binary and inputs whatever else the machine does (timings here
# drift 2x from day to day). Each case runs twice, N and 2N calls
# (`host/examples/adapter_cost.rs`); the difference over N is one call's cost,
# so loading the adapter and starting the runtime cancel out.
#
#   bench/callgrind.sh            # N=200 for Rust, N_TWIN=40 for JavaScript/Python
#   PART=adapters bench/callgrind.sh   # only the adapter calls (PART=server: only the server)
#   CASES='github|shopify\.' PART=adapters bench/callgrind.sh   # only the cases matching
#
# Then the whole durable request path: the server itself under callgrind
# (SQLite, only github.wasm), K and 3K signed requests sent one after another
# (bench/cost_requests.py), stopped with SIGTERM; the difference over 2K is
# what one request costs the server, HTTP to fsync'd commit (its timers run
# meanwhile too: the epoch tick, the drainer's idle poll; a few thousand
# instructions per request at most). With and without instance reuse.
#
# Needs ./dev setup (the adapters and their compile cache in target/).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-200}
N_TWIN=${N_TWIN:-40}
K=${K:-100}
PORT=${PORT:-18091}
# The server the second part counts (another build: SERVER=/tmp/hookyard-before).
SERVER=${SERVER:-target/release/hookyard}
command -v valgrind >/dev/null || { echo "valgrind is missing (apt install valgrind)" >&2; exit 1; }
cargo build --release --locked -p hookyard --example adapter_cost >&2
BIN=target/release/examples/adapter_cost

count() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$BIN" "$@" 2>&1 |
        awk '/Collected :/ { print $4 }'
}

# per_call CALLS ARGS...: instructions of one call.
per_call() {
    local n=$1 one two
    shift
    # Once first, under valgrind too (it shows the CPU's features
    # differently, so the compiled code differs): a component not in the
    # compile cache is compiled and stored there, not in a counted run.
    count "$@" 1 >/dev/null
    one=$(count "$@" "$n")
    two=$(count "$@" $((2 * n)))
    echo $(((two - one) / n))
}

PART=${PART:-all}
CASES=${CASES:-.}
printf '%-28s %14s\n' "case" "instructions/call"
if [[ $PART != server ]]; then
    [[ native =~ $CASES ]] && printf '%-28s %14s\n' "native github" "$(per_call "$N" native)"
    for file in github.wasm shopify.wasm stripe.wasm shopify_js.wasm stripe_py.wasm; do
        [[ $file =~ $CASES ]] || continue
        [[ -f target/plugins/$file ]] || { echo "skipping $file: not built" >&2; continue; }
        n=$N
        [[ $file == *_js.wasm || $file == *_py.wasm ]] && n=$N_TWIN
        for mode in fresh reused; do
            printf '%-28s %14s\n' "$mode $file" "$(per_call "$n" "$mode" "$file")"
        done
    done

    # The floor under every JavaScript adapter: bench/js-floor/adapter.js does
    # nothing (verify accepts, handle returns a fixed event), so its calls cost
    # only the engine componentize-js ships. Built with shopify-js's pinned
    # componentize-js, which ./dev setup installs.
    COMPONENTIZE_JS=plugins/shopify-js/node_modules/.bin/componentize-js
    if ! [[ js_floor =~ $CASES ]]; then
        :
    elif [[ -x $COMPONENTIZE_JS ]]; then
        mkdir -p target/bench
        if [[ ! target/bench/js_floor.wasm -nt bench/js-floor/adapter.js ]]; then
            "$COMPONENTIZE_JS" bench/js-floor/adapter.js --wit wit --world-name adapter-world \
                --disable stdio random clocks http fetch-event --out target/bench/js_floor.wasm >&2
        fi
        for mode in fresh reused; do
            printf '%-28s %14s\n' "$mode js_floor.wasm" "$(per_call "$N_TWIN" "$mode" "$PWD/target/bench/js_floor.wasm")"
        done
    else
        echo "skipping the JavaScript floor: $COMPONENTIZE_JS is missing (./dev setup)" >&2
    fi
fi

# server_count REUSE REQUESTS: the server's instructions, from start to stop.
server_count() {
    local work pid
    work=$(mktemp -d)
    mkdir "$work/plugins"
    cp target/plugins/github.wasm "$work/plugins/"
    HOOKYARD_ADMIN_TOKEN=cost HOOKYARD_LOG=warn HOOKYARD_CACHE_DIR=$PWD/target/plugin-cache \
        valgrind --tool=callgrind --callgrind-out-file=/dev/null "$SERVER" serve \
        --listen "127.0.0.1:$PORT" --database "sqlite://$work/cost.db" --plugins "$work/plugins" \
        --adapter-instances 2 --adapter-reuse "$1" 2>"$work/log" >/dev/null &
    pid=$!
    for _ in $(seq 600); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.5; done
    python3 bench/cost_requests.py "http://127.0.0.1:$PORT" cost "$2"
    kill -TERM "$pid"
    wait "$pid" || true
    awk '/Collected :/ { print $4 }' "$work/log"
    rm -rf "$work"
}

[[ $PART == adapters ]] && exit 0
cargo build --release --locked -p hookyard >&2
for reuse in 1 128; do
    server_count "$reuse" 1 >/dev/null # fills the compile cache for valgrind's CPU
    one=$(server_count "$reuse" "$K")
    three=$(server_count "$reuse" $((3 * K)))
    label="whole path, reuse $([[ $reuse == 1 ]] && echo off || echo on)"
    printf '%-28s %14s\n' "$label" $(((three - one) / (2 * K)))
done
