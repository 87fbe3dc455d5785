"""Shared test set-up: every test runs with an isolated cache and guides folder."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path, monkeypatch):
    monkeypatch.setenv("RESUME_COACH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("RESUME_COACH_GUIDES_DIR", str(tmp_path / "guides"))
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
