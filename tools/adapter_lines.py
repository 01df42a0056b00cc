#!/usr/bin/env python3
"""Code lines per Rust adapter (`plugins/*/src/**/*.rs`), and their median.

A code line is a line that is not blank and not a comment (`//`, `///`,
`//!`, or inside `/* */`), outside `#[cfg(test)]` modules. Run it on
`cargo fmt`-formatted sources (the repository's are). Only adapters with a
Cargo.toml count (not the JavaScript and Python ones).

    tools/adapter_lines.py              # the working tree
    tools/adapter_lines.py --rev HEAD~3 # as of a commit (git show)
    tools/adapter_lines.py --compare REV  # REV, the working tree, and the change

The `catalog` column counts the code lines of event catalogs (constants of
type `&[(&str, &str)]`): data that rustfmt spreads over four lines an entry
when a description is long. It is part of the total, shown for context.

Brace counting for the skipped test modules ignores braces in strings and
comments that are unbalanced on their own; adapters' tests have none.
"""

import argparse
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def code_lines(text, catalog_only=False):
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
        if catalog_only:
            continue
        if pending_cfg_test:
            pending_cfg_test = False
            if line.startswith(("mod ", "pub mod ")) and line.endswith("{"):
                skip_depth = raw.count("{") - raw.count("}")
                continue
            count += 1  # the attribute on something else
        count += 1
    return count


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


def counts(rev, catalog_only=False):
    return {
        name: sum(code_lines(t, catalog_only) for t in sources(name, rev)) for name in adapters()
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rev", help="count the sources of this git revision")
    parser.add_argument("--compare", metavar="REV", help="before (REV) and after (working tree)")
    args = parser.parse_args()
    if args.compare:
        before, after = counts(args.compare), counts(None)
        catalog = counts(None, catalog_only=True)
        print(f"{'adapter':<20} {'before':>6} {'after':>6} {'change':>7} {'catalog':>8}")
        for name in after:
            b, a = before.get(name, 0), after[name]
            print(f"{name:<20} {b:>6} {a:>6} {a - b:>+7} {catalog[name]:>8}")
        mb, ma = statistics.median(before.values()), statistics.median(after.values())
        mc = statistics.median(catalog.values())
        print(f"{'median':<20} {mb:>6g} {ma:>6g} {ma - mb:>+7g} {mc:>8g}")
        return
    table, catalog = counts(args.rev), counts(args.rev, catalog_only=True)
    print(f"{'adapter':<20} {'lines':>5} {'catalog':>8}")
    for name, n in table.items():
        print(f"{name:<20} {n:>5} {catalog[name]:>8}")
    print(f"{'median':<20} {statistics.median(table.values()):>5g} {statistics.median(catalog.values()):>8g}")


if __name__ == "__main__":
    sys.exit(main())
