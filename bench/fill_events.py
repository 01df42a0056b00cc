"""Fills a Hookyard SQLite database with N stored events, for the operations
benchmark (bench/operations.sh): what a busy server holds after a while,
written straight into the file (the server must be stopped).

Usage: fill_events.py FILE SOURCE_ID N DAYS_OLD
Each event has ~1 KiB of data, like the benchmark's requests, and a receipt
time DAYS_OLD days ago (spread over one hour).
"""
import json
import os
import sqlite3
import sys
import time

path, source_id, n, days_old = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
now_ms = int(time.time() * 1000)
base = now_ms - int(days_old * 86_400_000)
data = json.dumps({"ref": "refs/heads/main", "padding": "x" * 1000})
conn = sqlite3.connect(path)
conn.execute("PRAGMA synchronous = OFF")
batch = 10_000
for start in range(0, n, batch):
    rows = []
    for i in range(start, min(n, start + batch)):
        rows.append((f"evt_fill_{i:09d}", source_id, "push", f"fill-{i}", "acme/bench",
                     base + i * 3600_000 // n, base + i * 3600_000 // n, "github", "fill", "fill",
                     f"req_fill_{i:09d}", data))
    conn.executemany(
        "INSERT INTO events (id, source_id, type, dedup_id, subject, occurred_at, received_at,"
        " plugin, plugin_version, plugin_hash, request_id, data)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.commit()
conn.close()
print(f"{n} events in {path} ({os.path.getsize(path) / 1e6:.0f} MB)")
