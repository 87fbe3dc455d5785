"""Settings read from the environment; CLI flags and the app override them."""

from __future__ import annotations

import os

DEFAULT_MAX_FILE_MB = 10.0
DEFAULT_PARSE_TIMEOUT_S = 20.0
# A resume DOCX unpacks to well under a few MB; 100 MB is a zip bomb, not a resume.
DEFAULT_MAX_UNZIPPED_MB = 100.0


def _float_env(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    try:
        return float(raw) if raw else default
    except ValueError:
        return default


def max_file_bytes() -> int:
    """Largest accepted upload, from RESUME_COACH_MAX_FILE_MB (default 10 MB)."""
    return int(_float_env("RESUME_COACH_MAX_FILE_MB", DEFAULT_MAX_FILE_MB) * 1024 * 1024)


def max_unzipped_bytes() -> int:
    """Largest total uncompressed size of a DOCX, from RESUME_COACH_MAX_UNZIPPED_MB."""
    return int(_float_env("RESUME_COACH_MAX_UNZIPPED_MB", DEFAULT_MAX_UNZIPPED_MB) * 1024 * 1024)


def parse_timeout_seconds() -> float:
    """Time limit for ingest + parse of one file, from RESUME_COACH_PARSE_TIMEOUT."""
    return _float_env("RESUME_COACH_PARSE_TIMEOUT", DEFAULT_PARSE_TIMEOUT_S)
