"""Voting codes and receipts: how they look, and the hashes the platform keeps instead."""

import hashlib
import hmac
import secrets

from django.conf import settings

# No 0/O, 1/I/L: nothing a voter can misread from a printed sheet.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 16  # 31**16 ≈ 2**79
RECEIPT_LENGTH = 20  # ≈ 2**99


def _random(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def _grouped(raw: str) -> str:
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def normalise(text: str, length: int) -> str | None:
    """The code as stored (upper case, no separators), or None if it cannot be one."""
    raw = "".join(ch for ch in (text or "").upper() if ch not in " -\t\n")
    if len(raw) != length or any(ch not in ALPHABET for ch in raw):
        return None
    return raw


def new_code() -> str:
    """A fresh voting code, grouped by four for reading aloud and typing."""
    return _grouped(_random(CODE_LENGTH))


def code_hash(edition_id: int, code: str) -> str:
    """The keyed hash stored for a (normalised) code: useless without the server's key."""
    message = f"{edition_id}:{code}".encode()
    return hmac.new(settings.VOTING_CODE_KEY.encode(), message, hashlib.sha256).hexdigest()


def account_key(edition_id: int, user_id: int) -> str:
    """The participation key of a verified account: one ballot per account and edition."""
    message = f"account:{edition_id}:{user_id}".encode()
    digest = hmac.new(settings.VOTING_CODE_KEY.encode(), message, hashlib.sha256).hexdigest()
    return f"u:{digest}"


def new_receipt() -> str:
    return _grouped(_random(RECEIPT_LENGTH))


def receipt_fingerprint(receipt: str) -> str | None:
    """What the public log shows for a receipt; None when the text cannot be a receipt."""
    raw = normalise(receipt, RECEIPT_LENGTH)
    if raw is None:
        return None
    return hashlib.sha256(f"juntos-receipt:{raw}".encode()).hexdigest()
