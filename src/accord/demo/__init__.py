"""The demo story: a fresh database with the bundled pack and example documents."""
