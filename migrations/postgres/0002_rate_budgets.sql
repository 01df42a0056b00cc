-- Rate budgets shared by every replica, for sources whose limits say
-- "shared_rate": true. One GCRA "theoretical arrival time" per source, in
-- microseconds of the database's clock (one clock for every replica).
-- UNLOGGED: a budget is not worth a WAL write and an fsync per request; a
-- database crash empties the table, which refills the budgets, as a restart
-- does for the in-memory ones.
CREATE UNLOGGED TABLE rate_budgets (
    source_id TEXT PRIMARY KEY REFERENCES sources (id) ON DELETE CASCADE,
    tat_us BIGINT NOT NULL
);
