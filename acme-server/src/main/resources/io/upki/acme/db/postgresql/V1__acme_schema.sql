-- The ACME schema on PostgreSQL: the tables of sqlite/V1 with PostgreSQL types. Times are epoch
-- milliseconds (BIGINT); lists are JSON text, as on SQLite, so the stores' SQL is the same on both.
-- orders and challenge get an identity column: SQLite's rowid gives insertion order there, and RFC 8555
-- section 7.1.2.1 lists an account's orders (and clients expect challenges) in that order.
CREATE TABLE account (id TEXT PRIMARY KEY, thumbprint TEXT NOT NULL UNIQUE, jwk TEXT NOT NULL,
    status TEXT NOT NULL, contact TEXT NOT NULL, created BIGINT NOT NULL, eab_kid TEXT UNIQUE);
CREATE TABLE orders (id TEXT PRIMARY KEY, seq BIGINT GENERATED ALWAYS AS IDENTITY, account_id TEXT NOT NULL,
    status TEXT NOT NULL, expires BIGINT NOT NULL, identifiers TEXT NOT NULL, authz_ids TEXT NOT NULL, error TEXT,
    certificate_id TEXT, replaces TEXT);
CREATE INDEX orders_account ON orders (account_id, seq);
CREATE TABLE authz (id TEXT PRIMARY KEY, account_id TEXT NOT NULL, order_id TEXT NOT NULL,
    type TEXT NOT NULL, value TEXT NOT NULL, wildcard INTEGER NOT NULL, status TEXT NOT NULL,
    expires BIGINT NOT NULL);
CREATE TABLE challenge (id TEXT PRIMARY KEY, seq BIGINT GENERATED ALWAYS AS IDENTITY, authz_id TEXT NOT NULL,
    type TEXT NOT NULL, token TEXT NOT NULL, status TEXT NOT NULL, validated BIGINT, error TEXT);
CREATE INDEX challenge_authz ON challenge (authz_id, seq);
CREATE TABLE certificate (id TEXT PRIMARY KEY, order_id TEXT NOT NULL, account_id TEXT NOT NULL,
    serial TEXT NOT NULL UNIQUE, chain TEXT NOT NULL, not_before BIGINT NOT NULL, not_after BIGINT NOT NULL,
    revoked_at BIGINT);
