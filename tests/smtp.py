"""A real SMTP server for tests (aiosmtpd on 127.0.0.1) that records what it receives and can
be told to fail the first few deliveries, to answer slowly, or to do something (take a database
lock, check one) while the sender waits for its answer."""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
from collections.abc import Callable
from email.message import Message

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Handler:
    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.failures_left = 0
        self.seconds_per_message = 0.0  # answers after this long (other connections go on)
        self.on_message: Callable[[Message], None] | None = None  # runs before the answer

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        if self.failures_left > 0:
            self.failures_left -= 1
            return "451 4.3.0 Temporary failure, try again later"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        if self.seconds_per_message:
            await asyncio.sleep(self.seconds_per_message)
        if self.on_message is not None:
            self.on_message(message)
        return "250 OK"


class RecordingSMTPServer:
    def __init__(self) -> None:
        self.handler = _Handler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()

    @property
    def messages(self) -> list[Message]:
        return self.handler.messages

    def fail_next(self, count: int) -> None:
        self.handler.failures_left = count
