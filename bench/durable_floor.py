#!/usr/bin/env python3
"""The latency floor of durable acknowledgement on this machine's disk.

An ideal group-commit server, with no CPU cost at all: requests arrive open
loop at --rate per second, and one writer, as soon as it is free, writes one
4 KiB page per waiting request to a preallocated log file and fdatasync()s
it; a request's latency runs from its scheduled arrival to the end of the
sync that made it durable. Nothing real can answer a durable request faster
on the same disk, so its percentiles, measured in the same run as the server
(bench/ingest.sh), separate what the disk costs from what Hookyard adds.

Prints one JSON object with the same fields as bench/loadgen's --json.
"""
import argparse
import json
import os
import time

PAGE = 4096
LOG_BYTES = 4 << 20  # about the WAL SQLite keeps between checkpoints here


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, required=True, help="requests per second")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds")
    parser.add_argument("--dir", required=True, help="a folder on the disk under test")
    args = parser.parse_args()

    path = os.path.join(args.dir, "durable-floor.log")
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    page = os.urandom(PAGE)
    os.pwrite(fd, b"\0" * LOG_BYTES, 0)  # written, not sparse: no allocation later
    os.fsync(fd)
    latencies, syncs, offset, done = [], 0, 0, 0
    total = int(args.rate * args.duration)
    start = time.perf_counter()
    while done < total:
        now = time.perf_counter()
        arrived = min(total, int((now - start) * args.rate) + 1)
        if arrived <= done:
            time.sleep(start + done / args.rate - now)
            continue
        for _ in range(arrived - done):
            if offset + PAGE > LOG_BYTES:
                offset = 0
            os.pwrite(fd, page, offset)
            offset += PAGE
        os.fdatasync(fd)
        syncs += 1
        end = time.perf_counter()
        latencies += [end - (start + i / args.rate) for i in range(done, arrived)]
        done = arrived
    elapsed = time.perf_counter() - start
    os.close(fd)
    os.unlink(path)

    latencies.sort()
    quantile = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1e3
    print(json.dumps({
        "target_rate": args.rate,
        "achieved_rate": total / elapsed,
        "ok": total,
        "errors": {},
        "syncs": syncs,
        "p50_ms": quantile(0.5),
        "p99_ms": quantile(0.99),
        "p999_ms": quantile(0.999),
        "max_ms": latencies[-1] * 1e3,
    }))


if __name__ == "__main__":
    main()
