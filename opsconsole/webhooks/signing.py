"""What a delivery sends (R-HOOK-4): FastSpring's body and signature, and the Standard
Webhooks headers, so a receiver can verify with either."""

import base64
import datetime as dt
import hashlib
import hmac
import json
import secrets
import zoneinfo

from ..errors import DomainError

PREFIX = "whsec_"
SECRET_BYTES = 24  # a generated secret's key length
MIN_KEY_BYTES, MAX_KEY_BYTES = 24, 64  # the Standard Webhooks range for a key


def new_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def check_secret(secret: str) -> str:
    """A secret given by hand must be one the Standard Webhooks libraries can key with."""
    secret = secret.strip()
    key = _key(secret)
    if key is None or not MIN_KEY_BYTES <= len(key) <= MAX_KEY_BYTES:
        raise DomainError(f"--secret must be {PREFIX} followed by the base64 of "
                          f"{MIN_KEY_BYTES} to {MAX_KEY_BYTES} bytes (leave it out and one is "
                          "made for you)")
    return secret


def _key(secret: str) -> bytes | None:
    if not secret.startswith(PREFIX):
        return None
    try:
        return base64.b64decode(secret[len(PREFIX):], validate=True)
    except ValueError:
        return None


def event_id(epoch: str, event_row_id: int) -> str:
    """The event's id as receivers see it: the same for every endpoint, never reused for
    another event (the epoch changes when a snapshot is restored)."""
    return f"evt_{epoch}_{event_row_id}" if epoch else f"evt_{event_row_id}"


def webhook_id(epoch: str, delivery_id: int) -> str:
    return f"msg_{epoch}_{delivery_id}" if epoch else f"msg_{delivery_id}"


def body(epoch: str, event_row_id: int, type_: str, at: dt.datetime, timezone: str,
         payload: str) -> bytes:
    """FastSpring's shape: one event, `created` in ms since the epoch of its store time."""
    local = at.replace(tzinfo=zoneinfo.ZoneInfo(timezone))
    created = int(local.timestamp() * 1000)
    document = {"events": [{"id": event_id(epoch, event_row_id), "type": type_, "live": False,
                            "processed": False, "created": created,
                            "data": json.loads(payload)}]}
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()


def fs_signature(secret: str, raw: bytes) -> str:
    """X-FS-Signature: keyed by the secret's whole text, as configured."""
    return base64.b64encode(hmac.new(secret.encode(), raw, hashlib.sha256).digest()).decode()


def standard_signature(secret: str, msg_id: str, timestamp: int, raw: bytes) -> str:
    key = _key(secret)
    if key is None:  # check_secret lets no other kind be stored
        raise ValueError("a webhook secret must be whsec_ and base64")
    signed = f"{msg_id}.{timestamp}.".encode() + raw
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def headers(secrets_: list[str], msg_id: str, timestamp: int, raw: bytes) -> dict[str, str]:
    """The first secret is the current one; a previous one still in its day of grace after a
    rotation signs too (R-HOOK-5), in the same `webhook-signature` header."""
    return {
        "Content-Type": "application/json",
        "X-FS-Signature": fs_signature(secrets_[0], raw),
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(standard_signature(s, msg_id, timestamp, raw)
                                      for s in secrets_),
    }
