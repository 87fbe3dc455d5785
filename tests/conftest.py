"""Shared test set-up: every test runs with an isolated cache and guides folder; app tests can
record the bytes behind download buttons."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path, monkeypatch):
    monkeypatch.setenv("RESUME_COACH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("RESUME_COACH_GUIDES_DIR", str(tmp_path / "guides"))
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)


@pytest.fixture
def downloads(monkeypatch) -> dict[str, bytes]:
    """The bytes the app hands to every download button, by file name (latest run wins)."""
    # Imported here: most tests never load Streamlit.
    from streamlit.runtime.media_file_manager import MediaFileManager

    seen: dict[str, bytes] = {}
    original = MediaFileManager.add

    def record(self, data, mimetype, coordinates, file_name=None, is_for_static_download=False):
        if file_name:
            seen[file_name] = bytes(data)
        return original(self, data, mimetype, coordinates, file_name, is_for_static_download)

    monkeypatch.setattr(MediaFileManager, "add", record)
    return seen
