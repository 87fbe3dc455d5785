"""Provider layer: settings, factory, cache, stats, retries and tolerant structured output."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
from fakes import FakeChat, connection_error, http_error, timeout_error
from langchain_core.messages import AIMessage

from coach.errors import ProviderError
from coach.llm import (
    LLMClient,
    ProviderSettings,
    build_chat_model,
    extract_json,
    resolve_provider,
)

SCHEMA = {
    "type": "object",
    "properties": {"bullet": {"type": "string"}},
    "required": ["bullet"],
}
MESSAGES = [("system", "You rewrite resume bullets."), ("human", "Led weekly stand-ups.")]
SECRET = "sk-test-0123456789abcdef"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "RESUME_COACH_PROVIDER",
        "RESUME_COACH_MODEL",
        "RESUME_COACH_MODEL_PATH",
        "RESUME_COACH_NO_CACHE",
        "RESUME_COACH_MAX_RETRIES",
        "RESUME_COACH_TIMEOUT",
    ):
        monkeypatch.delenv(name, raising=False)


def make_client(
    fake: FakeChat, tmp_path: Path, **settings: object
) -> tuple[LLMClient, list[float]]:
    """A client over the fake with a tmp cache and a recorded (not real) sleep."""
    sleeps: list[float] = []
    opts = {"provider": "local", "cache_dir": tmp_path / "cache", **settings}
    client = LLMClient(fake, ProviderSettings(**opts), sleep=sleeps.append)
    return client, sleeps


# ---- settings and provider resolution -------------------------------------------------------


def test_auto_without_key_is_local() -> None:
    assert resolve_provider(ProviderSettings.from_env()) == "local"


def test_auto_with_key_is_openai(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    settings = ProviderSettings.from_env()
    assert resolve_provider(settings) == "openai"
    assert settings.model_name() == "gpt-4o-mini"


def test_openai_without_key_says_what_to_do() -> None:
    with pytest.raises(ProviderError, match="OPENAI_API_KEY.*--provider local"):
        resolve_provider(ProviderSettings(provider="openai"))


def test_blank_key_counts_as_no_key() -> None:
    assert ProviderSettings(api_key="  ").resolve_provider() == "local"


def test_env_and_overrides(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("RESUME_COACH_PROVIDER", "OpenAI")
    monkeypatch.setenv("RESUME_COACH_MODEL", "llama3.2")
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    monkeypatch.setenv("OPENAI_BASE_URL", "http://localhost:11434/v1")
    monkeypatch.setenv("RESUME_COACH_CACHE_DIR", str(tmp_path))
    settings = ProviderSettings.from_env(model="qwen2.5", max_retries=None)
    assert settings.provider == "openai"
    assert settings.model == "qwen2.5"  # the flag wins over the environment
    assert settings.max_retries == 3  # None means "not given", not "zero"
    assert settings.cache_dir == tmp_path
    assert settings.describe() == "openai: qwen2.5 at http://localhost:11434/v1"


def test_bad_env_value_is_a_provider_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RESUME_COACH_PROVIDER", "claude")
    with pytest.raises(ProviderError, match="auto, local or openai"):
        ProviderSettings.from_env()


def test_key_never_in_repr_or_str(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    settings = ProviderSettings.from_env()
    for text in (repr(settings), str(settings), settings.describe(), settings.model_dump_json()):
        assert SECRET not in text
    assert settings.api_key is not None
    assert settings.api_key.get_secret_value() == SECRET


@pytest.mark.filterwarnings("ignore:A test tried to use socket")
def test_factory_builds_chat_openai_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    from langchain_openai import ChatOpenAI

    settings = ProviderSettings(
        provider="openai", api_key=SECRET, base_url="http://localhost:8000/v1", timeout_s=7
    )
    model = build_chat_model(settings)
    assert isinstance(model, ChatOpenAI)
    assert model.model_name == "gpt-4o-mini"
    assert model.max_retries == 0  # LLMClient owns retries
    assert SECRET not in repr(model)


def test_factory_missing_model_file(tmp_path: Path) -> None:
    settings = ProviderSettings(provider="local", model_path=tmp_path / "missing.gguf")
    with pytest.raises(ProviderError, match="--model-path"):
        build_chat_model(settings)


def test_factory_rejects_non_gguf(tmp_path: Path) -> None:
    bogus = tmp_path / "model.gguf"
    bogus.write_bytes(b"not a model")
    with pytest.raises(ProviderError, match="not a GGUF"):
        build_chat_model(ProviderSettings(provider="local", model_path=bogus))


# ---- cache and stats ------------------------------------------------------------------------


def test_second_identical_call_is_served_from_cache(tmp_path: Path) -> None:
    fake = FakeChat(["Coordinated weekly stand-ups."])
    client, _ = make_client(fake, tmp_path)
    first = client.complete(MESSAGES, task="rewrite")
    again = LLMClient(fake, client.settings)  # a new run, same cache directory
    second = again.complete(MESSAGES, task="rewrite")
    assert fake.calls == 1
    assert (first.cached, second.cached) == (False, True)
    assert second.text == first.text == "Coordinated weekly stand-ups."
    assert again.stats()["llm_calls"] == 0
    assert again.stats()["cache_hits"] == 1


def test_cache_key_covers_schema_and_settings(tmp_path: Path) -> None:
    fake = FakeChat(default_reply='{"bullet": "x"}')
    client, _ = make_client(fake, tmp_path)
    client.complete(MESSAGES)
    client.complete(MESSAGES, schema=SCHEMA)
    hotter = LLMClient(fake, client.settings.model_copy(update={"temperature": 0.7}))
    hotter.complete(MESSAGES)
    assert fake.calls == 3


def test_failures_are_not_cached(tmp_path: Path) -> None:
    fake = FakeChat(["", "Ran weekly stand-ups."])
    client, _ = make_client(fake, tmp_path)
    assert client.complete(MESSAGES).error == "empty answer"
    assert client.complete(MESSAGES).text == "Ran weekly stand-ups."
    assert fake.calls == 2


def test_cache_can_be_turned_off(tmp_path: Path) -> None:
    fake = FakeChat(default_reply="same")
    client, _ = make_client(fake, tmp_path, use_cache=False)
    client.complete(MESSAGES)
    client.complete(MESSAGES)
    assert fake.calls == 2
    assert not (tmp_path / "cache").exists()


def test_stats_count_calls_and_tokens(tmp_path: Path) -> None:
    fake = FakeChat(["a", "b", "c"], usage=(100, 20))
    client, _ = make_client(fake, tmp_path)
    for n in range(3):
        client.complete([("human", f"bullet {n}")])
    client.complete([("human", "bullet 0")])
    assert client.stats() == {
        "provider": "FakeChat",
        "model": "fake-chat",
        "llm_calls": 3,
        "prompt_tokens": 300,
        "completion_tokens": 60,
        "cache_hits": 1,
    }


def test_stats_are_thread_safe(tmp_path: Path) -> None:
    fake = FakeChat(default_reply="ok", usage=(3, 1))
    client, _ = make_client(fake, tmp_path, use_cache=False, concurrency=4)
    threads = [
        threading.Thread(target=lambda i=i: client.complete([("human", str(i))])) for i in range(40)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stats = client.stats()
    assert (stats["llm_calls"], stats["prompt_tokens"], stats["completion_tokens"]) == (40, 120, 40)


def test_concurrency_limit_is_respected(tmp_path: Path) -> None:
    active, peak, lock = [0], [0], threading.Lock()

    def slow(_messages: object) -> str:
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(0.05)
        with lock:
            active[0] -= 1
        return "done"

    fake = FakeChat([slow] * 8)
    client, _ = make_client(fake, tmp_path, use_cache=False, concurrency=2)
    threads = [
        threading.Thread(target=client.complete, args=([("human", str(i))],)) for i in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert fake.calls == 8
    assert peak[0] <= 2


# ---- retries --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "error",
    [timeout_error(), connection_error(), http_error(429), http_error(503), TimeoutError()],
    ids=["timeout", "connection", "429", "503", "builtin-timeout"],
)
def test_transient_error_is_retried(tmp_path: Path, error: Exception) -> None:
    fake = FakeChat([error, "Planned the release."])
    client, sleeps = make_client(fake, tmp_path)
    result = client.complete(MESSAGES)
    assert result.ok
    assert result.text == "Planned the release."
    assert fake.calls == 2
    assert len(sleeps) == 1
    assert client.stats()["llm_calls"] == 1  # only answered calls are counted


def test_backoff_grows_exponentially(tmp_path: Path) -> None:
    fake = FakeChat([http_error(500), http_error(502), http_error(504), "ok"])
    client, sleeps = make_client(fake, tmp_path)
    assert client.complete(MESSAGES).ok
    assert len(sleeps) == 3
    assert sleeps[0] < sleeps[1] < sleeps[2]


def test_retry_after_header_is_honoured(tmp_path: Path) -> None:
    fake = FakeChat([http_error(429, retry_after=0.01), "ok"])
    client, sleeps = make_client(fake, tmp_path)
    assert client.complete(MESSAGES).ok
    assert sleeps == [0.01]


def test_huge_retry_after_is_capped(tmp_path: Path) -> None:
    fake = FakeChat([http_error(429, retry_after=86400), "ok"])
    client, sleeps = make_client(fake, tmp_path)
    assert client.complete(MESSAGES).ok
    assert sleeps[0] <= 60


def test_gives_up_after_max_retries_with_a_reason(tmp_path: Path) -> None:
    fake = FakeChat([http_error(503)] * 10)
    client, sleeps = make_client(fake, tmp_path, max_retries=2)
    result = client.complete(MESSAGES)
    assert not result.ok
    assert result.text == ""
    assert result.error is not None
    assert "after 3 attempts" in result.error
    assert "503" in result.error
    assert fake.calls == 3
    assert len(sleeps) == 2


def test_auth_error_stops_the_run_without_leaking_the_key(tmp_path: Path) -> None:
    fake = FakeChat([http_error(401, message=f"Incorrect API key provided: {SECRET}")])
    client, sleeps = make_client(fake, tmp_path)
    with pytest.raises(ProviderError, match="OPENAI_API_KEY") as info:
        client.complete(MESSAGES)
    assert SECRET not in str(info.value)
    assert sleeps == []


def test_unknown_error_is_a_reason_not_a_crash(tmp_path: Path) -> None:
    fake = FakeChat([ValueError("Requested tokens exceed context window")])
    client, sleeps = make_client(fake, tmp_path)
    result = client.complete(MESSAGES)
    assert result.error is not None
    assert "ValueError" in result.error
    assert sleeps == []
    assert fake.calls == 1


# ---- structured output ----------------------------------------------------------------------


def test_schema_is_bound_as_response_format(tmp_path: Path) -> None:
    fake = FakeChat(['{"bullet": "Ran stand-ups."}'])
    client, _ = make_client(fake, tmp_path)
    result = client.complete(MESSAGES, schema=SCHEMA, task="rewrite bullet")
    assert result.data == {"bullet": "Ran stand-ups."}
    fmt = fake.call_kwargs[0]["response_format"]
    assert fmt["type"] == "json_schema"
    assert fmt["json_schema"]["name"] == "rewrite_bullet"
    assert fmt["json_schema"]["schema"] == SCHEMA


def test_schema_rejected_falls_back_to_prompt_only_json(tmp_path: Path) -> None:
    fake = FakeChat(['{"bullet": "one"}', '{"bullet": "two"}'], reject_response_format=True)
    client, _ = make_client(fake, tmp_path)
    first = client.complete(MESSAGES, schema=SCHEMA)
    assert first.data == {"bullet": "one"}
    assert "JSON schema" in fake.prompts[1][-1].content  # the schema moved into the prompt
    assert json.dumps(SCHEMA) in fake.prompts[1][-1].content
    second = client.complete([("human", "other")], schema=SCHEMA)
    assert second.data == {"bullet": "two"}
    assert fake.calls == 3  # the second call skipped the schema attempt
    assert "response_format" not in fake.call_kwargs[2]


def test_non_json_then_repair_succeeds(tmp_path: Path) -> None:
    fake = FakeChat(["Sure! Here is the bullet: Ran stand-ups.", '{"bullet": "Ran stand-ups."}'])
    client, _ = make_client(fake, tmp_path)
    result = client.complete(MESSAGES, schema=SCHEMA)
    assert result.ok
    assert result.data == {"bullet": "Ran stand-ups."}
    repair = fake.prompts[1]
    assert repair[-2].content == "Sure! Here is the bullet: Ran stand-ups."
    assert "valid JSON" in repair[-1].content
    assert client.stats()["llm_calls"] == 2


def test_non_json_twice_is_an_error_not_a_crash(tmp_path: Path) -> None:
    fake = FakeChat(["no json here", "still none"])
    client, _ = make_client(fake, tmp_path)
    result = client.complete(MESSAGES, schema=SCHEMA)
    assert not result.ok
    assert result.data is None
    assert result.text == "still none"
    assert result.error is not None
    assert "repair" in result.error
    assert fake.calls == 2  # exactly one repair retry


def test_truncated_json_is_repaired_once(tmp_path: Path) -> None:
    cut = AIMessage(
        content='{"bullet": "Led a team of', response_metadata={"finish_reason": "length"}
    )
    fake = FakeChat([cut, '{"bullet": "Led a team"'])
    client, _ = make_client(fake, tmp_path)
    result = client.complete(MESSAGES, schema=SCHEMA)
    assert not result.ok
    assert result.error is not None
    assert "truncated" in result.error
    assert fake.calls == 2


def test_truncated_text_answer_carries_a_reason(tmp_path: Path) -> None:
    cut = AIMessage(content="Led a team of", response_metadata={"finish_reason": "length"})
    client, _ = make_client(FakeChat([cut]), tmp_path)
    result = client.complete(MESSAGES)
    assert result.text == "Led a team of"
    assert result.error == "truncated answer (max_tokens reached)"


@pytest.mark.parametrize("empty", ["", "   \n"])
def test_empty_answer(tmp_path: Path, empty: str) -> None:
    client, _ = make_client(FakeChat([empty, empty]), tmp_path)
    assert client.complete(MESSAGES).error == "empty answer"
    result = client.complete([("human", "x")], schema=SCHEMA)
    assert result.error is not None
    assert result.error.startswith("empty answer")


def test_json_in_code_fences(tmp_path: Path) -> None:
    fake = FakeChat(['Here you go:\n```json\n{"bullet": "Ran stand-ups.",}\n```\nThanks!'])
    client, _ = make_client(fake, tmp_path)
    result = client.complete(MESSAGES, schema=SCHEMA)
    assert result.data == {"bullet": "Ran stand-ups."}
    assert fake.calls == 1


def test_wrong_shape_triggers_repair(tmp_path: Path) -> None:
    fake = FakeChat(['{"text": "Ran stand-ups."}', '{"bullet": "Ran stand-ups."}'])
    client, _ = make_client(fake, tmp_path)
    result = client.complete(MESSAGES, schema=SCHEMA)
    assert result.data == {"bullet": "Ran stand-ups."}
    assert "missing keys: bullet" in fake.prompts[1][-1].content


def test_repair_call_failing_keeps_a_reason(tmp_path: Path) -> None:
    fake = FakeChat(["nope", ValueError("boom")])
    client, _ = make_client(fake, tmp_path)
    result = client.complete(MESSAGES, schema=SCHEMA)
    assert result.text == "nope"
    assert result.error is not None
    assert "repair failed" in result.error


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ('{"a": 1}', {"a": 1}),
        ('  Sure thing. {"a": [1, 2,], } and that is all', {"a": [1, 2]}),
        ("```\n[1, 2]\n```", [1, 2]),
        ('```json\n{"a": "b"}', {"a": "b"}),
        ('The skill {core} is shown: {"a": "x {y}"}', {"a": "x {y}"}),
        ('\ufeff{"a": null}', {"a": None}),
    ],
)
def test_extract_json_is_tolerant(answer: str, expected: object) -> None:
    assert extract_json(answer) == expected


@pytest.mark.parametrize("answer", ["", "plain prose", '{"a": 1', "{'a': 1}"])
def test_extract_json_refuses_garbage(answer: str) -> None:
    with pytest.raises(ValueError):
        extract_json(answer)


def test_time_limit_skips_the_repair(tmp_path: Path) -> None:
    cut = AIMessage(content='{"bullet": "Led', response_metadata={"finish_reason": "timeout"})
    fake = FakeChat([cut])
    client, _ = make_client(fake, tmp_path)
    result = client.complete(MESSAGES, schema=SCHEMA)
    assert result.error == "truncated answer (time limit reached)"
    assert fake.calls == 1


def test_no_cache_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RESUME_COACH_NO_CACHE", "1")
    assert ProviderSettings.from_env().use_cache is False
    monkeypatch.setenv("RESUME_COACH_NO_CACHE", "0")
    assert ProviderSettings.from_env().use_cache is True


# ---- local adapter, with a stand-in for llama.cpp -------------------------------------------


class StubLlama:
    """Answers like llama_cpp.Llama.create_chat_completion and records the request."""

    def __init__(self, finish: str = "stop", hit_deadline: bool = False) -> None:
        self.requests: list[dict[str, object]] = []
        self.finish = finish
        self.hit_deadline = hit_deadline
        self.deadline: float | None = None
        self.deadline_hit = False

    def create_chat_completion(self, **request: object) -> dict[str, object]:
        self.requests.append({**request, "deadline": self.deadline})
        self.deadline_hit = self.hit_deadline
        return {
            "choices": [{"message": {"content": '{"bullet": "x"}'}, "finish_reason": self.finish}],
            "usage": {"prompt_tokens": 42, "completion_tokens": 7, "total_tokens": 49},
        }


def stub_local_model(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, stub: StubLlama, **fields: object
) -> object:
    from coach import llm_local

    path = tmp_path / "stub.gguf"
    monkeypatch.setitem(llm_local._models, (str(path.resolve()), 2048), (stub, threading.Lock()))
    return llm_local.LocalLlamaChat(model_path=str(path), **fields)


def test_local_adapter_maps_messages_usage_and_schema(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    stub = StubLlama()
    model = stub_local_model(monkeypatch, tmp_path, stub, max_tokens=33, timeout_s=5)
    client = LLMClient(model, ProviderSettings(provider="local", cache_dir=tmp_path / "c"))
    result = client.complete(MESSAGES + [("ai", "earlier"), ("human", "again")], schema=SCHEMA)
    assert result.data == {"bullet": "x"}
    request = stub.requests[0]
    roles = [m["role"] for m in request["messages"]]
    assert roles == ["system", "user", "assistant", "user"]
    assert request["max_tokens"] == 33
    assert request["temperature"] == 0.0
    assert request["response_format"] == {"type": "json_object", "schema": SCHEMA}
    assert request["deadline"] is not None  # the time limit is armed for the call
    assert stub.deadline is None  # and disarmed afterwards
    assert client.stats()["provider"] == "local"
    assert (client.stats()["prompt_tokens"], client.stats()["completion_tokens"]) == (42, 7)


def test_local_adapter_reports_a_time_limit(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    model = stub_local_model(monkeypatch, tmp_path, StubLlama(hit_deadline=True), timeout_s=1)
    message = model.invoke(MESSAGES)
    assert message.response_metadata["finish_reason"] == "timeout"
    assert message.usage_metadata["output_tokens"] == 7


def test_sdk_length_error_becomes_a_truncated_answer(tmp_path: Path) -> None:
    import openai
    from openai.types.chat import ChatCompletion

    completion = ChatCompletion.model_validate(
        {
            "id": "c1",
            "object": "chat.completion",
            "created": 0,
            "model": "m",
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "length",
                    "message": {"role": "assistant", "content": '{"bullet": "Led'},
                }
            ],
            "usage": {"prompt_tokens": 9, "completion_tokens": 4, "total_tokens": 13},
        }
    )
    cut = openai.LengthFinishReasonError(completion=completion)
    fake = FakeChat([cut, '{"bullet": "Led stand-ups."}'], usage=(9, 6))
    client, sleeps = make_client(fake, tmp_path)
    result = client.complete(MESSAGES, schema=SCHEMA)
    assert result.data == {"bullet": "Led stand-ups."}
    assert "truncated" in fake.prompts[1][-1].content  # the repair says what went wrong
    assert "response_format" in fake.call_kwargs[1]  # the schema was not given up on
    assert client.stats()["completion_tokens"] == 10
    assert sleeps == []


def test_describe_hides_credentials_in_the_server_url() -> None:
    settings = ProviderSettings(
        provider="openai", api_key=SECRET, base_url="https://user:pw@llm.example.com/v1"
    )
    assert settings.describe() == "openai: gpt-4o-mini at https://llm.example.com/v1"
    assert "api.openai.com" in ProviderSettings(provider="openai", api_key=SECRET).describe()


def test_thread_count_setting(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from coach.llm_local import LocalLlamaChat

    gguf = tmp_path / "tiny.gguf"
    gguf.write_bytes(b"GGUF" + bytes(16))
    monkeypatch.setenv("RESUME_COACH_THREADS", "1")
    model = build_chat_model(ProviderSettings.from_env(provider="local", model_path=gguf))
    assert isinstance(model, LocalLlamaChat)
    assert model.n_threads == 1
    assert model.model_name == "tiny"


def test_per_call_answer_budget_reaches_the_model_and_never_exceeds_the_settings(tmp_path):
    chat = FakeChat(replies=["short", "short"])
    settings = ProviderSettings(provider="local", cache_dir=tmp_path, max_tokens=200)
    client = LLMClient(chat, settings)
    client.complete(MESSAGES, max_tokens=50)
    client.complete(MESSAGES, max_tokens=500)
    assert chat.call_kwargs[0].get("max_tokens") == 50
    assert "max_tokens" not in chat.call_kwargs[1]  # capped at the settings' 200: no override
