"""A synthetic resume and scripted fake models for the chain, pipeline and CLI tests."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from fakes import FakeChat
from langchain_core.messages import BaseMessage

from coach.llm import LLMClient, ProviderSettings

RESUME_MD = """# Jordan Avery

jordan.avery@example.com | (555) 010-0142 | https://jordanavery.example.com | Austin, TX

## Summary

Software engineer who builds reliable Python services.

## Experience

### Senior Software Engineer | Northwind Freight | 2019 - Present

- Coordinated a 5-person team to move the billing service to a new platform in 10 weeks.
- Rebuilt the CI/CD pipeline with automated tests, cutting build time from 30 to 12 minutes.
- Explained architecture trade-offs to non-technical leaders in a monthly review.

### Software Engineer | Contoso Labs | 2015 - 2019

- Fixed production incidents during on-call and wrote runbooks for the support team.
- Designed a Python reporting service used by 200 customers.

## Education

B.S. in Computer Science, University of Texas, 2015

## Skills

Python, SQL, Docker, Jira, Agile
"""
RESUME_BYTES = RESUME_MD.encode()
TARGET = "AI Project Manager"

# Honest rewrites: a stronger verb or a short framing, every fact kept, nothing added.
HONEST = {
    "Coordinated a 5-person team to move the billing service to a new platform in 10 weeks.": (
        "Organized a 5-person team to move the billing service to a new platform in 10 weeks."
    ),
    "Rebuilt the CI/CD pipeline with automated tests, cutting build time from 30 to 12 minutes.": (
        "Streamlined releases by rebuilding the CI/CD pipeline with automated tests, cutting "
        "build time from 30 to 12 minutes."
    ),
    "Explained architecture trade-offs to non-technical leaders in a monthly review.": (
        "Communicated architecture trade-offs to non-technical leaders in a monthly review."
    ),
    "Fixed production incidents during on-call and wrote runbooks for the support team.": (
        "Resolved production incidents during on-call and wrote runbooks for the support team."
    ),
    "Designed a Python reporting service used by 200 customers.": (
        "Designed and delivered a Python reporting service used by 200 customers."
    ),
}
HONEST_SUMMARY = (
    "Software engineer moving into AI project management. Coordinated a 5-person team, rebuilt "
    "the CI/CD pipeline and explained architecture trade-offs to non-technical leaders."
)


def _system(messages: list[BaseMessage]) -> str:
    return messages[0].text


def _last(messages: list[BaseMessage]) -> str:
    return messages[-1].text


def _between(text: str, tag: str) -> str:
    match = re.search(rf"<{tag}>\s*(.*?)\s*</{tag}>", text, re.DOTALL)
    return match.group(1) if match else ""


def _role_lines(text: str) -> list[tuple[int, str]]:
    lines = _between(text, "bullets").splitlines()
    found = [re.match(r"(\d+)\. \[skill: [^\]]*\] (.*)", line.strip()) for line in lines]
    return [(int(m.group(1)), m.group(2)) for m in found if m]


def honest(messages: list[BaseMessage]) -> str:
    """A well-behaved model: honest rewrites, a grounded summary, STAR from the bullet only."""
    system, last = _system(messages), _last(messages)
    if "rewrite resume bullets" in system:
        items = [{"id": i, "text": HONEST.get(b, b)} for i, b in _role_lines(last)]
        return json.dumps({"bullets": items})
    if "rewrite one resume bullet" in system:
        bullet = _between(last, "bullet")
        return HONEST.get(bullet, bullet)
    if "professional summary" in system:
        return HONEST_SUMMARY
    if "interview story" in system:
        bullet = _between(last, "bullet").rstrip(".")
        return json.dumps(
            {
                "situation": "[add: the problem the team faced]",
                "task": "[add: your goal]",
                "action": bullet + ".",
                "result": "[add: the result]",
            }
        )
    if "skills" in system:
        skills = [s.strip() for s in _between(last, "skills").split(",")]
        return json.dumps({"groups": [{"name": "Core", "keywords": skills[::-1]}]})
    raise AssertionError("unknown prompt")


def fabricating(messages: list[BaseMessage]) -> str:
    """A model that adds employers, tools and numbers everywhere."""
    system, last = _system(messages), _last(messages)
    if "rewrite resume bullets" in system:
        items = [
            {"id": i, "text": f"{b.rstrip('.')} at Google using Kubernetes, saving $2M."}
            for i, b in _role_lines(last)
        ]
        return json.dumps({"bullets": items})
    if "rewrite one resume bullet" in system:
        return _between(last, "bullet").rstrip(".") + " at Google using Kubernetes, saving $2M."
    if "professional summary" in system:
        return "Former Google engineer with 15 years in Kubernetes who saved $2M a year."
    if "interview story" in system:
        return json.dumps(
            {
                "situation": "At Google, a team of 40 engineers faced an outage.",
                "task": "Cut costs by $2M using Kubernetes.",
                "action": "Migrated everything to Kubernetes and Terraform at Google.",
                "result": "Saved $2M and won the Google Founders Award.",
            }
        )
    if "skills" in system:
        return json.dumps({"groups": [{"name": "Cloud", "keywords": ["Python", "Kubernetes"]}]})
    raise AssertionError("unknown prompt")


def echoing(messages: list[BaseMessage]) -> str:
    """A model that repeats its instructions back."""
    return _system(messages)


def make_client(
    reply: Callable[[list[BaseMessage]], str] | str | BaseException,
    tmp_path: Path,
    *,
    provider: str = "local",
    use_cache: bool = False,
    model_path: Path | None = None,
) -> tuple[LLMClient, FakeChat]:
    """An LLMClient over a FakeChat that answers every call with `reply`.

    A local client stands for the embedded model unless a `model_path` (a GGUF of the
    user's own) is given.
    """
    fake = FakeChat(default_reply=None)
    fake.default_reply = reply if isinstance(reply, str) else None
    if not isinstance(reply, str):
        fake.replies = _Forever(reply)  # type: ignore[assignment]
    settings = ProviderSettings(
        provider="local",
        cache_dir=tmp_path / "llm-cache",
        use_cache=use_cache,
        max_retries=1,
        model_path=model_path,
    )
    client = LLMClient(fake, settings, provider=provider, model_name="fake", sleep=lambda _s: None)
    return client, fake


class _Forever(list):
    """A reply queue that never runs dry: pop() always gives the same reply."""

    def __init__(self, reply: object) -> None:
        super().__init__([reply])
        self._reply = reply

    def pop(self, index: int = -1) -> object:
        return self._reply
