"""OpenID Connect client for the national SSO (SPEC §7.1): authorization-code flow with PKCE.

Two calls make a login:

1. `authorization_request(config, redirect_uri)` → the provider URL to send the browser to, plus
   the secrets (state, nonce, PKCE verifier) the caller keeps in the session;
2. `complete_login(config, pending, query, redirect_uri)` → the verified identity claims, after the
   code is exchanged and the ID token's signature (JWKS), issuer, audience, expiry and nonce are
   checked. Anything wrong raises `SsoError` with a message safe to show.

No Django here beyond translated messages: the view keeps the session, the accounts service maps
the claims to a citizen. Every call to the provider is logged with its duration and outcome.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import secrets
import time
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

import httpx
from django.utils.translation import gettext as _
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

logger = logging.getLogger("motcua.integrations.identity")

CLOCK_SKEW = 60  # seconds of disagreement between our clock and the provider's we accept


class SsoError(Exception):
    """The login cannot complete. `unavailable`: the provider did not answer (retry later)."""

    def __init__(self, message: str, *, unavailable: bool = False) -> None:
        super().__init__(message)
        self.unavailable = unavailable


@dataclass(frozen=True)
class OidcConfig:
    issuer: str
    client_id: str
    client_secret: str = ""
    scopes: str = "openid profile"
    id_number_claim: str = "id_number"
    timeout: float = 10.0


@dataclass(frozen=True)
class PendingLogin:
    """What the caller keeps between the redirect and the callback."""

    state: str
    nonce: str
    code_verifier: str

    def as_dict(self) -> dict[str, str]:
        return {"state": self.state, "nonce": self.nonce, "code_verifier": self.code_verifier}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> PendingLogin | None:
        if not data or not all(isinstance(data.get(name), str) for name in ("state", "nonce", "code_verifier")):
            return None
        return cls(data["state"], data["nonce"], data["code_verifier"])


@dataclass(frozen=True)
class CitizenClaims:
    subject: str
    id_number: str
    full_name: str
    date_of_birth: date | None
    gender: str
    email: str
    phone: str


def pkce_challenge(verifier: str) -> str:
    """RFC 7636 S256: base64url(sha256(verifier)) without padding."""
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def _call(method: str, url: str, config: OidcConfig, **kwargs: Any) -> dict[str, Any]:
    started = time.perf_counter()
    outcome = "error"
    try:
        response = httpx.request(method, url, timeout=config.timeout, **kwargs)
        outcome = str(response.status_code)
        if response.status_code >= 500:
            raise SsoError(_("The identity provider is not answering. Try again in a few minutes."), unavailable=True)
        data = response.json()
        if response.status_code >= 400:
            reason = data.get("error", response.status_code)
            raise SsoError(_("The identity provider refused the login (%(error)s).") % {"error": reason})
        if not isinstance(data, dict):
            raise SsoError(_("The identity provider sent an unexpected answer."))
        return data
    except httpx.HTTPError as error:
        outcome = type(error).__name__
        raise SsoError(
            _("The identity provider is not answering. Try again in a few minutes."), unavailable=True
        ) from (error)
    except ValueError as error:  # not JSON
        raise SsoError(_("The identity provider sent an unexpected answer.")) from error
    finally:
        logger.info(
            "system=oidc call=%s %s duration_ms=%.0f outcome=%s",
            method,
            url,
            (time.perf_counter() - started) * 1000,
            outcome,
        )


def discover(config: OidcConfig) -> dict[str, Any]:
    metadata = _call("GET", f"{config.issuer.rstrip('/')}/.well-known/openid-configuration", config)
    if metadata.get("issuer", "").rstrip("/") != config.issuer.rstrip("/"):
        raise SsoError(_("The identity provider's metadata names another issuer."))
    for endpoint in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not isinstance(metadata.get(endpoint), str):
            raise SsoError(_("The identity provider's metadata is incomplete."))
    return metadata


def authorization_request(config: OidcConfig, redirect_uri: str) -> tuple[str, PendingLogin]:
    metadata = discover(config)
    pending = PendingLogin(
        state=secrets.token_urlsafe(24), nonce=secrets.token_urlsafe(24), code_verifier=secrets.token_urlsafe(48)
    )
    params = {
        "response_type": "code",
        "client_id": config.client_id,
        "redirect_uri": redirect_uri,
        "scope": config.scopes,
        "state": pending.state,
        "nonce": pending.nonce,
        "code_challenge": pkce_challenge(pending.code_verifier),
        "code_challenge_method": "S256",
    }
    return f"{metadata['authorization_endpoint']}?{urlencode(params)}", pending


def complete_login(
    config: OidcConfig, pending: PendingLogin | None, query: dict[str, str], redirect_uri: str
) -> CitizenClaims:
    """Check the callback, exchange the code and verify the ID token."""
    if pending is None or not secrets.compare_digest(query.get("state", ""), pending.state):
        raise SsoError(_("This login link has expired or was not started here. Start the login again."))
    if query.get("error"):
        raise SsoError(_("The login was cancelled at the identity provider."))
    code = query.get("code", "")
    if not code:
        raise SsoError(_("The identity provider sent no authorization code."))
    metadata = discover(config)
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "client_id": config.client_id,
        "code_verifier": pending.code_verifier,
    }
    if config.client_secret:
        form["client_secret"] = config.client_secret
    tokens = _call("POST", metadata["token_endpoint"], config, data=form)
    id_token = tokens.get("id_token")
    if not isinstance(id_token, str):
        raise SsoError(_("The identity provider sent no ID token."))
    keys = _call("GET", metadata["jwks_uri"], config)
    claims = verify_id_token(id_token, keys, config=config, nonce=pending.nonce)
    return citizen_claims(claims, config)


def verify_id_token(id_token: str, jwks: dict[str, Any], *, config: OidcConfig, nonce: str) -> dict[str, Any]:
    try:
        key_set = KeySet.import_key_set(jwks)  # type: ignore[arg-type]
        token = jwt.decode(id_token, key_set, algorithms=["RS256", "ES256"])
        registry = jwt.JWTClaimsRegistry(
            now=int(time.time()),
            leeway=CLOCK_SKEW,
            iss={"essential": True, "value": config.issuer.rstrip("/")},
            aud={"essential": True, "value": config.client_id},
            sub={"essential": True},
            exp={"essential": True},
            nonce={"essential": True, "value": nonce},
        )
        registry.validate(token.claims)
    except (JoseError, ValueError) as error:
        logger.warning("system=oidc id_token rejected: %s", error)
        raise SsoError(_("The identity provider's answer could not be verified. Start the login again.")) from error
    return dict(token.claims)


def citizen_claims(claims: dict[str, Any], config: OidcConfig) -> CitizenClaims:
    id_number = str(claims.get(config.id_number_claim) or "").strip()
    full_name = str(claims.get("name") or "").strip()
    if not id_number or not full_name:
        raise SsoError(
            _("The identity provider did not share your ID number and name; they are needed to file dossiers.")
        )
    birthdate: date | None = None
    if claims.get("birthdate"):
        try:
            birthdate = date.fromisoformat(str(claims["birthdate"]))
        except ValueError:
            birthdate = None
    gender = str(claims.get("gender") or "")
    return CitizenClaims(
        subject=str(claims["sub"]),
        id_number=id_number,
        full_name=full_name,
        date_of_birth=birthdate,
        gender=gender if gender in {"male", "female"} else "",
        email=str(claims.get("email") or ""),
        phone=str(claims.get("phone_number") or ""),
    )
