"""The error raised when a creator's script cannot be used as given."""

from __future__ import annotations


class ScriptRejected(Exception):
    """The script is empty, unreadable or too long; the message tells the creator what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
