"""Domain errors: small, named, with a message that says what was wrong and what to do."""


class DomainError(Exception):
    """Base of every refusal a command can meet."""

    title = "Request refused"


class NotFound(DomainError):
    title = "Not found"


class Forbidden(DomainError):
    title = "Not allowed"


class Conflict(DomainError):
    title = "Conflict"


class Invalid(DomainError):
    title = "Invalid request"


class Suspended(Forbidden):
    """The account is suspended: it cannot log in, refresh or act until an administrator reinstates it."""

    title = "Account suspended"


class PaymentRequired(DomainError):
    """The account cannot afford the request; `extensions` carries the figures (available, cost)."""

    title = "Not enough credits"

    def __init__(self, message: str, **extensions: object) -> None:
        super().__init__(message)
        self.extensions = extensions
