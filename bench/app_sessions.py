"""Many users at once: N browser sessions coach N different resumes on one Streamlit server.

One `streamlit run app.py` server on loopback, one headless Chromium with N independent browser
contexts (separate cookies, so separate Streamlit sessions). Each context uploads its own small
synthetic DOCX resume and presses "Coach my resume" at nearly the same moment; all but one use
the embedded model with the answer cache off, so every session really calls the shared model.
The last session points at an OpenAI-compatible server on loopback that refuses every request
(HTTP 401), so its run stops with an error while the others are running. The server's memory
(its own and its children's VmRSS) is sampled throughout.

    .venv/bin/python bench/app_sessions.py [--sessions 10] [--out DIR]

Prints JSON: sessions, errors, per-session seconds from click to results (median, max), total
wall time, server RSS (idle, peak) in MB, and how many times the model file is mapped.
`tests/test_app_sessions.py` runs the same scenario and checks isolation and memory.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import docx

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
FINISHED = "Finished: your results are below"
STOPPED = "The run stopped"
# The downloads a session saves (file name, button label) when asked to.
DOWNLOADS = (("resume.docx", "Resume (DOCX)"), ("resume.md", "Resume (Markdown)"))

# Synthetic people: first and last names, employers and cities are invented and each appears in
# exactly one resume, so any of them on another session's page is a leak.
FIRST = ["Avery", "Bellamy", "Corin", "Delphine", "Emrys", "Fenna", "Gideon", "Halle", "Ingrid"]
FIRST += ["Jory", "Kestrel", "Linnea", "Marlow", "Nerys", "Orrin", "Perrin"]
LAST = ["Ashgrove", "Brackwater", "Cindervale", "Dunmore", "Elderhaw", "Foxmere", "Glenrook"]
LAST += ["Hollowell", "Ironwood", "Juniper", "Kettleby", "Larkfield", "Mossbury", "Northcott"]
LAST += ["Oakhurst", "Pemberly"]
EMPLOYERS = ["Tidewell Logistics", "Brightfern Insurance", "Copperleaf Media", "Driftstone Labs"]
EMPLOYERS += ["Emberline Retail", "Frostgate Energy", "Greywick Health", "Harborlight Bank"]
EMPLOYERS += ["Ivorycrest Foods", "Jadewater Travel", "Kiteridge Games", "Lumenvale Schools"]
EMPLOYERS += ["Marshfield Telecom", "Nightjar Robotics", "Opalcove Pharma", "Pinecrest Mobility"]
CITIES = ["Boise, ID", "Tulsa, OK", "Fresno, CA", "Omaha, NE", "Dayton, OH", "Reno, NV"]
CITIES += ["Akron, OH", "Mobile, AL", "Laredo, TX", "Spokane, WA", "Toledo, OH", "Salem, OR"]
CITIES += ["Provo, UT", "Macon, GA", "Eugene, OR", "Topeka, KS"]
TITLES = ["Software Engineer", "Project Manager"]
BULLETS = {
    "Software Engineer": [
        "Built a Python service that handles {n},000 orders a day for the {team} team.",
        "Led code reviews and mentored {k} junior engineers on testing.",
        "Cut deployment time from {m} hours to 20 minutes with a CI pipeline.",
    ],
    "Project Manager": [
        "Coordinated {k} cross-functional teams to launch a {team} portal on schedule.",
        "Ran weekly risk reviews with stakeholders and kept a ${n}00K budget on track.",
        "Introduced Agile sprints that cut delivery time by {m}0 percent.",
    ],
}
TEAMS = ["billing", "claims", "warehouse", "payments", "support", "loyalty", "scheduling"]


@dataclass(frozen=True)
class Person:
    """One synthetic resume owner; every field is invented."""

    name: str
    email: str
    phone: str
    city: str
    title: str
    employer: str
    bullets: tuple[str, ...]

    @property
    def file_name(self) -> str:
        """The upload's file name."""
        return self.name.lower().replace(" ", "-") + ".docx"


