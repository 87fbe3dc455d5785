"""The real app in a real browser: `streamlit run` on localhost, Debian's Chromium, Playwright.

Uploads a sample DOCX, coaches it on the embedded model, downloads the DOCX and checks that it
opens and holds a bullet the page shows as rewritten.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from benches import load_bench

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_resumes" / "alex-rivera-software-engineer.docx"
bench = load_bench("app_sessions")  # the same server and browser set-up as the many-users test
CHROMIUM, CHROMIUM_FLAGS = bench.CHROMIUM, bench.CHROMIUM_FLAGS
# About 18 embedded-model calls: ~20 s on an idle 2-core machine, but each call can take 30 s
# when the machine is shared, hence the generous limit.
RUN_TIMEOUT_MS = int(float(os.environ.get("RESUME_COACH_BROWSER_TIMEOUT", "1500")) * 1000)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.enable_socket,
    pytest.mark.allow_hosts(["127.0.0.1"]),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed (make test)"),
]
playwright = pytest.importorskip("playwright.sync_api")


@pytest.fixture
def app_url(tmp_path) -> Iterator[str]:
    """The app served by `streamlit run` on a free localhost port, stopped afterwards."""
    # The environment carries conftest's isolated cache dir, so the model really runs.
    env = {**os.environ, "RESUME_COACH_PROVIDER": "local"}
    env.pop("OPENAI_API_KEY", None)
    with bench.streamlit_server(tmp_path / "streamlit.log", env) as (url, _pid):
        yield url


def _paragraphs(data: bytes) -> set[str]:
    document = docx.Document(io.BytesIO(data))
    return {p.text.strip() for p in document.paragraphs if p.text.strip()}


def test_upload_coach_and_download_docx_in_chromium(app_url, tmp_path):
    with playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(app_url)
            page.get_by_text("Upload your resume or pick a sample").wait_for(timeout=60_000)
            page.locator("input[type=file]").set_input_files(str(SAMPLE))
            run = page.get_by_role("button", name="Coach my resume")
            run.wait_for(timeout=60_000)
            assert page.get_by_role(
                "textbox", name="Current role"
            ).input_value()  # prefilled from the resume
            run.click()
            try:
                page.get_by_text("Finished: your results are below").wait_for(
                    timeout=RUN_TIMEOUT_MS
                )
            except playwright.TimeoutError:
                page.screenshot(path=tmp_path / "timeout.png", full_page=True)
                raise
            page.get_by_text("Status: Rewritten").first.wait_for(timeout=30_000)
            shown = {t.strip() for t in page.locator('[data-testid="stText"]').all_inner_texts()}
            with page.expect_download(timeout=60_000) as info:
                page.get_by_role("button", name="Resume (DOCX)").click()
            download = info.value
            assert download.suggested_filename == "resume.docx"
            saved = tmp_path / "resume.docx"
            download.save_as(saved)
        finally:
            browser.close()
    paragraphs = _paragraphs(saved.read_bytes())  # opens: a valid DOCX
    new = paragraphs - _paragraphs(SAMPLE.read_bytes())
    assert new & shown, "the DOCX holds at least one bullet the page shows as rewritten"
