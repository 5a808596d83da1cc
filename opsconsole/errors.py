"""The one error the core raises: a refusal an operator can read."""


class DomainError(Exception):
    """A rule said no, or the input was bad. The message is shown to the operator as is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
