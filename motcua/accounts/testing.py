"""Test helpers for other apps: a staff client that has passed the real second-factor step.

In a test: `verified_staff_client(client, officer)`, then `client.get(...)` as that officer.
"""

from __future__ import annotations

import time

from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.accounts.models import User


def confirmed_device(user: User) -> TOTPDevice:
    """The user's confirmed TOTP device, created if needed and ready to accept the current code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    # A code is accepted once per time step; forgetting the last one lets a test log in twice.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
    device.refresh_from_db()
    return device


def current_code(device: TOTPDevice) -> str:
    """The code an authenticator app would show now for this device."""
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    return str(code).zfill(device.digits)


def verified_staff_client(client: Client, user: User, *, password: str | None = None) -> Client:
    """Log `user` in (with `password` through the login form, else force_login) and pass the code page."""
    if password is None:
        client.force_login(user)
    else:
        response = client.post(reverse("accounts:login"), {"username": user.get_username(), "password": password})
        assert response.status_code == 302, "login refused"  # noqa: S101 - a test helper
    device = confirmed_device(user)
    response = client.post(reverse("accounts:otp-verify"), {"token": current_code(device)})
    if response.status_code != 302:  # the step changed between computing and checking the code
        time.sleep(0.05)
        device = confirmed_device(user)
        response = client.post(reverse("accounts:otp-verify"), {"token": current_code(device)})
    assert response.status_code == 302, "second factor refused"  # noqa: S101 - a test helper
    return client
