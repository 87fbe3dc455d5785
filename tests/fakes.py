"""A fake chat model with queued replies and a record of every prompt, for everyone's tests.

    fake = FakeChat(["first answer", http_error(429, retry_after=0), '{"bullet": "..."}'])
    client = LLMClient(fake, ProviderSettings(provider="local", cache_dir=tmp_path))
    client.complete([("system", "..."), ("human", "...")])
    fake.prompts  # list of message lists, one per model call

A reply may be a string, an AIMessage (to set finish_reason and the like), an exception to
raise, or a function of the messages that returns a string (an echoing or misbehaving model).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

import httpx
import openai
from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.messages.ai import UsageMetadata
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field, PrivateAttr

FAKE_URL = "https://api.example.com/v1/chat/completions"


class FakeChat(BaseChatModel):
    """Answers from a queue of replies and records each prompt and call keyword arguments."""

    replies: list[Any] = Field(default_factory=list)
    default_reply: str | None = None
    prompts: list[list[BaseMessage]] = Field(default_factory=list)
    call_kwargs: list[dict[str, Any]] = Field(default_factory=list)
    usage: tuple[int, int] | None = (10, 5)
    reject_response_format: bool = False
    model_name: str = "fake-chat"
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    def __init__(self, replies: Iterable[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(replies=list(replies or []), **kwargs)

    @property
    def _llm_type(self) -> str:
        return "fake-chat"

    @property
    def calls(self) -> int:
        """How many times the model was called (including calls that raised)."""
        return len(self.prompts)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        with self._lock:
            self.prompts.append(list(messages))
            self.call_kwargs.append({**kwargs, **({"stop": stop} if stop else {})})
            if self.reject_response_format and kwargs.get("response_format"):
                raise http_error(400, message="response_format is not supported")
            if self.replies:
                reply = self.replies.pop(0)
            elif self.default_reply is not None:
                reply = self.default_reply
            else:
                raise AssertionError("FakeChat ran out of replies")
        return ChatResult(generations=[ChatGeneration(message=self._message(reply, messages))])

    def _message(self, reply: Any, messages: list[BaseMessage]) -> AIMessage:
        if isinstance(reply, BaseException):
            raise reply
        if isinstance(reply, Callable):
            reply = reply(messages)
        message = reply if isinstance(reply, AIMessage) else AIMessage(content=str(reply))
        if self.usage is not None and message.usage_metadata is None:
            prompt, completion = self.usage
            message = message.model_copy(
                update={
                    "usage_metadata": UsageMetadata(
                        input_tokens=prompt,
                        output_tokens=completion,
                        total_tokens=prompt + completion,
                    )
                }
            )
        return message


def http_error(
    status: int, *, retry_after: float | None = None, message: str = "fake error"
) -> openai.APIStatusError:
    """An openai SDK error for an HTTP status, as ChatOpenAI would raise it."""
    headers = {} if retry_after is None else {"retry-after": str(retry_after)}
    response = httpx.Response(status, headers=headers, request=httpx.Request("POST", FAKE_URL))
    kinds: dict[int, type[openai.APIStatusError]] = {
        400: openai.BadRequestError,
        401: openai.AuthenticationError,
        403: openai.PermissionDeniedError,
        404: openai.NotFoundError,
        422: openai.UnprocessableEntityError,
        429: openai.RateLimitError,
    }
    kind = kinds.get(status, openai.InternalServerError if status >= 500 else openai.APIStatusError)
    return kind(message, response=response, body=None)


def timeout_error() -> openai.APITimeoutError:
    """The openai SDK's request-timeout error."""
    return openai.APITimeoutError(request=httpx.Request("POST", FAKE_URL))


def connection_error() -> openai.APIConnectionError:
    """The openai SDK's connection error."""
    return openai.APIConnectionError(request=httpx.Request("POST", FAKE_URL))
