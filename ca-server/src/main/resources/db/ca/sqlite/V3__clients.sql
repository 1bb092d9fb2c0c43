-- The CURVE client keys the CA knows and their roles (docs/SECURITY.md).
CREATE TABLE clients (
  public_key TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  added_at INTEGER NOT NULL);
PRAGMA user_version=3;
