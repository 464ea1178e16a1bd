"""The staff second factor (SPEC §3.11): one TOTP device per staff member, enrolled at first login.

A staff member without a confirmed device gets an unconfirmed one whose secret he scans; the first
correct code confirms it. Once confirmed, the device is never replaced from the login pages (an
administrator deletes it in the admin), so someone who only knows the password cannot enrol his own
phone.
"""

from __future__ import annotations

from base64 import b32encode

import segno
from django.db import transaction
from django.utils.translation import gettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.accounts.models import User

DEVICE_NAME = "MotCua"


def totp_device_confirmed(user: User) -> TOTPDevice | None:
    """The device the user logs in with, if he has enrolled one."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


@transaction.atomic
def totp_device_pending(user: User) -> TOTPDevice:
    """The unconfirmed device being enrolled (created on first call, reused on reloads)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


@transaction.atomic
def totp_verify(device: TOTPDevice, token: str) -> bool:
    """Check a code against the device (row-locked, so one code cannot be used twice concurrently)."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    return bool(device.verify_token(token))


@transaction.atomic
def totp_confirm(device: TOTPDevice, token: str) -> bool:
    """Finish enrolment: a correct first code confirms the device."""
    if not totp_verify(device, token):
        return False
    TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
    device.confirmed = True
    return True


def totp_retry_allowed(device: TOTPDevice) -> bool:
    """False while the device is throttled after wrong codes (django-otp doubles the wait each time)."""
    allowed, _details = device.verify_is_allowed()
    return bool(allowed)


def totp_secret(device: TOTPDevice) -> str:
    """The secret as authenticator apps want it typed: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_qr_svg(device: TOTPDevice) -> str:
    """An inline SVG QR code of the otpauth:// URL, drawn on the server (no JavaScript, no CDN)."""
    title = gettext("QR code for your authenticator app")
    return segno.make(device.config_url, error="m").svg_inline(scale=5, title=title, border=2)
