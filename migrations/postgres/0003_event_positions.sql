-- The transaction that stored each event, so the event feed can be read in
-- an order no later commit falls behind: by (xid, seq), up to the oldest
-- transaction still running (see EventCursor in host/src/store/events.rs).
-- Rows stored before this migration share its transaction id.
ALTER TABLE events ADD COLUMN xid xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX events_by_position ON events (xid, seq);
