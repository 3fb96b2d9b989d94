"""The ``accord`` command line: a root Typer app mounting each domain's commands."""
