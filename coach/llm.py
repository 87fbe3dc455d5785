"""Provider layer: settings, the one chat-model factory, and the client every chain calls.

`LLMClient.complete` wraps any LangChain chat model with an on-disk cache, usage counts,
retries with backoff, a concurrency limit and structured output that degrades gracefully:
JSON schema where the server supports it, else prompt-only JSON, tolerant parsing and one
repair retry. A bad answer never raises; it comes back as a `Completion` with a reason.
"""

from __future__ import annotations

import contextvars
import copy
import json
import os
import random
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

import platformdirs
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, convert_to_messages
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from coach.errors import ProviderError
from coach.llm_cache import DiskCache, cache_key

Provider = Literal["auto", "local", "openai"]
DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
NO_KEY_MESSAGE = "set OPENAI_API_KEY or use --provider local"
TIME_LIMIT_REASON = "truncated answer (time limit reached)"
LENGTH_LIMIT_REASON = "truncated answer (max_tokens reached)"
# What to check when a server refuses every call; the app names its own fields instead.
REFUSED_HINT = "check OPENAI_API_KEY, OPENAI_BASE_URL and --model"

# Backoff between retries: BASE * 2**attempt seconds, never more than MAX; a Retry-After header
# from the server wins but is capped too, so a hostile server cannot stall a run for hours.
BACKOFF_BASE_S = 0.5
BACKOFF_MAX_S = 20.0
RETRY_AFTER_MAX_S = 60.0
TRANSIENT_STATUS = {408, 409, 425, 429, 500, 502, 503, 504}
FATAL_STATUS = {401, 403, 404}
# A server that cannot do JSON schema answers one of these; we then fall back to prompt-only JSON.
SCHEMA_REJECT_STATUS = {400, 415, 422, 501}
# The OpenAI SDK's timeout is per read, so a server that sends a byte now and then never trips
# it; a remote call is also cut this long after its timeout_s (the SDK's own timeout goes first).
CALL_DEADLINE_GRACE_S = 1.0


def default_cache_dir() -> Path:
    """RESUME_COACH_CACHE_DIR, else the user cache directory's `llm` folder."""
    override = os.environ.get("RESUME_COACH_CACHE_DIR", "").strip()
    if override:
        return Path(override)
    return Path(platformdirs.user_cache_dir("resume-coach")) / "llm"


class ProviderSettings(BaseModel):
    """Everything that decides which model answers and how it is called."""

    model_config = ConfigDict(frozen=True)

    provider: Provider = "auto"
    model: str | None = None
    model_path: Path | None = None
    api_key: SecretStr | None = None
    base_url: str | None = None
    timeout_s: float = Field(default=60.0, gt=0)
    max_retries: int = Field(default=3, ge=0, le=10)
    temperature: float = Field(default=0.0, ge=0, le=2)
    max_tokens: int = Field(default=256, gt=0)
    concurrency: int = Field(default=4, ge=1, le=64)
    n_ctx: int = Field(default=2048, ge=256)
    # llama.cpp threads; None means every core. On a machine busy with other work, 1 thread can
    # be faster: llama.cpp's threads wait on each other after every step.
    n_threads: int | None = Field(default=None, ge=1, le=256)
    cache_dir: Path = Field(default_factory=default_cache_dir)
    use_cache: bool = True

    @classmethod
    def from_env(cls, **overrides: Any) -> ProviderSettings:
        """Settings from the environment; overrides that are not None (CLI flags) win."""
        env = os.environ
        values: dict[str, Any] = {
            "provider": env.get("RESUME_COACH_PROVIDER"),
            "model": env.get("RESUME_COACH_MODEL"),
            "model_path": env.get("RESUME_COACH_MODEL_PATH"),
            "api_key": env.get("OPENAI_API_KEY"),
            "base_url": env.get("OPENAI_BASE_URL"),
            "timeout_s": env.get("RESUME_COACH_TIMEOUT"),
            "max_retries": env.get("RESUME_COACH_MAX_RETRIES"),
            "temperature": env.get("RESUME_COACH_TEMPERATURE"),
            "max_tokens": env.get("RESUME_COACH_MAX_TOKENS"),
            "concurrency": env.get("RESUME_COACH_CONCURRENCY"),
            "n_threads": env.get("RESUME_COACH_THREADS"),
            "cache_dir": env.get("RESUME_COACH_CACHE_DIR"),
            "use_cache": _no_cache_flag(env.get("RESUME_COACH_NO_CACHE", "")),
        }
        values = {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
        values.update(overrides)
        values = {k: v for k, v in values.items() if v not in (None, "")}
        if isinstance(values.get("provider"), str):
            values["provider"] = values["provider"].lower()
        try:
            return cls(**values)
        except ValidationError as exc:
            fields = ", ".join(str(err["loc"][0]) for err in exc.errors())
            raise ProviderError(
                f"invalid provider setting ({fields}): check the RESUME_COACH_* variables "
                "and flags (provider must be auto, local or openai)"
            ) from None

    def resolve_provider(self) -> Literal["local", "openai"]:
        """`openai` when asked or when a key is set under `auto`, else `local`."""
        return resolve_provider(self)

    def model_name(self) -> str:
        """The model name recorded in stats and cache keys."""
        if self.resolve_provider() == "openai":
            return self.model or DEFAULT_OPENAI_MODEL
        if self.model_path is not None:
            return self.model_path.stem
        from coach.llm_local import EMBEDDED_MODEL_NAME

        return EMBEDDED_MODEL_NAME

    def describe(self) -> str:
        """One line saying which provider and model a run uses (the key is never shown)."""
        provider = self.resolve_provider()
        where = f" at {_without_credentials(self.base_url)}" if provider == "openai" else ""
        embedded = " (embedded)" if provider == "local" and self.model_path is None else ""
        return f"{provider}: {self.model_name()}{embedded}{where}"


def _without_credentials(url: str | None) -> str:
    """The server URL with any user:password@ removed, fit to show in a log line."""
    if not url:
        return "api.openai.com"
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=host))


