"""Users, roles, password hashes (argon2) and API tokens (stored only as hashes)."""
