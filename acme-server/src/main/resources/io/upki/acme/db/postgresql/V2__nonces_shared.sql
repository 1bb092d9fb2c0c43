-- Nonces (RFC 8555 section 6.5) live here when ra-core replicas share this database, so a nonce one
-- replica issued is accepted by any other, once: consuming is one DELETE, which only one caller wins.
-- UNLOGGED: a nonce is written and deleted once per request, and skipping the WAL keeps that off the
-- disk's flush path. What it costs: a crash of the PostgreSQL server (or a failover to a streaming
-- replica) empties the table, and each client gets one badNonce, which RFC 8555 section 6.5 has it retry
-- with the fresh nonce sent along; no certificate, order or account is in this table.
CREATE UNLOGGED TABLE nonce (value TEXT PRIMARY KEY, expires BIGINT NOT NULL);
CREATE INDEX nonce_expires ON nonce (expires);
