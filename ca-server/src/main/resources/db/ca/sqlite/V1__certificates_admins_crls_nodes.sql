-- Version 1 of the CA store (SQLite). Serials are 159-bit: stored as fixed-width hex so that equality
-- and the unique index are exact. Times are epoch milliseconds.
CREATE TABLE certificates (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  serial TEXT NOT NULL UNIQUE,
  common_name TEXT,
  subject_dn TEXT NOT NULL,
  subject_key TEXT NOT NULL,
  profile TEXT NOT NULL,
  not_before INTEGER NOT NULL,
  not_after INTEGER NOT NULL,
  issued_at INTEGER NOT NULL,
  fingerprint TEXT NOT NULL,
  der BLOB NOT NULL,
  key_file TEXT,
  revoked_at INTEGER,
  revoke_reason INTEGER);
CREATE INDEX certificates_cn ON certificates(common_name, id);
CREATE INDEX certificates_subject ON certificates(subject_key, id);
CREATE INDEX certificates_revoked ON certificates(revoked_at) WHERE revoked_at IS NOT NULL;
CREATE TABLE admins (canonical_key TEXT PRIMARY KEY, dn TEXT NOT NULL, added_seq INTEGER NOT NULL);
CREATE TABLE crls (
  number TEXT PRIMARY KEY,
  number_width INTEGER NOT NULL,
  this_update INTEGER NOT NULL,
  next_update INTEGER NOT NULL,
  der BLOB NOT NULL);
CREATE INDEX crls_order ON crls(number_width, number);
CREATE TABLE nodes (
  common_name TEXT PRIMARY KEY,
  profile TEXT NOT NULL,
  registered_at INTEGER NOT NULL,
  serial TEXT NOT NULL);
-- user_version is kept in step so that a CA from before Flyway still recognises the schema.
PRAGMA user_version=1;
