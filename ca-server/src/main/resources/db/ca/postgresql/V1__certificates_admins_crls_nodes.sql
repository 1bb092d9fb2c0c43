-- Version 1 of the CA store (PostgreSQL), the same tables as SQLite's. Hex keys (serials, CRL numbers)
-- use the C collation so that their order is byte order whatever the database's locale.
CREATE TABLE certificates (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  serial TEXT COLLATE "C" NOT NULL,
  common_name TEXT,
  subject_dn TEXT NOT NULL,
  subject_key TEXT NOT NULL,
  profile TEXT NOT NULL,
  not_before BIGINT NOT NULL,
  not_after BIGINT NOT NULL,
  issued_at BIGINT NOT NULL,
  fingerprint TEXT NOT NULL,
  der BYTEA NOT NULL,
  key_file TEXT,
  revoked_at BIGINT,
  revoke_reason INTEGER,
  CONSTRAINT certificates_serial_key UNIQUE (serial));
CREATE INDEX certificates_cn ON certificates(common_name, id);
CREATE INDEX certificates_subject ON certificates(subject_key, id);
CREATE INDEX certificates_revoked ON certificates(revoked_at) WHERE revoked_at IS NOT NULL;
CREATE TABLE admins (canonical_key TEXT PRIMARY KEY, dn TEXT NOT NULL, added_seq INTEGER NOT NULL);
CREATE TABLE crls (
  number TEXT COLLATE "C" PRIMARY KEY,
  number_width INTEGER NOT NULL,
  this_update BIGINT NOT NULL,
  next_update BIGINT NOT NULL,
  der BYTEA NOT NULL);
CREATE INDEX crls_order ON crls(number_width, number);
CREATE TABLE nodes (
  common_name TEXT PRIMARY KEY,
  profile TEXT NOT NULL,
  registered_at BIGINT NOT NULL,
  serial TEXT NOT NULL);
