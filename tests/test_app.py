"""The Streamlit page, driven in-process with AppTest."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture
def app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    return at


def test_page_loads_without_errors(app):
    assert not app.exception
    assert app.title[0].value == "resume-coach"


def test_picking_a_sample_shows_the_parse(app):
    samples = app.selectbox[0].options
    assert len(samples) >= 6
    app.selectbox[0].select_index(1).run()
    assert not app.exception
    assert app.subheader[0].value != "Name not found"
    assert app.json  # the JSON Resume tab is rendered
