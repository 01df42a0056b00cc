#!/usr/bin/env bash
# Instructions per adapter call, counted by valgrind's callgrind: repeatable
# for the same binary and inputs whatever else the machine does (timings here
# drift 2x from day to day). Each case runs twice, N and 2N calls
# (`host/examples/adapter_cost.rs`); the difference over N is one call's cost,
# so loading the adapter and starting the runtime cancel out.
#
#   bench/callgrind.sh            # N=200 for Rust, N_TWIN=40 for JavaScript/Python
#
# Needs ./dev setup (the adapters and their compile cache in target/).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-200}
N_TWIN=${N_TWIN:-40}
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

printf '%-28s %14s\n' "case" "instructions/call"
printf '%-28s %14s\n' "native github" "$(per_call "$N" native)"
for file in github.wasm shopify.wasm stripe.wasm shopify_js.wasm stripe_py.wasm; do
    [[ -f target/plugins/$file ]] || { echo "skipping $file: not built" >&2; continue; }
    n=$N
    [[ $file == *_js.wasm || $file == *_py.wasm ]] && n=$N_TWIN
    for mode in fresh reused; do
        printf '%-28s %14s\n' "$mode $file" "$(per_call "$n" "$mode" "$file")"
    done
done
