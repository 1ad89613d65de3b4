-- The feedback store: one row of state, one row per subset, one row per stored item.
-- An item's place (subset_index, position) is assigned in the transaction that stores it,
-- under the state row's lock, so subsets fill to exactly the threshold whatever replica writes.

CREATE TABLE feedback_state (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  -- count.json: the open subset and how many items it holds.
  open_index integer NOT NULL DEFAULT 0 CHECK (open_index >= 0),
  open_count integer NOT NULL DEFAULT 0 CHECK (open_count >= 0),
  total bigint NOT NULL DEFAULT 0 CHECK (total >= 0)
);
INSERT INTO feedback_state DEFAULT VALUES;

CREATE TABLE feedback_subsets (
  subset_index integer PRIMARY KEY CHECK (subset_index >= 0),
  item_count integer NOT NULL CHECK (item_count >= 0),
  -- Set once, by the commit that filled it (or by an import of a sealed subset).
  sealed_at timestamptz,
  -- Set once, by the replica holding the retrain driver when it reported the seal.
  triggered_at timestamptz
);

CREATE TABLE feedback_items (
  subset_index integer NOT NULL REFERENCES feedback_subsets,
  position integer NOT NULL CHECK (position >= 0),
  -- The client's UUID; null only for the original system's imported entries.
  id uuid UNIQUE,
  filename text NOT NULL,
  -- The metadata.json entry exactly as the file store writes it (json keeps key order).
  entry json NOT NULL,
  -- Null only for an imported entry whose PNG the original system lost.
  png bytea,
  PRIMARY KEY (subset_index, position),
  UNIQUE (subset_index, filename)
);
