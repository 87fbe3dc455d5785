"""One base error and a few specific ones, each with a message a user can act on."""

from __future__ import annotations


class CoachError(Exception):
    """Base of every error resume-coach raises on purpose; its message is shown to the user."""

    exit_code = 2


class InputError(CoachError):
    """The uploaded file cannot be used (wrong type, empty, broken, too big, encrypted)."""


class ScannedDocumentError(InputError):
    """A PDF with no extractable text."""


class ParseTimeoutError(InputError):
    """Ingest or parse ran past its time limit."""


class GuideError(CoachError):
    """A guide file is malformed or a requested guide does not exist."""


class ProviderError(CoachError):
    """The chat model cannot be built or reached (missing key, missing model file)."""
