-- Certificates being signed, durable before their signature exists (JdbcCertificateRepository#reserve).
CREATE TABLE issuing (
  serial TEXT COLLATE "C" PRIMARY KEY,
  tbs BYTEA NOT NULL,
  digest TEXT NOT NULL,
  profile TEXT NOT NULL,
  key_file TEXT,
  issued_at BIGINT NOT NULL);
