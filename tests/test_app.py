"""The Streamlit page, driven in-process with AppTest and a fake model that rewrites honestly."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import docx
import pytest
from fakes import FakeChat
from streamlit.testing.v1 import AppTest

from coach import ui_state
from coach.llm import LLMClient, ProviderSettings

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
SAMPLE = ROOT / "sample_resumes" / "alex-rivera-software-engineer.docx"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_BULLET = re.compile(r"<bullet>(.*?)</bullet>", re.DOTALL)
# The honest rewrite keeps every fact and only adds this skill-framing phrase.
FRAMING = ", aligning stakeholders"


def honest_reply(messages) -> str:
    """What a well-behaved model answers: same facts, a little transferable-skill framing."""
    prompt = messages[-1].content
    bullets = _BULLET.findall(prompt)
    if "<facts>" in prompt:
        return "Engineer moving into AI project management, with a record of delivery."
    if bullets and "Question:" in prompt:
        action = bullets[-1].strip()
        return json.dumps(
            {
                "situation": "[add: context]",
                "task": "[add: goal]",
                "action": action,
                "result": "[add: result]",
            }
        )
    if bullets:
        return bullets[-1].strip().rstrip(".") + FRAMING + "."
    return "{}"


@pytest.fixture
def fake_client(tmp_path) -> LLMClient:
    fake = FakeChat([honest_reply] * 200)
    settings = ProviderSettings(provider="local", cache_dir=tmp_path / "llm", use_cache=False)
    return LLMClient(fake, settings, provider="local", model_name="fake-chat")


@pytest.fixture
def app(fake_client) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["_test_client"] = fake_client
    return at.run()


def _upload(at: AppTest, name: str, data: bytes, mime: str = DOCX_MIME) -> AppTest:
    at.file_uploader(key="upload").set_value((name, data, mime))
    return at.run()


def _coach(at: AppTest) -> AppTest:
    at.button(key="run").click()
    return at.run()


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    return "\n".join(p.text for p in document.paragraphs)


def _plain(markdown: str) -> str:
    """Markdown the app escaped, read back as the text a user sees."""
    return re.sub(r"\\(.)", r"\1", markdown).replace(ui_state.WORD_JOINER, "")


def test_page_loads_with_local_model_by_default(app):
    assert not app.exception
    assert app.title[0].value == "resume-coach"
    assert app.radio(key="provider").value == "local"
    assert "stays on this machine" in _plain(app.sidebar.success[0].value)
    assert "Upload your resume" in app.info[0].value


def test_upload_prefills_the_current_role(app):
    _upload(app, SAMPLE.name, SAMPLE.read_bytes())
    assert not app.exception
    assert not app.error
    assert app.text_input(key="from_role").value  # the latest job title
    assert app.selectbox(key="target_pick").value == "AI Project Manager"
    assert not app.button(key="run").disabled


def test_picking_a_sample_works_like_an_upload(app):
    app.radio(key="source_kind").set_value("Try a sample").run()
    samples = app.selectbox(key="sample")
    assert "alex-rivera-software-engineer.docx" in samples.options
    assert "README.md" not in samples.options
    samples.select_index(0).run()
    assert not app.exception
    assert not app.error
    assert app.text_input(key="from_role").value


def test_run_shows_tabs_and_downloads_hold_the_exports(app, downloads):
    _coach(_upload(app, SAMPLE.name, SAMPLE.read_bytes()))
    assert not app.exception
    assert not app.error
    assert [t.label for t in app.tabs] == [
        "Resume",
        "STAR stories",
        "Skills and gaps",
        "Parsed data",
    ]
    assert app.metric[0].value != "0"  # rewritten count
    rewritten = [t.value for t in app.text if FRAMING in t.value]
    assert rewritten, "the side-by-side view shows the rewritten bullets"
    assert app.json  # parsed data tab
    assert {b.label for b in app.get("download_button")} == {
        "Resume (DOCX)",
        "Resume (Markdown)",
        "JSON Resume",
        "STAR stories",
        "Coaching report",
    }
    assert set(downloads) == {
        "resume.docx",
        "resume.md",
        "resume.json",
        "star_stories.md",
        "report.md",
    }
    assert FRAMING in _docx_text(downloads["resume.docx"])
    assert FRAMING in downloads["resume.md"].decode()
    assert FRAMING in downloads["resume.json"].decode()
    assert b"the situation - team, product and problem" in downloads["star_stories.md"]
    assert downloads["report.md"].startswith(b"#")


def test_reverting_a_change_removes_it_from_every_export(app, downloads):
    _coach(_upload(app, SAMPLE.name, SAMPLE.read_bytes()))
    boxes = [c for c in app.checkbox if str(c.key).startswith("accept:work[0].highlights")]
    assert boxes and all(b.value for b in boxes)
    reverted = boxes[0]
    path = reverted.key.removeprefix("accept:")
    change = next(c for c in app.session_state["result"].changes if c.path == path)
    assert FRAMING in change.rewritten
    docx_before = _docx_text(downloads["resume.docx"])
    assert change.rewritten in docx_before
    reverted.uncheck().run()
    assert not app.exception
    docx_after = _docx_text(downloads["resume.docx"])
    markdown = downloads["resume.md"].decode()
    assert change.rewritten not in docx_after
    assert change.original in docx_after
    assert change.rewritten not in markdown
    assert change.original in markdown
    assert change.rewritten not in downloads["resume.json"].decode()
    # The other changes stay accepted.
    assert FRAMING in docx_after


def test_revert_all_restores_the_original_text(app, downloads):
    _coach(_upload(app, SAMPLE.name, SAMPLE.read_bytes()))
    app.button(key="revert_all").click().run()
    assert not app.exception
    assert FRAMING not in _docx_text(downloads["resume.docx"])
    assert FRAMING not in downloads["resume.md"].decode()


def test_broken_file_shows_a_friendly_error(app):
    _upload(app, "resume.docx", b"PK\x03\x04 this is not really a zip file")
    assert not app.exception
    assert app.error
    message = app.error[0].value
    assert "Traceback" not in message
    assert len(message) > 20
    assert not [b for b in app.button if b.key == "run"]  # nothing to run on a broken file


def test_resume_text_is_never_rendered_as_markdown(app, downloads):
    text = (
        b"Jane Doe\njane@example.com\n\nEXPERIENCE\nSoftware Engineer, Acme Corp, 2019 - 2023\n"
        b"- Led a team of 5 engineers to ship a [phishing](https://evil.example.com) detector "
        b"<b>bold</b> in Python for 3 teams\n"
        b"- Coordinated releases with stakeholders across product and support teams\n"
    )
    _upload(app, "resume.md", text, "text/markdown")
    _coach(app)
    assert not app.exception
    assert any("[phishing](https://evil.example.com)" in t.value for t in app.text)
    for element in [*app.markdown, *app.caption]:
        assert "](https://evil" not in element.value
        assert "<b>" not in element.value


def test_openai_without_a_key_disables_the_run(app):
    _upload(app, SAMPLE.name, SAMPLE.read_bytes())
    app.radio(key="provider").set_value("openai").run()
    assert not app.exception
    assert "will be sent to https://api.openai.com" in _plain(app.sidebar.warning[0].value)
    assert app.button(key="run").disabled
    app.text_input(key="api_key").input("sk-test-not-real").run()
    assert not app.button(key="run").disabled


# ---------------------------------------------------------------- ui_state (no Streamlit)


def test_md_escape_leaves_no_live_markdown():
    escaped = ui_state.md_escape(
        "[x](https://evil.example.com) <b>hi</b> :red[no] $x$ www.example.com"
    )
    assert "](" not in escaped.replace("\\]\\(", "")
    assert "<b>" not in escaped
    unescaped = re.sub(r"\\(.)", r"\1", escaped)  # what the renderer sees after escapes
    assert "https://" not in unescaped and "www." not in unescaped
    assert "a@example.com" not in re.sub(r"\\(.)", r"\1", ui_state.md_escape("a@example.com"))
    assert _plain(escaped) == "[x](https://evil.example.com) <b>hi</b> :red[no] $x$ www.example.com"


def test_server_name_hides_credentials_and_paths():
    assert ui_state.server_name("https://user:secret@llm.example.com:8443/v1?k=1") == (
        "https://llm.example.com:8443"
    )
    assert ui_state.server_name(None) == "https://api.openai.com"


def test_destination_note_names_the_server_or_this_machine():
    local = ui_state.provider_settings("local")
    assert "stays on this machine" in ui_state.destination_note(local)
    remote = ui_state.provider_settings(
        "openai", api_key="sk-not-real", base_url="http://localhost:11434/v1", model="llama3"
    )
    note = ui_state.destination_note(remote)
    assert "http://localhost:11434" in note and "llama3" in note
    assert "sk-not-real" not in note
    assert ui_state.has_key(remote) and not ui_state.has_key(ui_state.provider_settings("openai"))


def test_samples_are_resumes_only():
    names = [p.name for p in ui_state.sample_files()]
    assert "alex-rivera-software-engineer.docx" in names
    assert not [n for n in names if n.endswith(".py") or n.lower() == "readme.md"]


def test_roadmap_phases_follow_each_other():
    guide = ui_state.get_guide("swe-to-ai-pm")
    phases = ui_state.roadmap_phases(guide)
    assert phases[0].start == 0
    assert all(a.end == b.start for a, b in zip(phases, phases[1:], strict=False))
    assert phases[-1].end == sum(p.weeks or 4 for p in guide.roadmap)
    assert ui_state.roadmap_phases(None) == []


def test_friendly_error_hides_internals():
    from coach.errors import InputError

    assert ui_state.friendly_error(InputError("file is empty; upload a resume")).startswith("File")
    message = ui_state.friendly_error(KeyError("secret resume text"))
    assert "secret resume text" not in message and "KeyError" in message


def test_a_refused_key_points_to_the_sidebar_not_to_command_line_flags():
    from coach.errors import ProviderError
    from coach.llm import REFUSED_HINT

    message = ui_state.friendly_error(ProviderError(f"the provider refused it: {REFUSED_HINT}"))
    assert message == f"The provider refused it: {ui_state.APP_REFUSED_HINT}"
    assert "--model" not in message and "OPENAI_API_KEY" not in message


def test_a_typed_role_without_a_guide_runs_and_says_so(app):
    _upload(app, SAMPLE.name, SAMPLE.read_bytes())
    app.selectbox(key="target_pick").set_value("Another role (type it)").run()
    app.text_input(key="target_typed").input("Pastry Chef").run()
    _coach(app)
    assert not app.exception
    assert any("No transition guide matches" in _plain(w.value) for w in app.warning)
    assert "no roadmap" in " ".join(i.value for i in app.info)


def test_a_run_says_when_other_sessions_share_the_embedded_model(app):
    _upload(app, SAMPLE.name, SAMPLE.read_bytes())
    with ui_state.LOCAL_RUNS.run():  # another session's run in progress on this server
        _coach(app)
    notes = [_plain(i.value) for i in app.info]
    assert any("1 other run is using the embedded model" in n for n in notes), notes
    _coach(app)  # alone again: no note
    assert not any("other run" in _plain(i.value) for i in app.info)


def test_shared_runs_count_only_while_they_last():
    runs = ui_state.SharedModelRuns()
    with runs.run() as first, runs.run() as second:
        assert (first, second) == (0, 1)
    with runs.run() as alone:
        assert alone == 0
    assert ui_state.shared_model_note(0) is None
    assert "about twice as long" in ui_state.shared_model_note(1)
    assert "2 other runs are" in ui_state.shared_model_note(2)
    assert "about 3 times as long" in ui_state.shared_model_note(2)
