-- Ingest screening, review and the answer views on PostgreSQL (the file store has them in
-- memory and in new_data/review.jsonl).

-- Read from the stored entry, so imported entries and new ones are indexed alike.
ALTER TABLE feedback_items
  ADD COLUMN flagged boolean NOT NULL
    GENERATED ALWAYS AS (json_array_length(COALESCE(entry -> 'flags', '[]'::json)) > 0) STORED,
  ADD COLUMN client_id text GENERATED ALWAYS AS (lower(entry ->> 'client_id')) STORED,
  -- The review listing's order and cursor: it only grows, so a cursor stays valid.
  ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;
CREATE INDEX feedback_items_flagged ON feedback_items (seq) WHERE flagged;
CREATE INDEX feedback_items_client ON feedback_items (client_id) WHERE client_id IS NOT NULL;
-- The admin's recent answers: the newest few per confirmed digit.
CREATE INDEX feedback_items_recent
  ON feedback_items (((entry ->> 'true_label')::int), ((entry ->> 'created_at')::bigint) DESC);

-- Review decisions, append-only like review.jsonl; the last one per id is in force. The
-- export writes them to new_data/review.jsonl for the trainer.
CREATE TABLE review_decisions (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id uuid NOT NULL REFERENCES feedback_items (id),
  decision text NOT NULL CHECK (decision IN ('accept', 'reject')),
  -- ISO 8601 exactly as review.jsonl has it.
  at text NOT NULL,
  by text NOT NULL
);
CREATE INDEX review_decisions_id ON review_decisions (id, seq);

-- Quota and burst counts: one row per admitted item, per client (or per address hash for
-- items without a clientId), kept only while a count can still use it (today, last hour).
CREATE TABLE screen_log (
  key text NOT NULL,
  received_at bigint NOT NULL
);
CREATE INDEX screen_log_key ON screen_log (key, received_at);
CREATE INDEX screen_log_age ON screen_log (received_at);

-- Flagged answers without a decision, kept with the counts so every replica serves it from
-- its notices; `changes` orders notices that leave the totals alike (decisions).
ALTER TABLE feedback_state
  ADD COLUMN pending integer NOT NULL DEFAULT 0 CHECK (pending >= 0),
  ADD COLUMN changes bigint NOT NULL DEFAULT 0;
UPDATE feedback_state SET pending = (SELECT count(*) FROM feedback_items WHERE flagged);