def people(count: int) -> list[Person]:
    """`count` distinct synthetic people (at most 16), one short job with 2-3 bullets each."""
    if not 1 <= count <= len(FIRST):
        raise ValueError(f"between 1 and {len(FIRST)} sessions")
    found = []
    for i in range(count):
        first, last = FIRST[i], LAST[i]
        title = TITLES[i % len(TITLES)]
        values = {"n": i + 2, "k": i % 4 + 2, "m": i % 5 + 3, "team": TEAMS[i % len(TEAMS)]}
        bullets = tuple(b.format(**values) for b in BULLETS[title][: 2 + i % 2])
        found.append(
            Person(
                name=f"{first} {last}",
                email=f"{first.lower()}.{last.lower()}@example.com",
                phone=f"(555) 010-01{i:02d}",
                city=CITIES[i],
                title=title,
                employer=EMPLOYERS[i],
                bullets=bullets,
            )
        )
    return found


def resume_docx(person: Person) -> bytes:
    """A one-job DOCX resume for this person."""
    document = docx.Document()
    document.add_paragraph(person.name, style="Title")
    document.add_paragraph(f"{person.email} | {person.phone} | {person.city}")
    document.add_heading("Experience", level=1)
    document.add_paragraph(f"{person.title} | {person.employer} | Mar 2019 – Present")
    for bullet in person.bullets:
        document.add_paragraph(bullet, style="List Bullet")
    document.add_heading("Education", level=1)
    document.add_paragraph("State University, B.S. in Business, 2015")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_text(data: bytes) -> str:
    """Every paragraph and table cell of a DOCX, one per line."""
    document = docx.Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    lines += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join(lines)


# ---------------------------------------------------------------- servers


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"streamlit did not answer at {url} within {timeout_s} s")


