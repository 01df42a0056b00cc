-- Per-minute counts of the request log, for the stats the console charts:
-- written in the group-commit transaction that writes the log rows (one
-- upsert per key and batch), so they are exactly the log's, and read without
-- scanning the log. `minute` is epoch minutes; `source_id` is '' for a
-- request to no known source; `outcome` is the log's outcome, a rejection
-- counted under its reason code (`bad_signature`, ...).
CREATE TABLE request_counts (
    minute BIGINT NOT NULL,
    source_id TEXT NOT NULL,
    outcome TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (minute, source_id, outcome)
);
-- The log kept so far, counted once.
INSERT INTO request_counts (minute, source_id, outcome, n)
SELECT received_at / 60000, COALESCE(source_id, ''),
       CASE WHEN outcome <> 'rejected' THEN outcome
            WHEN reason LIKE 'missing_signature:%' THEN 'missing_signature'
            WHEN reason LIKE 'malformed:%' THEN 'malformed'
            WHEN reason LIKE 'bad_signature:%' THEN 'bad_signature'
            WHEN reason LIKE 'timestamp_out_of_tolerance:%' THEN 'timestamp_out_of_tolerance'
            ELSE 'unauthorized' END,
       COUNT(*)
FROM requests GROUP BY 1, 2, 3;
-- Events stored, per source, kept the same way (pruning takes off what it deletes):
-- counting a million events took 100 ms on PostgreSQL (BENCHMARKS.md).
CREATE TABLE event_counts (
    source_id TEXT PRIMARY KEY,
    n BIGINT NOT NULL
);
INSERT INTO event_counts (source_id, n) SELECT source_id, COUNT(*) FROM events GROUP BY source_id;
