"""A small OpenAI-compatible chat server on loopback, for benchmarks and failure drills.

It answers POST /v1/chat/completions after a fixed delay with a canned, honest answer built
from the resume text inside the prompt's tags (the bullet back unchanged, the skills as given,
a STAR story with placeholders), so the guard accepts it and nothing is invented. It can also
fail a share of requests with 429/500/503 or hang, to exercise retries and timeouts.

    python bench/fake_openai_server.py --port 0 --delay 0.2 [--fail-rate 0.2] [--hang-rate 0.05]

More failure kinds for drills, each for a share of requests (the shares add up; one die decides
each request, in this order after --hang-rate and --fail-rate):

- `--late-rate R --late-seconds S`: a good answer, but only after S seconds (past the timeout).
- `--drop-rate R`: close the connection without sending a byte back.
- `--garbage-rate R --garbage-kinds K1,K2`: a 200 answer that is not a usable completion, one of
  `prose` (plain text), `html` (an HTML error page), `empty` (no body), `truncated` (JSON cut
  in half), `shape` (JSON without `choices`), `content-prose` (a valid completion whose message
  is prose where JSON was asked) or `content-truncated` (its message cut in half).
- `--trickle-rate R --trickle-interval S`: headers, then one body byte every S seconds, never
  reaching the promised Content-Length (stops after --hang-seconds).
- `--short-rate R`: promise a longer Content-Length than the half body it sends, then stall
  for --hang-seconds and close.

Connection refused needs no option: point the client at a port where nothing listens.

The first stdout line is `listening http://127.0.0.1:PORT/v1`. GET /stats returns the request
counts as JSON; the server stops by itself after --max-seconds (default 1 hour).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_TAG = r"<{0}>\s*(.*?)\s*</{0}>"
_NUMBERED = re.compile(r"^\s*(\d+)[.)]\s*(?:\[[^\]]*\]\s*)?(.*)$")


def _tagged(text: str, tag: str) -> str | None:
    match = re.search(_TAG.format(tag), text, re.DOTALL)
    return match.group(1) if match else None


def _story(bullet: str) -> dict[str, str]:
    return {
        "situation": "[add: the situation]",
        "task": "[add: your goal]",
        "action": bullet,
        "result": "[add: the result]",
    }


def canned_answer(prompt: str, wants_json: bool) -> str:
    """An answer that only repeats facts from the prompt's tagged resume text."""
    if (bullets := _tagged(prompt, "bullets")) is not None:
        items = []
        for line in bullets.splitlines():
            if match := _NUMBERED.match(line):
                items.append({"id": int(match.group(1)), "text": match.group(2).strip()})
        return json.dumps({"bullets": items})
    if (skills := _tagged(prompt, "skills")) is not None:
        words = [w.strip() for w in re.split(r"[,\n]", skills) if w.strip()]
        return json.dumps({"groups": [{"name": "Skills", "keywords": words}]})
    if (bullet := _tagged(prompt, "bullet")) is not None:
        return json.dumps(_story(bullet)) if wants_json else bullet
    if (facts := _tagged(prompt, "facts")) is not None:
        lines = [line.strip() for line in facts.splitlines() if line.strip()]
        return " ".join(lines[1:3] or lines[:1])
    return "{}" if wants_json else "OK"


# The extra failure kinds, in the order their shares are stacked on the die.
MISBEHAVIOURS = ("late", "dropped", "garbage", "trickled", "short")
GARBAGE_KINDS = ("prose", "html", "empty", "truncated", "shape", "content-prose")
ALL_GARBAGE_KINDS = (*GARBAGE_KINDS, "content-truncated")


