"""Prompt templates: one YAML file per task in `prompts/`, rendered with named variables.

A template file holds `system` and `user` templates (str.format syntax, `{{` for a literal
brace), `examples` (input variables for the user template plus the answer to show) and
optionally `max_tokens` and `stop` (where the answer ends). The
examples become prior chat turns, which is what makes a 135M model follow the format.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

TASKS = ("rewrite_bullet", "rewrite_role", "summary", "star_story", "skills")


@dataclass(frozen=True)
class Example:
    """One worked example: variables for the user template and the answer to show."""

    input: dict[str, str]
    output: str


@dataclass(frozen=True)
class PromptTemplate:
    """A task's system and user templates with its few-shot examples."""

    name: str
    system: str
    user: str
    examples: tuple[Example, ...] = ()
    max_tokens: int | None = None  # answer budget: a small model rambles past what it needs
    stop: tuple[str, ...] = ()  # strings that end the answer ("\n" for a one-line answer)

    def variables(self) -> set[str]:
        """The named variables the system and user templates use."""
        return template_fields(self.system) | template_fields(self.user)

    def render(self, **variables: str) -> list[tuple[str, str]]:
        """Chat messages: system, the examples as prior turns, then the user turn."""
        check_variables(self.name, self.variables(), variables)
        messages = [("system", self.system.format(**variables))]
        for example in self.examples:
            messages += [("human", self.user.format(**example.input)), ("ai", example.output)]
        messages.append(("human", self.user.format(**variables)))
        return messages

    def example_texts(self) -> list[str]:
        """The fixed text of the prompt (system and examples), for the guard's echo check."""
        fixed = template_fields(self.system)
        texts = [self.system.format(**dict.fromkeys(fixed, ""))]
        for example in self.examples:
            texts += [*example.input.values(), example.output]
        return texts


def template_fields(template: str) -> set[str]:
    """Named fields of a str.format template."""
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


def check_variables(name: str, needed: set[str], given: dict[str, Any]) -> None:
    """Raise ValueError when a variable is missing or unused, so template drift fails loudly."""
    missing, unused = needed - given.keys(), given.keys() - needed
    if missing or unused:
        raise ValueError(
            f"prompt '{name}': missing variables {sorted(missing)}, unused {sorted(unused)}"
        )


def prompts_dir() -> Path:
    """The folder holding the YAML templates: package data in a wheel, `prompts/` in a checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "prompt_files"  # pyproject maps the top-level prompts/ folder here
    return packaged if packaged.is_dir() else here.parent / "prompts"


@cache
def load_prompt(name: str) -> PromptTemplate:
    """Load one task's template from its YAML file."""
    raw = yaml.safe_load((prompts_dir() / f"{name}.yaml").read_text(encoding="utf-8"))
    examples = tuple(
        Example(input={k: str(v) for k, v in ex["input"].items()}, output=str(ex["output"]))
        for ex in raw.get("examples") or []
    )
    budget = raw.get("max_tokens")
    template = PromptTemplate(
        name,
        raw["system"],
        raw["user"],
        examples,
        int(budget) if budget else None,
        tuple(str(s) for s in raw.get("stop") or ()),
    )
    for example in examples:
        check_variables(f"{name} example", template_fields(template.user), example.input)
    return template