def _no_cache_flag(raw: str) -> bool | None:
    """RESUME_COACH_NO_CACHE=1 turns the cache off; unset (or 0) leaves the default."""
    return False if raw.strip().lower() in {"1", "true", "yes", "on"} else None


def resolve_provider(settings: ProviderSettings) -> Literal["local", "openai"]:
    """The concrete provider for these settings; openai without a key is a ProviderError."""
    has_key = settings.api_key is not None and bool(settings.api_key.get_secret_value().strip())
    if settings.provider == "openai":
        if not has_key:
            raise ProviderError(NO_KEY_MESSAGE)
        return "openai"
    if settings.provider == "local":
        return "local"
    return "openai" if has_key else "local"


def build_chat_model(settings: ProviderSettings) -> BaseChatModel:
    """The one factory: ChatOpenAI for OpenAI-compatible servers, LocalLlamaChat otherwise."""
    if resolve_provider(settings) == "openai":
        from langchain_openai import ChatOpenAI

        return ChatOpenAI(
            model=settings.model_name(),
            api_key=settings.api_key,
            base_url=settings.base_url,
            timeout=settings.timeout_s,
            # LLMClient retries with backoff itself (for every model kind); SDK retries on top
            # of ours would multiply the attempts.
            max_retries=0,
            temperature=settings.temperature,
            max_tokens=settings.max_tokens,
        )
    from coach.llm_local import LocalLlamaChat, check_model_file, embedded_model_path

    path = check_model_file(settings.model_path or embedded_model_path())
    return LocalLlamaChat(
        model_path=str(path),
        model_name=settings.model_name(),
        n_ctx=settings.n_ctx,
        n_threads=settings.n_threads or os.cpu_count(),
        temperature=settings.temperature,
        max_tokens=settings.max_tokens,
        timeout_s=settings.timeout_s,
    )


@dataclass(frozen=True)
class Completion:
    """One answer: its text, the parsed JSON when a schema was asked for, and why it failed."""

    text: str
    data: Any = None
    error: str | None = None
    cached: bool = False

    @property
    def ok(self) -> bool:
        """True when the answer is usable (no error)."""
        return self.error is None


