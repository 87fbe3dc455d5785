"""Fuzz ingest + parse with hypothesis: PDF, DOCX and text mutations for a fixed time budget.

Each format runs in a worker process, so a crash inside PDFium or lxml (a signal, not an
exception) is caught and its input kept. The worker writes every input to `current-*.bin`
before parsing it; whatever was there when a worker died is the crashing input.

Findings (any exception that is not a CoachError, a parse slower than --hang seconds, a dead
worker) are saved as `crash-*`, `slow-*` and `died-*` files under --out, with the traceback.

Usage: python bench/fuzz_parse.py [--seconds 120] [--formats pdf,docx,text] [--out DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import subprocess
import sys
import time
import traceback
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(ROOT / "tests"))

# Tokens that reach deeper into a parser than random bytes do.
PDF_TOKENS = [
    b"obj", b"endobj", b"<<", b">>", b"[", b"]", b"(", b")", b"/Length 99999999", b"0 R",
    b"stream\n", b"endstream", b"xref", b"trailer", b"startxref", b"%%EOF", b"/Type /Pages",
    b"/Kids [1 0 R]", b"/Count -1", b"/Count 2147483647", b"-0", b"1e308", b"99999999999",
    b"/Filter /FlateDecode", b"/Encrypt", b"BT", b"ET", b"Tj", b"TJ", b"Tf", b"Td", b"Tm",
    b"q", b"Q", b"cm", b"\x00", b"\xff", b"\\", b"<FEFF", b"/ToUnicode", b"/W [0 [", b"/FontFile2",
]  # fmt: skip
XML_TOKENS = [
    b"<w:p>", b"</w:p>", b"<w:r>", b"</w:r>", b"<w:t>", b"</w:t>", b"<w:tab/>", b"<w:br/>",
    b'<w:pStyle w:val="Heading1"/>', b'<w:numPr><w:numId w:val="999"/></w:numPr>',
    b'<w:outlineLvl w:val="-5"/>', b'<w:sz w:val="-1"/>', b'<w:sz w:val="99999999999"/>',
    b'<w:color w:val="ZZZZZZ"/>', b"<w:tbl><w:tr><w:tc>", b"</w:tc></w:tr></w:tbl>",
    b"<!DOCTYPE x [<!ENTITY e 'a'>]>", b"&e;", b"&#0;", b"&#xD800;", b"<![CDATA[", b"]]>",
    b"\x00", b"\xff", b"<", b">", b"&", b'"', b"<mc:Fallback>",
]  # fmt: skip
TEXT_CODECS = ["utf-8", "utf-16", "utf-16-le", "utf-32", "cp1252", "shift_jis", "gb18030"]


def _seeds(kind: str) -> list[bytes]:
    """Valid files that mutations start from."""
    import hostile
    from builders import docx_bytes, pdf_bytes

    if kind == "pdf":
        return [
            pdf_bytes(),
            pdf_bytes(encrypt_user="", encrypt_owner="owner"),
            hostile.many_pages_pdf(3),
            hostile.cyclic_page_tree_pdf(),
            hostile.unicode_pdf(["Zoë Martín", "dana.levi@example.com", "• Led 3 teams"]),
        ]
    return [docx_bytes(), hostile.external_relationships_docx(), hostile.macro_docm()]


def _mutate(data, seed: bytes, tokens: list[bytes]) -> bytes:
    """Byte flips, truncations, insertions, deletions and duplications drawn by hypothesis."""
    from hypothesis import strategies as st

    buffer = bytearray(seed)
    for _ in range(data.draw(st.integers(1, 8))):
        op = data.draw(st.sampled_from(["flip", "truncate", "insert", "delete", "dup", "token"]))
        at = data.draw(st.integers(0, max(0, len(buffer) - 1)))
        if op == "flip" and buffer:
            buffer[at] ^= 1 << data.draw(st.integers(0, 7))
        elif op == "truncate":
            del buffer[at:]
        elif op == "insert":
            buffer[at:at] = data.draw(st.binary(min_size=1, max_size=64))
        elif op == "delete":
            del buffer[at : at + data.draw(st.integers(1, 256))]
        elif op == "dup":
            chunk = buffer[at : at + data.draw(st.integers(1, 512))]
            buffer[at:at] = chunk * data.draw(st.integers(1, 50))
        else:
            buffer[at:at] = data.draw(st.sampled_from(tokens))
    return bytes(buffer)


def _with_document_xml(docx: bytes, transform) -> bytes:
    """The same DOCX with word/document.xml replaced by `transform(old)`."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "word/document.xml":
                body = transform(body)
            target.writestr(info, body, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _draw_input(data, kind: str, seeds: list[bytes]) -> bytes:
    from hypothesis import strategies as st

    if kind == "pdf":
        return _mutate(data, data.draw(st.sampled_from(seeds)), PDF_TOKENS)
    if kind == "docx":
        seed = data.draw(st.sampled_from(seeds))
        if data.draw(st.booleans()):
            return _with_document_xml(seed, lambda xml: _mutate(data, xml, XML_TOKENS))
        return _mutate(data, seed, [b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06", b"\xff" * 4])
    if data.draw(st.booleans()):
        return data.draw(st.binary(max_size=4000))
    text = data.draw(st.text(max_size=2000))
    return text.encode(data.draw(st.sampled_from(TEXT_CODECS)), errors="ignore")


def worker(kind: str, seconds: float, out: Path, hang: float) -> dict:
    """Run hypothesis examples in chunks until the budget is spent; report counts."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from coach.errors import CoachError
    from coach.parse import parse_bytes

    seeds = _seeds(kind) if kind != "text" else []
    current = out / f"current-{kind}.bin"
    stats = {"format": kind, "executions": 0, "coach_errors": 0, "crashes": 0, "slow": 0}
    end = time.monotonic() + seconds

    @settings(
        max_examples=50,  # a chunk: the budget is checked between chunks
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def one(data):
        payload = _draw_input(data, kind, seeds)
        current.write_bytes(payload)
        stats["executions"] += 1
        start = time.monotonic()
        try:
            parse_bytes(payload)
        except CoachError:
            stats["coach_errors"] += 1
        except Exception:  # the finding this script exists for
            stats["crashes"] += 1
            _save(out, "crash", kind, payload, traceback.format_exc())
        took = time.monotonic() - start
        if took > hang:
            stats["slow"] += 1
            _save(out, "slow", kind, payload, f"{took:.1f} s")

    while time.monotonic() < end:
        one()
    return stats


def _save(out: Path, what: str, kind: str, payload: bytes, note: str) -> None:
    digest = hashlib.sha1(payload).hexdigest()[:12]
    (out / f"{what}-{kind}-{digest}.bin").write_bytes(payload)
    (out / f"{what}-{kind}-{digest}.txt").write_text(note)
    print(f"  {what}: {kind} {digest} {note.strip().splitlines()[-1]}", file=sys.stderr)


def run_format(kind: str, seconds: float, out: Path, hang: float) -> dict:
    """Drive workers for one format until the budget is spent, restarting after a crash."""
    totals = {"format": kind, "executions": 0, "coach_errors": 0, "crashes": 0, "slow": 0}
    totals["died"] = 0
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 1:
        command = [sys.executable, __file__, "--worker", kind, "--seconds", f"{left:.1f}"]
        command += ["--out", str(out), "--hang", str(hang)]
        try:
            child = subprocess.run(command, capture_output=True, text=True, timeout=left + 60)
        except subprocess.TimeoutExpired:
            child = None
        if child is not None and child.returncode == 0:
            for key, value in json.loads(child.stdout.splitlines()[-1]).items():
                if key != "format":
                    totals[key] += value
            sys.stderr.write(child.stderr)
            continue
        # A signal or a hang past the budget: the last input written is the culprit.
        totals["died"] += 1
        current = out / f"current-{kind}.bin"
        note = "hang (killed)" if child is None else f"exit {child.returncode}\n{child.stderr}"
        _save(out, "died", kind, current.read_bytes(), note)
    return totals


def main(argv: list[str] | None = None) -> int:
    """Fuzz each format for the budget; exit 1 when anything was found."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120.0, help="budget per format")
    parser.add_argument("--formats", default="pdf,docx,text")
    parser.add_argument("--out", default="fuzz-findings", help="folder for findings")
    parser.add_argument("--hang", type=float, default=5.0, help="slower than this is a finding")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.worker:
        print(json.dumps(worker(args.worker, args.seconds, out, args.hang)))
        return 0
    found = 0
    for kind in args.formats.split(","):
        totals = run_format(kind, args.seconds, out, args.hang)
        rate = totals["executions"] / args.seconds
        print(
            f"{kind}: {totals['executions']} executions in {args.seconds:.0f} s ({rate:.0f}/s), "
            f"{totals['coach_errors']} CoachError, {totals['crashes']} other exceptions, "
            f"{totals['slow']} over {args.hang:.0f} s, {totals['died']} worker deaths"
        )
        found += totals["crashes"] + totals["slow"] + totals["died"]
    print(f"findings: {found} (saved under {out})")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
