"""Smoke test of the real embedded model (SmolLM2-135M via llama.cpp), built by the factory."""

from __future__ import annotations

from pathlib import Path

import pytest
from langchain_core.messages import AIMessage

from coach.llm import LLMClient, ProviderSettings, build_chat_model
from coach.llm_local import LocalLlamaChat, embedded_model_path

pytestmark = pytest.mark.slow

MESSAGES = [
    ("system", "You rewrite one resume bullet. Reply with the rewritten bullet only."),
    ("human", "Bullet: ran weekly team meetings"),
]


def test_embedded_model_ships_in_the_wheel() -> None:
    path = embedded_model_path()
    assert path.suffix == ".gguf"
    assert path.stat().st_size > 50_000_000


def test_factory_builds_the_embedded_model_and_it_answers(tmp_path: Path) -> None:
    settings = ProviderSettings(provider="local", max_tokens=32, cache_dir=tmp_path)
    model = build_chat_model(settings)
    assert isinstance(model, LocalLlamaChat)
    message = model.invoke(MESSAGES)
    assert isinstance(message, AIMessage)
    assert message.text.strip()
    usage = message.usage_metadata
    assert usage is not None
    assert usage["input_tokens"] > 0
    assert 0 < usage["output_tokens"] <= 32


def test_client_gets_schema_json_from_the_embedded_model(tmp_path: Path) -> None:
    settings = ProviderSettings(provider="local", max_tokens=48, cache_dir=tmp_path)
    client = LLMClient.from_settings(settings)
    schema = {
        "type": "object",
        "properties": {"bullet": {"type": "string"}},
        "required": ["bullet"],
    }
    result = client.complete(MESSAGES, schema=schema, task="rewrite")
    # A 135M model may still run out of tokens; either way the client must not raise.
    assert result.ok or result.error
    if result.ok:
        assert isinstance(result.data, dict)
        assert "bullet" in result.data
    stats = client.stats()
    assert stats["provider"] == "local"
    assert stats["llm_calls"] >= 1
    assert stats["prompt_tokens"] > 0
    assert stats["completion_tokens"] > 0
    assert client.complete(MESSAGES, schema=schema, task="rewrite").cached == result.ok


def test_time_limit_stops_a_long_answer(tmp_path: Path) -> None:
    settings = ProviderSettings(
        provider="local", max_tokens=2000, timeout_s=0.2, use_cache=False, cache_dir=tmp_path
    )
    client = LLMClient.from_settings(settings)
    client.complete(MESSAGES)  # warm up so loading does not eat the budget
    result = client.complete([("human", "Write a very long essay about project management.")])
    assert result.error == "truncated answer (time limit reached)"
