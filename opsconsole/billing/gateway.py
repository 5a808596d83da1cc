"""The sandbox payment gateway (R-GW-1): tokens only; a few tokens decline."""

import hashlib
from typing import NamedTuple

DECLINES = {
    "tok_chargeDeclined": "declined",
    "tok_chargeDeclinedExpiredCard": "declined: expired card",
    "tok_chargeDeclinedInsufficientFunds": "declined: insufficient funds",
}


class Result(NamedTuple):  # a tuple: made once per charge of the day, cheaply
    approved: bool
    reason: str | None = None
    reference: str | None = None


def charge(token: str | None, amount: int, currency: str, key: str = "") -> Result:
    """Charge `amount` minor units. `key` identifies the attempt (idempotency: a real gateway
    answers a repeated key with the first result). Pure and deterministic here, so a dry run
    may call it freely."""
    if not token:
        return Result(False, "no payment method")
    reference = "sbx_" + hashlib.sha256(f"{key}:{token}:{amount}:{currency}".encode()) \
        .hexdigest()[:16]
    if token in DECLINES:
        return Result(False, DECLINES[token], reference)
    return Result(True, reference=reference)


def refund(token: str | None, amount: int, currency: str) -> Result:
    return Result(True)
