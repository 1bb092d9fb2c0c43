-- Certificates being signed, durable before their signature exists (JdbcCertificateRepository#reserve);
-- empty except while a sign is in flight or after a crash.
CREATE TABLE issuing (
  serial TEXT PRIMARY KEY,
  tbs BLOB NOT NULL,
  digest TEXT NOT NULL,
  profile TEXT NOT NULL,
  key_file TEXT,
  issued_at INTEGER NOT NULL);
PRAGMA user_version=2;
