"""States, organisations, coalitions and persons, with aliases and dated affiliations."""
