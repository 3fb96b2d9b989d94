"""Case packs: YAML case data (actors, issues, ...) validated and loaded into the database."""
