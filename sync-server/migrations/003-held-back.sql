-- Answers the trainer held back (new_data/disputed.jsonl of the replica that ran it), so
-- every replica lists them for review and every later export hands them to the trainer
-- again. The stored entry stays as it came in: its flags are the server's own.
CREATE TABLE held_back (
  id uuid NOT NULL REFERENCES feedback_items (id),
  flag text NOT NULL,
  -- The disputed.jsonl line as the trainer wrote it (id, flag, at, model).
  line text NOT NULL,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  PRIMARY KEY (id, flag)
);
