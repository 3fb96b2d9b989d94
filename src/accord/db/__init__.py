"""Storage: declarative base, engines and sessions, migrations."""
