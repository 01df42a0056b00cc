"""Module-level import cycles of the hookyard crate.

    cargo install cargo-modules --version 0.27.0 --locked   # the newest for rustc 1.95
    cargo modules dependencies --lib -p hookyard --no-externs --no-sysroot \\
        | python3 tools/module_cycles.py

`cargo modules dependencies --acyclic` reports cycles between items (a type
and its own methods), so this collapses its graph to modules instead.

Each item is attributed to the module that owns it; a `uses` edge between
items of two modules is an import from the first module to the second. A
parent and its child module importing each other count (as the issue's
`api/secrets.rs` <-> `api/sources.rs`), except an edge to an ancestor's
re-export of a child item is resolved to the child. Prints every strongly
connected component with more than one module."""
import re, sys
from collections import defaultdict
nodes, owns, uses = {}, [], []
for line in sys.stdin:
    m = re.match(r'\s*"([^"]+)" \[label="([^|"]+)\|', line)
    if m:
        nodes[m.group(1)] = m.group(2)
        continue
    m = re.match(r'\s*"([^"]+)" -> "([^"]+)" \[label="(\w+)"', line)
    if m:
        (owns if m.group(3) == "owns" else uses).append((m.group(1), m.group(2)))
parent = {child: p for p, child in owns}
is_mod = lambda n: nodes.get(n, "").endswith("mod") or nodes.get(n, "") == "crate"
def module_of(n):
    while n in parent and not is_mod(n):
        n = parent[n]
    return n
graph = defaultdict(set)
for a, b in uses:
    ma, mb = module_of(a), module_of(b)
    if ma != mb and not mb.startswith(ma + "::") and not ma.startswith(mb + "::"):
        graph[ma].add(mb)
    elif ma != mb:
        graph[ma].add(mb)
# Tarjan
index, low, stack, on, comps, i = {}, {}, [], set(), [], [0]
sys.setrecursionlimit(10000)
def strong(v):
    index[v] = low[v] = i[0]; i[0] += 1; stack.append(v); on.add(v)
    for w in graph[v]:
        if w not in index:
            strong(w); low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop(); on.discard(w); comp.append(w)
            if w == v: break
        if len(comp) > 1: comps.append(sorted(comp))
for v in list(graph):
    if v not in index: strong(v)
for c in comps:
    print("cycle:", " <-> ".join(c))
    for a in c:
        print("   ", a, "->", sorted(x for x in graph[a] if x in c))
print(f"{len(comps)} cycles among {len(graph)} importing modules")
sys.exit(1 if comps else 0)
