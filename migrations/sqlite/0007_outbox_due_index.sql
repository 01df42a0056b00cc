-- The drainer's two questions, per destination: its due rows in (due_at,
-- seq) order (the claim) and its earliest due row (when to look again).
-- Before this index the second was a scan of every pending row of every
-- destination after each claim pass: with a 50,000-row backlog the drain
-- spent most of its time there (bench/delivery.sh, BENCHMARKS.md).
CREATE INDEX deliveries_due_by_destination ON deliveries (destination_id, state, due_at);
