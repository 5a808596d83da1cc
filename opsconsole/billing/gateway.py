"""The sandbox payment gateway (R-GW-1): tokens only; a few tokens decline."""

from dataclasses import dataclass

DECLINES = {
    "tok_chargeDeclined": "declined",
    "tok_chargeDeclinedExpiredCard": "declined: expired card",
    "tok_chargeDeclinedInsufficientFunds": "declined: insufficient funds",
}


@dataclass(frozen=True)
class Result:
    approved: bool
    reason: str | None = None


def charge(token: str | None, amount: int, currency: str) -> Result:
    """Charge `amount` minor units. Pure and deterministic, so a dry run may call it freely."""
    if not token:
        return Result(False, "no payment method")
    if token in DECLINES:
        return Result(False, DECLINES[token])
    return Result(True)


def refund(token: str | None, amount: int, currency: str) -> Result:
    return Result(True)
