"""A real SMTP server (aiosmtpd) on loopback for the digest tests, and the settings that point
Django's SMTP backend at it. The server can be told to refuse for a while (421), to refuse
some recipients for good (550), or to call back after each message it accepted.
"""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from pytest_django import Settings


@dataclass
class Received:
    to: list[str]
    message: EmailMessage


@dataclass
class Mailbox:
    """The aiosmtpd handler: what it accepted, and how it misbehaves when told to."""

    received: list[Received] = field(default_factory=list)
    refusing: bool = False
    refuse_after: int | None = None  # accept this many messages, then answer 421
    rejected: set[str] = field(default_factory=set)  # recipients answered 550
    on_accept: Callable[[int], None] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if address.lower() in self.rejected:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        with self.lock:
            if self.refusing or (
                self.refuse_after is not None and len(self.received) >= self.refuse_after
            ):
                return "421 4.3.2 Service not available, try again later"
            parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
            self.received.append(Received(list(envelope.rcpt_tos), parsed))  # type: ignore[arg-type]
            count = len(self.received)
        if self.on_accept:
            self.on_accept(count)
        return "250 2.0.0 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [item.message for item in self.received if address in item.to]

    def come_back(self) -> None:
        self.refusing, self.refuse_after = False, None


@dataclass
class SmtpServer:
    host: str
    port: int
    mailbox: Mailbox

    def env(self) -> dict[str, str]:
        """Settings for a `dailypapers` subprocess sending here."""
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": self.host,
            "EMAIL_PORT": str(self.port),
        }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp(settings: Settings) -> Iterator[SmtpServer]:
    """A real SMTP server on 127.0.0.1 and Django's SMTP backend pointed at it."""
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    settings.DEFAULT_FROM_EMAIL = "Daily Papers <papers@example.org>"
    try:
        yield SmtpServer("127.0.0.1", controller.port, mailbox)
    finally:
        controller.stop()