def garbage_body(kind: str, completion: dict[str, Any]) -> tuple[str, bytes]:
    """(content type, body) of a 200 answer that is not a usable completion."""
    data = json.dumps(completion).encode()
    if kind == "prose":
        return "text/plain", b"Sure! Here is a better version of your resume bullet."
    if kind == "html":
        return "text/html", b"<html><body><h1>502 Bad Gateway</h1></body></html>"
    if kind == "empty":
        return "application/json", b""
    if kind == "truncated":
        return "application/json", data[: len(data) // 2]
    if kind == "shape":
        return "application/json", json.dumps({"result": "ok", "data": []}).encode()
    choice = completion["choices"][0]
    if kind == "content-prose":
        choice["message"]["content"] = "Sure! I reworded it to stress leadership and delivery."
    elif kind == "content-truncated":
        text = choice["message"]["content"]
        choice["message"]["content"] = text[: max(len(text) // 2, 1)]
    else:
        raise ValueError(f"unknown garbage kind: {kind}")
    return "application/json", json.dumps(completion).encode()


class Stats:
    """Request counters shared by the handler threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts = {"requests": 0, "ok": 0, "failed": 0, "hung": 0, "in_flight": 0}
        for kind in MISBEHAVIOURS:
            self.counts[kind] = 0
        self.max_in_flight = 0

    def bump(self, key: str, by: int = 1) -> None:
        """Add to one counter (and track the peak of requests in flight)."""
        with self.lock:
            self.counts[key] += by
            self.max_in_flight = max(self.max_in_flight, self.counts["in_flight"])

    def snapshot(self) -> dict[str, int]:
        """The counters as a dict."""
        with self.lock:
            return {**self.counts, "max_in_flight": self.max_in_flight}


def make_handler(args: argparse.Namespace, stats: Stats) -> type[BaseHTTPRequestHandler]:
    """The request handler class for these options."""
    rng = random.Random(args.seed)
    rng_lock = threading.Lock()
    statuses = [int(s) for s in args.fail_status.split(",") if s.strip()]
    garbage = [k.strip() for k in args.garbage_kinds.split(",") if k.strip()]
    unknown = set(garbage) - set(ALL_GARBAGE_KINDS)
    if unknown:
        raise SystemExit(f"unknown --garbage-kinds: {', '.join(sorted(unknown))}")

    def shares() -> list[float]:
        # Read on every request, so a drill can heal the server while it runs.
        return [
            args.late_rate,
            args.drop_rate,
            args.garbage_rate,
            args.trickle_rate,
            args.short_rate,
        ]

    def roll() -> float:
        with rng_lock:
            return rng.random()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *a: Any) -> None:  # noqa: A002 - stdlib signature
            return  # quiet: the benchmark reads stdout

        def _send(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def _send_raw(self, content_type: str, data: bytes, length: int | None = None) -> None:
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data) if length is None else length))
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()

        def _misbehave(self, kind: str, completion: dict[str, Any]) -> None:
            """Answer one request the way the `kind` failure does."""
            stats.bump(kind)
            if kind == "late":
                time.sleep(args.late_seconds)
                try:
                    self._send(200, completion)
                except OSError:
                    self.close_connection = True  # the client gave up waiting: that is the point
            elif kind == "dropped":
                self.close_connection = True  # the handler returns; the socket closes unanswered
            elif kind == "garbage":
                choice = garbage[int(roll() * len(garbage)) % len(garbage)]
                self._send_raw(*garbage_body(choice, completion))
            elif kind == "trickled":
                self._trickle(json.dumps(completion).encode())
            else:  # short: half the body, a Content-Length for all of it, then silence
                data = json.dumps(completion).encode()
                self._send_raw("application/json", data[: len(data) // 2], length=len(data))
                time.sleep(args.hang_seconds)
                self.close_connection = True

        def _trickle(self, data: bytes) -> None:
            # Promise far more than the answer so the body never ends, then drip it out.
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data) + 1_000_000))
            self.end_headers()
            stop = time.monotonic() + args.hang_seconds
            body = data + b" " * 1_000_000
            for i in range(len(body)):
                if time.monotonic() >= stop:
                    break
                try:
                    self.wfile.write(body[i : i + 1])
                    self.wfile.flush()
                except OSError:
                    break  # the client gave up: that is the point
                time.sleep(args.trickle_interval)
            self.close_connection = True

        def do_GET(self) -> None:  # noqa: N802 - stdlib naming
            if self.path.rstrip("/").endswith("/stats"):
                self._send(200, stats.snapshot())
            elif self.path.rstrip("/").endswith("/models"):
                self._send(200, {"object": "list", "data": [{"id": args.model, "object": "model"}]})
            else:
                self._send(404, {"error": {"message": "not found"}})

        def do_POST(self) -> None:  # noqa: N802 - stdlib naming
            length = int(self.headers.get("Content-Length") or 0)
            try:
                body = json.loads(self.rfile.read(length) or b"{}")
            except ValueError:
                self._send(400, {"error": {"message": "body is not JSON"}})
                return
            if not self.path.rstrip("/").endswith("/chat/completions"):
                self._send(404, {"error": {"message": "not found"}})
                return
            stats.bump("requests")
            stats.bump("in_flight")
            try:
                self._complete(body)
            finally:
                stats.bump("in_flight", -1)

        def _complete(self, body: dict[str, Any]) -> None:
            dice = roll()
            if dice < args.hang_rate:
                stats.bump("hung")
                time.sleep(args.hang_seconds)
                self.close_connection = True
                return
            time.sleep(args.delay)
            if statuses and dice < args.hang_rate + args.fail_rate:
                stats.bump("failed")
                status = statuses[int(roll() * len(statuses)) % len(statuses)]
                headers = {"Retry-After": "0"} if status == 429 else {}
                self._send(status, {"error": {"message": f"fake {status}"}}, headers)
                return
            completion = self._completion(body)
            band = args.hang_rate + args.fail_rate
            for kind, share in zip(MISBEHAVIOURS, shares(), strict=True):
                if band <= dice < band + share:
                    self._misbehave(kind, completion)
                    return
                band += share
            stats.bump("ok")
            self._send(200, completion)

        def _completion(self, body: dict[str, Any]) -> dict[str, Any]:
            """The honest chat completion for this request."""
            messages = body.get("messages") or []
            prompt = str(messages[-1].get("content", "")) if messages else ""
            wants_json = bool(body.get("response_format"))
            text = canned_answer(prompt, wants_json)
            prompt_tokens = sum(len(str(m.get("content", "")).split()) for m in messages)
            return {
                "id": f"chatcmpl-fake-{stats.snapshot()['requests']}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body.get("model", args.model),
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": text},
                        "finish_reason": "stop",
                    }
                ],
                "usage": {
                    "prompt_tokens": prompt_tokens,
                    "completion_tokens": len(text.split()),
                    "total_tokens": prompt_tokens + len(text.split()),
                },
            }

    return Handler


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--host", default="127.0.0.1", help="bind address (keep it on loopback)")
    p.add_argument("--port", type=int, default=0, help="0 picks a free port")
    p.add_argument("--delay", type=float, default=0.2, help="seconds before each answer")
    p.add_argument("--fail-rate", type=float, default=0.0, help="share of requests that fail")
    p.add_argument("--fail-status", default="429,500,503", help="statuses failures use")
    p.add_argument("--hang-rate", type=float, default=0.0, help="share of requests that hang")
    p.add_argument("--hang-seconds", type=float, default=30.0, help="how long a hang lasts")
    p.add_argument("--late-rate", type=float, default=0.0, help="share answered late")
    p.add_argument("--late-seconds", type=float, default=30.0, help="how late a late answer is")
    p.add_argument("--drop-rate", type=float, default=0.0, help="share closed without answer")
    p.add_argument("--garbage-rate", type=float, default=0.0, help="share of unusable answers")
    p.add_argument(
        "--garbage-kinds",
        default=",".join(GARBAGE_KINDS),
        help=f"unusable answers to pick from: {', '.join(ALL_GARBAGE_KINDS)}",
    )
    p.add_argument("--trickle-rate", type=float, default=0.0, help="share of endless answers")
    p.add_argument("--trickle-interval", type=float, default=0.5, help="seconds between bytes")
    p.add_argument("--short-rate", type=float, default=0.0, help="share of cut-short bodies")
    p.add_argument("--model", default="fake-model", help="model id reported by /v1/models")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--max-seconds", type=float, default=3600.0, help="stop after this long")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Serve until killed or until --max-seconds pass."""
    args = parse_args(argv)
    stats = Stats()
    server = ThreadingHTTPServer((args.host, args.port), make_handler(args, stats))
    server.daemon_threads = True
    port = server.server_address[1]
    print(f"listening http://{args.host}:{port}/v1", flush=True)
    timer = threading.Timer(args.max_seconds, server.shutdown)
    timer.daemon = True
    timer.start()
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    print(json.dumps(stats.snapshot()), file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