class UsageStats:
    """Thread-safe counters of model calls, tokens and cache hits for one run."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.llm_calls = 0
        self.prompt_tokens = 0
        self.completion_tokens = 0
        self.cache_hits = 0

    def add_call(self, prompt_tokens: int, completion_tokens: int) -> None:
        """Count one model call and its tokens."""
        with self._lock:
            self.llm_calls += 1
            self.prompt_tokens += prompt_tokens
            self.completion_tokens += completion_tokens

    def add_cache_hit(self) -> None:
        """Count one answer served from the cache."""
        with self._lock:
            self.cache_hits += 1

    def snapshot(self) -> dict[str, int]:
        """The counters as a dict."""
        with self._lock:
            return {
                "llm_calls": self.llm_calls,
                "prompt_tokens": self.prompt_tokens,
                "completion_tokens": self.completion_tokens,
                "cache_hits": self.cache_hits,
            }


class _CallFailed(Exception):
    """A model call that failed for good; its message is the Completion's reason."""


MessagesLike = Sequence[BaseMessage | tuple[str, str] | dict[str, Any]]


@dataclass(frozen=True)
class _Budget:
    """How long one answer may get: a token cap and the strings that end it."""

    max_tokens: int
    stop: tuple[str, ...] = ()


class LLMClient:
    """The one way chains call a model: cached, counted, retried, never crashing on output."""

    def __init__(
        self,
        model: BaseChatModel,
        settings: ProviderSettings | None = None,
        *,
        provider: str | None = None,
        model_name: str | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.model = model
        self.settings = settings or ProviderSettings(provider="local", use_cache=False)
        self.provider = provider or _provider_of(model)
        self.model_name = model_name or _model_name_of(model)
        self.usage = UsageStats()
        self._sleep = sleep
        self._slots = threading.Semaphore(self.settings.concurrency)
        self._cache = DiskCache(self.settings.cache_dir) if self.settings.use_cache else None
        # Learned on the first rejection, so later calls go straight to prompt-only JSON.
        self._native_schema = True

    @classmethod
    def from_settings(cls, settings: ProviderSettings) -> LLMClient:
        """Build the chat model for these settings and wrap it."""
        return cls(
            build_chat_model(settings),
            settings,
            provider=resolve_provider(settings),
            model_name=settings.model_name(),
        )

    def fork(self) -> LLMClient:
        """A client sharing this one's model, cache and call limit, with its own usage counters."""
        twin = copy.copy(self)  # shallow: the model, semaphore and disk cache stay shared
        twin.usage = UsageStats()
        return twin

    def stats(self) -> dict[str, Any]:
        """Provider, model and the usage counters, as result.json's `stats` wants them."""
        return {"provider": self.provider, "model": self.model_name, **self.usage.snapshot()}

    def complete(
        self,
        messages: MessagesLike,
        *,
        schema: dict[str, Any] | None = None,
        task: str = "answer",
        max_tokens: int | None = None,
        stop: Sequence[str] = (),
    ) -> Completion:
        """Ask the model; with a schema, parse its JSON answer (one repair retry if needed).

        `max_tokens` caps this answer below the settings' budget (never above it); the answer
        ends at the first of the `stop` strings (a one-line answer stops at "\n").
        """
        msgs = convert_to_messages(list(messages))
        budget = _Budget(
            min(max_tokens or self.settings.max_tokens, self.settings.max_tokens), tuple(stop)
        )
        key = self._key(msgs, schema, budget)
        if self._cache is not None and (hit := self._cache.get(key)) is not None:
            self.usage.add_cache_hit()
            return Completion(text=hit.get("text", ""), data=hit.get("data"), cached=True)
        result = self._answer(msgs, schema, task, budget)
        if result.ok and self._cache is not None:
            self._cache.put(key, {"text": result.text, "data": result.data})
        return result

    def _key(
        self, msgs: Sequence[BaseMessage], schema: dict[str, Any] | None, budget: _Budget
    ) -> str:
        return cache_key(
            provider=self.provider,
            model=self.model_name,
            # Two servers, or two GGUF files, may share a model name.
            base_url=self.settings.base_url,
            model_path=str(self.settings.model_path or ""),
            messages=[[m.type, m.content] for m in msgs],
            schema=schema,
            temperature=self.settings.temperature,
            max_tokens=budget.max_tokens,
            **({"stop": list(budget.stop)} if budget.stop else {}),
        )

    def _answer(
        self, msgs: list[BaseMessage], schema: dict[str, Any] | None, task: str, budget: _Budget
    ) -> Completion:
        try:
            message = self._call(msgs, schema, task, budget)
        except _CallFailed as exc:
            return Completion(text="", error=str(exc))
        text = message.text.strip()
        problem = _finish_problem(message)
        if schema is None:
            if not text:
                return Completion(text="", error=problem or "empty answer")
            return Completion(text=text, error=problem)
        data, reason = parse_json_answer(text, schema)
        if reason is None:
            return Completion(text=text, data=data)
        if problem == TIME_LIMIT_REASON:
            # A repair would run into the same time limit; keep the call budget bounded.
            return Completion(text=text, error=problem)
        return self._repair(msgs, schema, task, text, problem or reason, budget)

    def _repair(
        self,
        msgs: list[BaseMessage],
        schema: dict[str, Any],
        task: str,
        bad: str,
        reason: str,
        budget: _Budget,
    ) -> Completion:
        """Send the bad answer back once, asking for valid JSON only."""
        ask = HumanMessage(
            f"Your answer was not usable ({reason}). Reply again with only one valid JSON "
            f"value matching this JSON schema, and no other text:\n{json.dumps(schema)}"
        )
        try:
            message = self._call([*msgs, AIMessage(bad or "(empty)"), ask], schema, task, budget)
        except _CallFailed as exc:
            return Completion(text=bad, error=f"{reason}; repair failed: {exc}")
        text = message.text.strip()
        data, second = parse_json_answer(text, schema)
        if second is None:
            return Completion(text=text, data=data)
        second = _finish_problem(message) or second
        return Completion(text=text or bad, error=f"{reason}; after one repair retry: {second}")

    def _call(
        self, msgs: list[BaseMessage], schema: dict[str, Any] | None, task: str, budget: _Budget
    ) -> AIMessage:
        """One logical call: native schema first, prompt-only JSON if the server rejects it."""
        fell_back = False
        if schema is not None and self._native_schema:
            native = _response_format(self.model, schema, task)
            try:
                return self._invoke_with_retries(msgs, native, budget)
            except _SchemaRejected:
                fell_back = True
        if schema is not None:
            msgs = _with_json_instruction(msgs, schema)
        try:
            message = self._invoke_with_retries(msgs, None, budget)
        except _SchemaRejected as exc:  # not about the schema after all: a plain bad request
            raise _CallFailed(f"model call failed: {exc}") from None
        if fell_back:
            # Prompt-only worked where the schema did not: skip the schema from now on.
            self._native_schema = False
        return message

    def _invoke_with_retries(
        self, msgs: list[BaseMessage], response_format: dict[str, Any] | None, budget: _Budget
    ) -> AIMessage:
        """Invoke with retries and backoff for transient errors; classify the rest."""
        options: dict[str, Any] = {}
        if budget.max_tokens < self.settings.max_tokens:
            options["max_tokens"] = budget.max_tokens
        if budget.stop:
            options["stop"] = list(budget.stop)
        if response_format:
            options["response_format"] = response_format
        runnable = self.model.bind(**options) if options else self.model
        attempts = self.settings.max_retries + 1
        for attempt in range(attempts):
            try:
                with self._slots:
                    message = self._invoke_once(runnable, msgs)
            except Exception as exc:  # noqa: BLE001 - every provider raises its own types
                if (cut := _length_error_message(exc)) is not None:
                    message = cut
                    break
                kind = _classify(exc)
                if kind == "fatal":
                    raise ProviderError(
                        f"the provider refused the request ({_describe(exc)}): {REFUSED_HINT}"
                    ) from None
                # With a schema bound, any non-transient failure may be the schema's fault
                # (a 400, or a local grammar the schema cannot become): let the caller fall back.
                if kind == "bad_request" or (kind == "permanent" and response_format):
                    raise _SchemaRejected(_describe(exc)) from None
                if kind == "permanent" or attempt == attempts - 1:
                    count = f"{attempt + 1} attempt" + ("s" if attempt else "")
                    tries = f" after {count}" if kind == "transient" else ""
                    raise _CallFailed(f"model call failed{tries}: {_describe(exc)}") from None
                self._sleep(_backoff(attempt, _retry_after(exc)))
                continue
            break
        self._count(message)
        return message

    def _invoke_once(self, runnable: Any, msgs: list[BaseMessage]) -> AIMessage:
        """One invoke; a remote one is given up (TimeoutError) when it outlives its deadline."""
        if self.provider != "openai":
            return runnable.invoke(msgs)  # the local model enforces timeout_s itself
        outcome: dict[str, Any] = {}
        done = threading.Event()
        context = contextvars.copy_context()

        def call() -> None:
            try:
                outcome["message"] = context.run(runnable.invoke, msgs)
            except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
                outcome["error"] = exc
            finally:
                done.set()

        # A daemon thread: a server dribbling bytes forever keeps it, but never the run or exit.
        threading.Thread(target=call, name="llm-call", daemon=True).start()
        deadline = self.settings.timeout_s + CALL_DEADLINE_GRACE_S
        if not done.wait(deadline):
            raise TimeoutError(f"no complete answer within {deadline:g} s")
        if "error" in outcome:
            raise outcome["error"]
        return outcome["message"]

    def _count(self, message: Any) -> None:
        usage = getattr(message, "usage_metadata", None) or {}
        self.usage.add_call(int(usage.get("input_tokens", 0)), int(usage.get("output_tokens", 0)))


class _SchemaRejected(Exception):
    """The server answered 400-like: maybe it cannot do JSON schema."""


def _provider_of(model: BaseChatModel) -> str:
    name = type(model).__name__
    if name == "LocalLlamaChat":
        return "local"
    if name == "ChatOpenAI":
        return "openai"
    return name


def _model_name_of(model: BaseChatModel) -> str:
    for attr in ("model_name", "model"):
        value = getattr(model, attr, None)
        if isinstance(value, str) and value:
            return value
    return type(model).__name__


def _response_format(model: BaseChatModel, schema: dict[str, Any], task: str) -> dict[str, Any]:
    """The response_format this model kind understands for a JSON schema."""
    if type(model).__name__ == "LocalLlamaChat":
        # llama.cpp turns the schema into a grammar, so even a tiny model emits valid JSON.
        return {"type": "json_object", "schema": schema}
    name = re.sub(r"[^A-Za-z0-9_-]", "_", task)[:64] or "answer"
    return {
        "type": "json_schema",
        "json_schema": {"name": name, "schema": schema, "strict": False},
    }


def _with_json_instruction(msgs: list[BaseMessage], schema: dict[str, Any]) -> list[BaseMessage]:
    note = (
        "\n\nAnswer with only one JSON value matching this JSON schema, and no other text:\n"
        + json.dumps(schema)
    )
    last = msgs[-1]
    return [*msgs[:-1], last.model_copy(update={"content": last.text + note})]


def _length_error_message(exc: BaseException) -> AIMessage | None:
    """The cut-off answer inside the openai SDK's LengthFinishReasonError, if that is what this is.

    With a JSON schema, the SDK's parse path raises instead of returning a truncated answer;
    we turn it back into an answer so it is counted and goes through the repair path.
    """
    completion = getattr(exc, "completion", None)
    if type(exc).__name__ != "LengthFinishReasonError" or not getattr(completion, "choices", None):
        return None
    usage = getattr(completion, "usage", None)
    prompt = int(getattr(usage, "prompt_tokens", 0) or 0)
    output = int(getattr(usage, "completion_tokens", 0) or 0)
    return AIMessage(
        content=completion.choices[0].message.content or "",
        usage_metadata={
            "input_tokens": prompt,
            "output_tokens": output,
            "total_tokens": prompt + output,
        },
        response_metadata={"finish_reason": "length"},
    )


def _finish_problem(message: Any) -> str | None:
    meta = getattr(message, "response_metadata", None) or {}
    finish = meta.get("finish_reason") or meta.get("stop_reason")
    if finish == "length":
        return LENGTH_LIMIT_REASON
    if finish == "timeout":
        return TIME_LIMIT_REASON
    return None


# ---- error classification -------------------------------------------------------------------


def _status_of(exc: BaseException) -> int | None:
    for source in (exc, getattr(exc, "response", None)):
        status = getattr(source, "status_code", None)
        if isinstance(status, int):
            return status
    return None


def _classify(exc: BaseException) -> Literal["transient", "fatal", "bad_request", "permanent"]:
    """Sort an exception from any provider: retry it, stop the run, fall back, or give up."""
    status = _status_of(exc)
    if status is not None:
        if status in TRANSIENT_STATUS or status >= 500:
            return "transient"
        if status in FATAL_STATUS:
            return "fatal"
        if status in SCHEMA_REJECT_STATUS:
            return "bad_request"
        return "permanent"
    if isinstance(exc, TimeoutError | ConnectionError):
        return "transient"
    # openai/httpx connection and timeout errors carry no status; match them by class name so
    # this works for any SDK without importing it.
    names = {cls.__name__ for cls in type(exc).__mro__}
    transient = {"APIConnectionError", "APITimeoutError", "TimeoutException", "TransportError"}
    if names & transient:
        return "transient"
    return "permanent"


def _retry_after(exc: BaseException) -> float | None:
    """Seconds the server asked us to wait (Retry-After or retry-after-ms), if any."""
    headers = getattr(getattr(exc, "response", None), "headers", None) or getattr(
        exc, "headers", None
    )
    if not headers:
        return None
    try:
        if (ms := headers.get("retry-after-ms")) is not None:
            return max(float(ms) / 1000, 0.0)
        if (sec := headers.get("retry-after")) is not None:
            return max(float(sec), 0.0)
    except (TypeError, ValueError):
        return None  # an HTTP-date or junk: fall back to our own backoff
    return None


def _backoff(attempt: int, retry_after: float | None) -> float:
    if retry_after is not None:
        return min(retry_after, RETRY_AFTER_MAX_S)
    delay = min(BACKOFF_BASE_S * 2**attempt, BACKOFF_MAX_S)
    return delay + random.uniform(0, delay / 4)  # jitter spreads concurrent retries apart


def _describe(exc: BaseException) -> str:
    """A short reason without the exception text, which may echo request content."""
    status = _status_of(exc)
    return f"{type(exc).__name__}" + (f" HTTP {status}" if status is not None else "")


# ---- tolerant JSON ----------------------------------------------------------------------------

_FENCE = re.compile(r"```(?:json|JSON)?\s*(.*?)```", re.DOTALL)
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")


def extract_json(text: str) -> Any:
    """The first JSON value in a model answer: fences, prose around it, trailing commas allowed."""
    text = text.strip().lstrip("\ufeff")
    if not text:
        raise ValueError("empty answer")
    candidates = [m.group(1).strip() for m in _FENCE.finditer(text)] + [text]
    if text.startswith("```"):  # an opening fence whose closing fence was cut off
        candidates.append(text.split("\n", 1)[-1])
    for candidate in candidates:
        for variant in (candidate, _TRAILING_COMMA.sub(r"\1", candidate)):
            found = _first_value(variant)
            if found is not _NOTHING:
                return found
    raise ValueError("no valid JSON in the answer")


_NOTHING = object()


def _first_value(text: str) -> Any:
    decoder = json.JSONDecoder()
    for match in re.finditer(r"[{\[]", text):
        try:
            value, _ = decoder.raw_decode(text, match.start())
        except ValueError:
            continue
        return value
    return _NOTHING


def parse_json_answer(text: str, schema: dict[str, Any]) -> tuple[Any, str | None]:
    """(data, None) when the answer holds JSON of the schema's shape, else (None, reason)."""
    try:
        data = extract_json(text)
    except ValueError as exc:
        return None, str(exc)
    problem = shape_problem(data, schema)
    return (None, problem) if problem else (data, None)


def shape_problem(data: Any, schema: dict[str, Any]) -> str | None:
    """A light check of top-level type and required keys (enough to catch a wrong answer)."""
    kind = schema.get("type")
    if kind == "object":
        if not isinstance(data, dict):
            return "expected a JSON object"
        missing = [k for k in schema.get("required", []) if k not in data]
        return f"missing keys: {', '.join(missing)}" if missing else None
    if kind == "array" and not isinstance(data, list):
        return "expected a JSON array"
    return None
