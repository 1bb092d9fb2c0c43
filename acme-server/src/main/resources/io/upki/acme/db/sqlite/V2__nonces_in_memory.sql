-- Nonces are kept in memory (io.upki.acme.store.NonceStore, RFC 8555 section 6.5); the first
-- versions kept them in this table.
DROP TABLE IF EXISTS nonce;
