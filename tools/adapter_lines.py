#!/usr/bin/env python3
"""Rust code lines per adapter (`plugins/*/src/**/*.rs`), catalog data lines
(`plugins/*/events.txt`), and their medians.

A code line is a line that is not blank and not a comment (`//`, `///`,
`//!`, or inside `/* */`), outside `#[cfg(test)]` modules. Run it on
`cargo fmt`-formatted sources (the repository's are). Only adapters with a
Cargo.toml count (not the JavaScript and Python ones).

    tools/adapter_lines.py              # the working tree
    tools/adapter_lines.py --rev HEAD~3 # as of a commit (git show)
    tools/adapter_lines.py --compare REV  # REV, the working tree, and the change

Columns:
- `rust`: every code line of the adapter's Rust sources, manifest included.
- `tables`: of those, the lines of `&[(&str, &str)]` constants (event
  catalogs before they moved to `events.txt`, which rustfmt spreads over four
  lines an entry; lookup tables such as Meta's messaging fields). Context
  only: they are counted in `rust`.
- `catalog`: entries of the event catalog file `events.txt` (lines that are
  not blank and not `#` comments; one event type a line), data and not code,
  so not in `rust`.

Brace counting for the skipped test modules ignores braces in strings and
comments that are unbalanced on their own; adapters' tests have none.
"""

import argparse
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def code_lines(text, tables_only=False):
    count = 0
    in_catalog = False
    in_block = False
    skip_depth = None  # brace depth while inside a #[cfg(test)] module
    pending_cfg_test = False
    for raw in text.splitlines():
        line = raw.strip()
        if in_block:
            if "*/" in line:
                in_block = False
                line = line.split("*/", 1)[1].strip()
            else:
                continue
        if skip_depth is not None:
            skip_depth += raw.count("{") - raw.count("}")
            if skip_depth <= 0 and "}" in raw:
                skip_depth = None
            continue
        if not line or line.startswith("//"):
            continue
        if line.startswith("/*"):
            if "*/" not in line:
                in_block = True
            continue
        if line == "#[cfg(test)]":
            pending_cfg_test = True
            continue
        if line.startswith(("const ", "pub const ")) and "&[(&str, &str)]" in line:
            in_catalog = not line.endswith("];")
            count += 1
            continue
        if in_catalog:
            in_catalog = line != "];"
            count += 1
            continue
        if tables_only:
            continue
        if pending_cfg_test:
            pending_cfg_test = False
            if line.startswith(("mod ", "pub mod ")) and line.endswith("{"):
                skip_depth = raw.count("{") - raw.count("}")
                continue
            count += 1  # the attribute on something else
        count += 1
    return count


def catalog_lines(name, rev):
    """Entries in plugins/<name>/events.txt (0 when there is none)."""
    path = f"plugins/{name}/events.txt"
    if rev is None:
        try:
            with open(os.path.join(ROOT, path), encoding="utf-8") as fh:
                text = fh.read()
        except FileNotFoundError:
            return 0
    else:
        shown = subprocess.run(
            ["git", "-C", ROOT, "show", f"{rev}:{path}"], capture_output=True, text=True,
        )
        if shown.returncode != 0:
            return 0
        text = shown.stdout
    return sum(1 for line in text.splitlines() if line.strip() and not line.startswith("#"))


def adapters():
    plugins = os.path.join(ROOT, "plugins")
    return sorted(
        d for d in os.listdir(plugins) if os.path.isfile(os.path.join(plugins, d, "Cargo.toml"))
    )


def sources(name, rev):
    src = f"plugins/{name}/src"
    if rev is None:
        for dirpath, _, files in os.walk(os.path.join(ROOT, src)):
            for f in files:
                if f.endswith(".rs"):
                    with open(os.path.join(dirpath, f), encoding="utf-8") as fh:
                        yield fh.read()
        return
    listing = subprocess.run(
        ["git", "-C", ROOT, "ls-tree", "-r", "--name-only", rev, src],
        check=True, capture_output=True, text=True,
    ).stdout.split()
    for path in listing:
        if path.endswith(".rs"):
            yield subprocess.run(
                ["git", "-C", ROOT, "show", f"{rev}:{path}"],
                check=True, capture_output=True, text=True,
            ).stdout


def counts(rev, tables_only=False):
    return {
        name: sum(code_lines(t, tables_only) for t in sources(name, rev)) for name in adapters()
    }


def catalogs(rev):
    return {name: catalog_lines(name, rev) for name in adapters()}


def median(values):
    return statistics.median(values.values())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rev", help="count the sources of this git revision")
    parser.add_argument("--compare", metavar="REV", help="before (REV) and after (working tree)")
    args = parser.parse_args()
    if args.compare:
        before, after = counts(args.compare), counts(None)
        tb, ta = counts(args.compare, tables_only=True), counts(None, tables_only=True)
        cb, ca = catalogs(args.compare), catalogs(None)
        print(f"{'':<20} {'---- before ----':>24} {'---- after -----':>24}")
        print(f"{'adapter':<20} {'rust':>6} {'tables':>7} {'catalog':>8} "
              f"{'rust':>6} {'tables':>7} {'catalog':>8} {'rust +/-':>9}")
        for name in after:
            b, a = before.get(name, 0), after[name]
            print(f"{name:<20} {b:>6} {tb.get(name, 0):>7} {cb.get(name, 0):>8} "
                  f"{a:>6} {ta[name]:>7} {ca[name]:>8} {a - b:>+9}")
        mb, ma = median(before), median(after)
        print(f"{'median':<20} {mb:>6g} {median(tb):>7g} {median(cb):>8g} "
              f"{ma:>6g} {median(ta):>7g} {median(ca):>8g} {ma - mb:>+9g}")
        return
    table, tables, catalog = counts(args.rev), counts(args.rev, tables_only=True), catalogs(args.rev)
    print(f"{'adapter':<20} {'rust':>5} {'tables':>7} {'catalog':>8}")
    for name, n in table.items():
        print(f"{name:<20} {n:>5} {tables[name]:>7} {catalog[name]:>8}")
    print(f"{'median':<20} {median(table):>5g} {median(tables):>7g} {median(catalog):>8g}")


if __name__ == "__main__":
    sys.exit(main())
