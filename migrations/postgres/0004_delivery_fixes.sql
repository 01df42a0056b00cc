-- A requeued dead letter keeps its attempt count, so its attempt log goes on
-- numbering where it stopped (attempts are keyed by (delivery_id, attempt));
-- the retry schedule counts the attempts made since the requeue instead.
ALTER TABLE deliveries ADD COLUMN retry_base BIGINT NOT NULL DEFAULT 0;

-- What the receiver answered, so an operator sees why it said 500: its
-- status line and the first KiB of its body (NULL when it did not answer).
ALTER TABLE delivery_attempts ADD COLUMN response_status_line TEXT;
ALTER TABLE delivery_attempts ADD COLUMN response_body TEXT;
