"""Fixtures for the CRM tests: an embedded studio with a fake stage runner, and a local SMTP server."""

from __future__ import annotations

import email
import threading
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from infra.container import Studio, build_studio
from infra.settings import Settings
from tests.support.history import DAG, runner
from tests.support.postgres import free_port


class Mailbox:
    """An aiosmtpd handler that keeps every message it accepts; can refuse service for a while."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse = 0
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self._lock:
            if self.refuse > 0:
                self.refuse -= 1
                return "451 4.3.0 try again later"
            message = email.message_from_bytes(envelope.content, policy=default)
            assert isinstance(message, EmailMessage)
            self.messages.append(message)
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Mailbox, int]]:
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield mailbox, port
    controller.stop()


@pytest.fixture
def studio(tmp_path: Path) -> Iterator[Studio]:
    s = build_studio(Settings(data_dir=tmp_path, environment="test"), runner=runner, pipeline=DAG)
    s.projector.setup()
    yield s
    s.stop()