@contextmanager
def streamlit_server(log_path: Path, env: dict[str, str]) -> Iterator[tuple[str, int]]:
    """`streamlit run app.py` on a free loopback port: yields (url, pid), stopped afterwards."""
    port = free_port()
    streamlit = shutil.which("streamlit", path=str(Path(sys.executable).parent)) or "streamlit"
    command = [streamlit, "run", str(ROOT / "app.py"), "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true"]
    command += ["--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(url, process)
            yield url, process.pid
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def server_env(cache_dir: Path, guides_dir: Path) -> dict[str, str]:
    """The server's environment: embedded model, answer cache off, no key, isolated folders."""
    env = {**os.environ, "RESUME_COACH_PROVIDER": "local", "RESUME_COACH_NO_CACHE": "1"}
    env["RESUME_COACH_CACHE_DIR"] = str(cache_dir)
    env["RESUME_COACH_GUIDES_DIR"] = str(guides_dir)
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        env.pop(name, None)
    return env


class _Refuse(BaseHTTPRequestHandler):
    """Answers every request with 401, as a server does for a wrong API key."""

    def _refuse(self) -> None:
        body = b'{"error": {"message": "invalid api key (synthetic test server)"}}'
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _refuse  # noqa: N815 - stdlib naming

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


@contextmanager
def refusing_server() -> Iterator[str]:
    """An OpenAI-compatible base URL on loopback that refuses every request with 401."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Refuse)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()


# ---------------------------------------------------------------- memory


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(c) for c in task.read_text().split()]
        except OSError:
            continue
    return found


def _status_kb(pid: int, field_name: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_mb(pid: int) -> float:
    """VmRSS of a process and all its descendants, in MB."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += _status_kb(current, "VmRSS")
        todo += _children(current)
    return total / 1024


def high_water_mb(pid: int) -> float:
    """The process's own peak resident memory (VmHWM), in MB."""
    return _status_kb(pid, "VmHWM") / 1024


def model_mappings(pid: int) -> int:
    """How many times a .gguf model file is mapped into the process (one per loaded model)."""
    try:
        maps = Path(f"/proc/{pid}/maps").read_text().splitlines()
    except OSError:
        return 0
    # llama.cpp maps the file's tensor data once per load, always from the same file offset.
    starts = Counter((m.split()[-1], m.split()[2]) for m in maps if m.endswith(".gguf"))
    return max(starts.values(), default=0)


class RssSampler:
    """Samples a process tree's RSS on a thread until stopped; keeps the peak."""

    def __init__(self, pid: int, every_s: float = 0.25) -> None:
        self.pid, self.every_s = pid, every_s
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_mb = max(self.peak_mb, tree_rss_mb(self.pid))
            self._stop.wait(self.every_s)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak_mb = max(self.peak_mb, tree_rss_mb(self.pid))


# ---------------------------------------------------------------- browser sessions


@dataclass
class SessionResult:
    """What one browser session saw."""

    name: str
    outcome: str = "pending"  # finished | stopped | timeout
    seconds: float = 0.0
    page_text: str = ""
    error_text: str = ""
    downloads: dict[str, bytes] = field(default_factory=dict)


async def _use_refusing_server(page, base_url: str) -> None:
    """Choose the OpenAI-compatible provider with a dummy key and the refusing server."""
    await page.get_by_text("OpenAI-compatible server (API key)").click()
    # A password field has no textbox role, so both fields are found by their labels.
    for label, value in (("API key", "sk-synthetic-not-a-key"), ("Base URL", base_url)):
        box = page.get_by_label(label, exact=True)
        await box.fill(value)
        await box.press("Enter")
    await page.get_by_text(base_url.split("//")[1].split("/")[0]).wait_for()


async def _upload(page, url: str, person: Person):
    """Open the app, upload this person's resume and return the run button once it shows."""
    await page.goto(url)
    await page.get_by_text("Upload your resume or pick a sample").wait_for()
    mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    payload = {"name": person.file_name, "mimeType": mime, "buffer": resume_docx(person)}
    await page.locator("input[type=file]").set_input_files(payload)
    run = page.get_by_role("button", name="Coach my resume")
    await run.wait_for()
    return run


async def _session(
    browser,
    url: str,
    person: Person,
    start: asyncio.Barrier,
    *,
    refuse_url: str | None,
    download: bool,
    timeout_s: float,
) -> SessionResult:
    """One user: upload, wait for everyone, press run, wait for results or the error."""
    result = SessionResult(person.name)
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = await context.new_page()
        page.set_default_timeout(120_000)
        try:
            run = await _upload(page, url, person)
            if refuse_url:
                await _use_refusing_server(page, refuse_url)
        except BaseException:
            await start.abort()  # the others would otherwise wait for this session forever
            raise
        await start.wait()
        started = time.monotonic()
        await run.click()
        done = page.get_by_text(FINISHED).or_(page.get_by_text(STOPPED))
        try:
            await done.first.wait_for(timeout=timeout_s * 1000)
        except Exception:  # noqa: BLE001 - playwright's TimeoutError; recorded, not raised
            result.outcome = "timeout"
            result.page_text = await page.locator("body").inner_text()
            return result
        result.seconds = round(time.monotonic() - started, 2)
        if await page.get_by_text(STOPPED).count():
            result.outcome = "stopped"
            main = page.locator('[data-testid="stMainBlockContainer"]')
            alerts = main.locator('[data-testid="stAlertContainer"]')
            # The status label changes a moment before the error message under it renders.
            await alerts.first.wait_for(timeout=30_000)
            result.error_text = "\n".join(await alerts.all_inner_texts())
        else:
            result.outcome = "finished"
            await page.get_by_text("Status:").first.wait_for()
            if download:
                for name, label in DOWNLOADS:
                    async with page.expect_download() as info:
                        await page.get_by_role("button", name=label).click()
                    saved = await (await info.value).path()
                    result.downloads[name] = Path(saved).read_bytes()
        result.page_text = await _settled_text(page)
        return result
    finally:
        await context.close()


async def _settled_text(page: Any, *, quiet_s: float = 1.0, limit_s: float = 60.0) -> str:
    """The page's text once it has stopped changing: Streamlit sends the results piece by
    piece, so the status line can say "Finished" before the last bullets are on the page."""
    text = await page.locator("body").inner_text()
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        await asyncio.sleep(quiet_s)
        again = await page.locator("body").inner_text()
        if again == text:
            break
        text = again
    return text


async def run_sessions(
    url: str, crowd: list[Person], *, refuse_url: str, downloads: int, timeout_s: float
) -> list[SessionResult]:
    """Drive one browser session per person; the last one uses the refusing server."""
    from playwright.async_api import async_playwright

    start = asyncio.Barrier(len(crowd))
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        try:
            jobs = [
                _session(
                    browser,
                    url,
                    person,
                    start,
                    refuse_url=refuse_url if i == len(crowd) - 1 else None,
                    download=i < downloads,
                    timeout_s=timeout_s,
                )
                for i, person in enumerate(crowd)
            ]
            return list(await asyncio.gather(*jobs))
        finally:
            await browser.close()


@dataclass
class Scenario:
    """Everything one run of the scenario measured."""

    results: list[SessionResult]
    wall_s: float
    idle_rss_mb: float
    peak_rss_mb: float
    high_water_mb: float
    model_mappings: int
    server_log: str = ""


def run_scenario(
    work: Path, sessions: int, *, downloads: int = 3, timeout_s: float = 600
) -> Scenario:
    """Start the server, run `sessions` browser sessions at once, measure, stop the server."""
    crowd = people(sessions)
    env = server_env(work / "cache", work / "guides")
    with (
        refusing_server() as refuse_url,
        streamlit_server(work / "streamlit.log", env) as (
            url,
            pid,
        ),
    ):
        idle = tree_rss_mb(pid)
        with RssSampler(pid) as sampler:
            started = time.monotonic()
            results = asyncio.run(
                run_sessions(
                    url, crowd, refuse_url=refuse_url, downloads=downloads, timeout_s=timeout_s
                )
            )
            wall = time.monotonic() - started
        scenario = Scenario(
            results=results,
            wall_s=round(wall, 2),
            idle_rss_mb=round(idle, 1),
            peak_rss_mb=round(sampler.peak_mb, 1),
            high_water_mb=round(high_water_mb(pid), 1),
            model_mappings=model_mappings(pid),
        )
    scenario.server_log = (work / "streamlit.log").read_text(errors="replace")
    return scenario


def summary(scenario: Scenario) -> dict[str, object]:
    """The benchmark's JSON: times of the sessions that finished, errors, memory."""
    times = [r.seconds for r in scenario.results if r.outcome == "finished"]
    return {
        "sessions": len(scenario.results),
        "finished": len(times),
        "errors": [
            {"session": r.name, "outcome": r.outcome, "message": r.error_text[:200]}
            for r in scenario.results
            if r.outcome != "finished"
        ],
        "seconds_to_results": {
            "median": round(statistics.median(times), 2) if times else None,
            "max": max(times, default=None),
            "each": times,
        },
        "wall_seconds": scenario.wall_s,
        "server_rss_mb": {
            "idle": scenario.idle_rss_mb,
            "peak": scenario.peak_rss_mb,
            "vm_hwm": scenario.high_water_mb,
        },
        "model_mappings": scenario.model_mappings,
        "cpus": os.cpu_count(),
    }


def main(argv: list[str] | None = None) -> int:
    """Run the scenario once and print its JSON summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10, help="browser sessions (max 16)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds a session may take")
    parser.add_argument("--out", type=Path, help="keep the server log and downloads here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        work = args.out or Path(scratch)
        work.mkdir(parents=True, exist_ok=True)
        scenario = run_scenario(work, args.sessions, timeout_s=args.timeout)
        for r in scenario.results:
            for name, data in r.downloads.items():
                (work / f"{r.name.replace(' ', '-').lower()}-{name}").write_bytes(data)
    print(json.dumps(summary(scenario), indent=2))
    return 0 if all(r.outcome == "finished" for r in scenario.results[:-1]) else 1


if __name__ == "__main__":
    raise SystemExit(main())
