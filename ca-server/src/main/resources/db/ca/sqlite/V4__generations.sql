-- CA key rollover (docs/KEYS.md): the issuing-key generation that signed each certificate, and the
-- generation whose CRL each CRL number went to. Rows from before a rollover are the first generation.
ALTER TABLE certificates ADD COLUMN generation INTEGER NOT NULL DEFAULT 1;
ALTER TABLE crls ADD COLUMN generation INTEGER NOT NULL DEFAULT 1;
CREATE INDEX certificates_generation ON certificates(generation, not_after);
PRAGMA user_version=4;
