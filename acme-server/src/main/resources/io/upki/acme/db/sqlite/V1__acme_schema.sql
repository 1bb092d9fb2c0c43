-- The ACME schema as ra-core created it before the migrations existed (a database of that time is
-- baselined at this version instead of running it). Times are epoch milliseconds; lists are JSON.
CREATE TABLE IF NOT EXISTS account (id TEXT PRIMARY KEY, thumbprint TEXT NOT NULL UNIQUE, jwk TEXT NOT NULL,
    status TEXT NOT NULL, contact TEXT NOT NULL, created INTEGER NOT NULL, eab_kid TEXT UNIQUE);
CREATE TABLE IF NOT EXISTS orders (id TEXT PRIMARY KEY, account_id TEXT NOT NULL, status TEXT NOT NULL,
    expires INTEGER NOT NULL, identifiers TEXT NOT NULL, authz_ids TEXT NOT NULL, error TEXT,
    certificate_id TEXT, replaces TEXT);
CREATE INDEX IF NOT EXISTS orders_account ON orders (account_id);
CREATE TABLE IF NOT EXISTS authz (id TEXT PRIMARY KEY, account_id TEXT NOT NULL, order_id TEXT NOT NULL,
    type TEXT NOT NULL, value TEXT NOT NULL, wildcard INTEGER NOT NULL, status TEXT NOT NULL,
    expires INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS challenge (id TEXT PRIMARY KEY, authz_id TEXT NOT NULL, type TEXT NOT NULL,
    token TEXT NOT NULL, status TEXT NOT NULL, validated INTEGER, error TEXT);
CREATE INDEX IF NOT EXISTS challenge_authz ON challenge (authz_id);
CREATE TABLE IF NOT EXISTS certificate (id TEXT PRIMARY KEY, order_id TEXT NOT NULL, account_id TEXT NOT NULL,
    serial TEXT NOT NULL UNIQUE, chain TEXT NOT NULL, not_before INTEGER NOT NULL, not_after INTEGER NOT NULL,
    revoked_at INTEGER);
