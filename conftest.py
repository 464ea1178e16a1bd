"""Test-wide settings: fast hashing, in-memory files and e-mail, tasks run immediately."""

import pytest


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.LANGUAGE_CODE = "vi"


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's admin client, past the second factor that the admin site requires."""
    from motcua.accounts.testing import verified_staff_client

    admin_user.kind = "staff"
    admin_user.save(update_fields=["kind"])
    return verified_staff_client(client, admin_user)
