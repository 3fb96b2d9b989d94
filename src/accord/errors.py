"""Domain errors, mapped to CLI exit codes and HTTP status codes, each in one place."""

from __future__ import annotations


class AccordError(Exception):
    """Base class of every error accord reports to a user as one clear line."""

    exit_code = 1
    http_status = 400


class InvalidInput(AccordError):
    """Input that cannot be accepted: a bad file, row, field or value."""

    exit_code = 2
    http_status = 422


class NotFound(AccordError):
    """A referenced record does not exist."""

    exit_code = 3
    http_status = 404


class Conflict(AccordError):
    """The request contradicts what is already stored."""

    exit_code = 4
    http_status = 409


class PackError(InvalidInput):
    """A case pack is malformed; the message names the file and field."""


class DatabaseUnavailable(AccordError):
    """The database cannot be reached or opened."""

    exit_code = 5
    http_status = 503


class IntegrityFailure(AccordError):
    """Stored evidence does not match its hashes (audit chain or blob store)."""

    exit_code = 6
    http_status = 500


class ReaderFailed(AccordError):
    """The process reading an import file ended without finishing it."""

    http_status = 500
