/**
 * SQLite schema, versioned with PRAGMA user_version: migration i brings the
 * database to version i + 1. Append, never edit a shipped one.
 */
export const sqliteMigrations: string[] = [
  `CREATE TABLE keys (
     id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, masked TEXT NOT NULL, name TEXT NOT NULL,
     created_at INTEGER NOT NULL, expires_at INTEGER, revoked_at INTEGER, balance_nano INTEGER,
     limits TEXT NOT NULL, models TEXT, metadata TEXT NOT NULL);
   CREATE TABLE credits (id TEXT PRIMARY KEY, key_id TEXT NOT NULL, amount_nano INTEGER NOT NULL, reason TEXT NOT NULL, created_at INTEGER NOT NULL);
   CREATE INDEX credits_by_key ON credits (key_id, created_at);
   CREATE TABLE reservations (id TEXT PRIMARY KEY, key_id TEXT, amount_nano INTEGER NOT NULL, expires_at INTEGER NOT NULL, usage_id TEXT);
   CREATE INDEX reservations_by_key ON reservations (key_id, expires_at);
   CREATE TABLE usage (
     id TEXT PRIMARY KEY, key_id TEXT, requested_model TEXT NOT NULL, model TEXT, created_at INTEGER NOT NULL,
     cost_nano INTEGER NOT NULL, total_tokens INTEGER NOT NULL, settled INTEGER NOT NULL, record TEXT NOT NULL);
   CREATE INDEX usage_by_time ON usage (created_at DESC, id DESC);
   CREATE INDEX usage_by_key ON usage (key_id, created_at DESC, id DESC);
   CREATE TABLE windows (name TEXT PRIMARY KEY, start INTEGER NOT NULL, total INTEGER NOT NULL);
   CREATE TABLE slots (name TEXT NOT NULL, lease TEXT NOT NULL, expires_at INTEGER NOT NULL, PRIMARY KEY (name, lease));
   CREATE TABLE state (name TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at INTEGER NOT NULL);`,
  // 2: the reservation carries its pending usage record (written to `usage` once, at settle or by
  // reconcile), and the per-key hold index covers amount_nano so the balance check reads only the index.
  `ALTER TABLE reservations ADD COLUMN pending TEXT;
   DROP INDEX reservations_by_key;
   CREATE INDEX reservations_by_key ON reservations (key_id, expires_at, amount_nano);`,
  // 3: each key keeps the running total of its holds, so the balance check reads one row instead of
  // summing every live reservation of the key (it grew with the number of requests in flight).
  `ALTER TABLE keys ADD COLUMN held_nano INTEGER NOT NULL DEFAULT 0;
   UPDATE keys SET held_nano = COALESCE((SELECT SUM(amount_nano) FROM reservations WHERE reservations.key_id = keys.id), 0);`,
  // 4: the usage indexes in ascending order. SQLite reads an index backwards as cheaply as forwards, so
  // the newest-first pages use them as before. A new row now lands on an index's last leaf, which SQLite
  // splits by starting a new page; on a descending index it landed on the first leaf, and each split
  // there rebalanced it with two full neighbours, rewriting three or four leaves every few commits.
  // Rebuilding them holds the write lock: about 3 s for 1,000,000 usage rows (with migration 5).
  `DROP INDEX usage_by_time;
   CREATE INDEX usage_by_time ON usage (created_at, id);
   DROP INDEX usage_by_key;
   CREATE INDEX usage_by_key ON usage (key_id, created_at, id);`,
  // 5: the key list's order as an index: a page of keys read its rows only, not every key and a sort.
  `CREATE INDEX keys_by_time ON keys (created_at, id);`,
];
