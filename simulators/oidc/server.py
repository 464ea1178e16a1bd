"""A local OpenID Connect provider standing in for the national SSO (VNeID / DVCQG), SPEC §7.1.

It speaks the real protocol our adapter uses: discovery, the authorization-code flow with PKCE
(S256 only), RS256 ID tokens signed with a key published at the JWKS endpoint, and userinfo. The
login page lists test identities (simulators/oidc/identities.json) instead of asking for a
password. A control endpoint makes it misbehave the way a real provider can:

    POST /_control {"mode": "normal" | "down" | "bad_signature" | "wrong_audience" | "expired",
                    "delay": seconds}

Run it:  python -m simulators.oidc.server --port 9400 [--issuer http://127.0.0.1:9400]
It depends only on the standard library, `joserfc` and `cryptography`.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import html
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import RSAKey

IDENTITIES_FILE = Path(__file__).with_name("identities.json")
CODE_LIFETIME = 60  # seconds an authorization code stays usable, once
TOKEN_LIFETIME = 300


@dataclass
class Grant:
    client_id: str
    redirect_uri: str
    code_challenge: str
    nonce: str
    identity: dict[str, Any]
    issued: float = field(default_factory=time.time)


class Provider:
    """The provider's state: keys, identities, outstanding codes and tokens, misbehaviour mode."""

    def __init__(self, issuer: str, identities: list[dict[str, Any]]) -> None:
        self.issuer = issuer.rstrip("/")
        self.identities = {identity["sub"]: identity for identity in identities}
        self.key = RSAKey.generate_key(2048, parameters={"kid": "sim-1", "use": "sig", "alg": "RS256"})
        self.rogue_key = RSAKey.generate_key(2048, parameters={"kid": "sim-1", "use": "sig", "alg": "RS256"})
        self.codes: dict[str, Grant] = {}
        self.access_tokens: dict[str, dict[str, Any]] = {}
        self.mode = "normal"
        self.delay = 0.0
        self.lock = threading.Lock()

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": ["openid", "profile", "email", "phone"],
            "token_endpoint_auth_methods_supported": ["none", "client_secret_post"],
            "claims_supported": ["sub", "name", "birthdate", "gender", "email", "phone_number", "id_number"],
        }

    def issue_code(self, grant: Grant) -> str:
        code = secrets.token_urlsafe(24)
        with self.lock:
            self.codes[code] = grant
        return code

    def redeem(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        """The token endpoint: check the code, the redirect URI and the PKCE verifier."""
        if form.get("grant_type") != "authorization_code":
            return 400, {"error": "unsupported_grant_type"}
        with self.lock:
            grant = self.codes.pop(form.get("code", ""), None)  # a code is good once
        if grant is None or time.time() - grant.issued > CODE_LIFETIME:
            return 400, {"error": "invalid_grant", "error_description": "unknown, used or expired code"}
        if form.get("client_id") != grant.client_id or form.get("redirect_uri") != grant.redirect_uri:
            return 400, {"error": "invalid_grant", "error_description": "client or redirect_uri mismatch"}
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if not verifier or challenge != grant.code_challenge:
            return 400, {"error": "invalid_grant", "error_description": "PKCE verification failed"}
        now = int(time.time())
        identity = grant.identity
        claims = {
            "iss": self.issuer,
            "sub": identity["sub"],
            "aud": "someone-else" if self.mode == "wrong_audience" else grant.client_id,
            "iat": now,
            "exp": now - 600 if self.mode == "expired" else now + TOKEN_LIFETIME,  # well past any leeway
            "nonce": grant.nonce,
            **{name: value for name, value in identity.items() if name != "sub" and value},
        }
        key = self.rogue_key if self.mode == "bad_signature" else self.key
        id_token = jwt.encode({"alg": "RS256", "kid": "sim-1"}, claims, key)
        access_token = secrets.token_urlsafe(24)
        with self.lock:
            self.access_tokens[access_token] = identity
        return 200, {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": TOKEN_LIFETIME,
            "id_token": id_token,
        }


class Handler(BaseHTTPRequestHandler):
    provider: Provider  # set on the class by serve()

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: tests and `make run` would drown in request lines

    # --- plumbing -------------------------------------------------------------------------------
    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, data: Any) -> None:
        self._send(status, json.dumps(data, ensure_ascii=False).encode(), "application/json; charset=utf-8")

    def _form(self) -> dict[str, str]:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode() if length else ""
        return {name: values[0] for name, values in parse_qs(raw, keep_blank_values=True).items()}

    def _misbehave(self) -> bool:
        """Apply the configured delay; answer 503 and return True when the provider is 'down'."""
        if self.provider.delay:
            time.sleep(self.provider.delay)
        if self.provider.mode == "down":
            self._json(503, {"error": "temporarily_unavailable"})
            return True
        return False

    # --- routes ---------------------------------------------------------------------------------
    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = {name: values[0] for name, values in parse_qs(url.query).items()}
        if url.path == "/_health":
            return self._json(200, {"status": "ok"})
        if self._misbehave():
            return None
        if url.path == "/.well-known/openid-configuration":
            return self._json(200, self.provider.discovery())
        if url.path == "/jwks":
            return self._json(200, {"keys": [self.provider.key.as_dict(private=False)]})
        if url.path == "/authorize":
            return self._authorize_page(query)
        if url.path == "/userinfo":
            return self._userinfo()
        return self._json(404, {"error": "not_found"})

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        form = self._form() if url.path != "/_control" else {}
        if url.path == "/_control":
            length = int(self.headers.get("Content-Length") or 0)
            data = json.loads(self.rfile.read(length) or b"{}")
            self.provider.mode = data.get("mode", "normal")
            self.provider.delay = float(data.get("delay", 0))
            return self._json(200, {"mode": self.provider.mode, "delay": self.provider.delay})
        if self._misbehave():
            return None
        if url.path == "/authorize":
            return self._authorize_decision(form)
        if url.path == "/token":
            status, body = self.provider.redeem(form)
            return self._json(status, body)
        return self._json(404, {"error": "not_found"})

    def _request_error(self, query: dict[str, str]) -> str:
        if query.get("response_type") != "code":
            return "unsupported response_type"
        if "openid" not in query.get("scope", "").split():
            return "scope must include openid"
        if not query.get("client_id") or not query.get("redirect_uri", "").startswith(("http://", "https://")):
            return "client_id and an absolute redirect_uri are required"
        if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
            return "PKCE with S256 is required"
        return ""

    def _authorize_page(self, query: dict[str, str]) -> None:
        problem = self._request_error(query)
        if problem:
            body = f"<p>invalid_request: {html.escape(problem)}</p>".encode()
            return self._send(400, body, "text/html; charset=utf-8")
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(name)}" value="{html.escape(value)}">'
            for name, value in query.items()
        )
        choices = "".join(
            f'<li><button type="submit" name="sub" value="{html.escape(sub)}">'
            f"{html.escape(identity['name'])} — {html.escape(identity['id_number'])}</button></li>"
            for sub, identity in self.provider.identities.items()
        )
        page = f"""<!doctype html><html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mô phỏng VNeID — đăng nhập</title>
<style>body{{font-family:sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#111}}
button{{font-size:1rem;padding:.6rem 1rem;margin:.3rem 0;width:100%;text-align:left;background:#fff;
border:2px solid #1d4ed8;border-radius:.4rem;color:#1d4ed8;cursor:pointer}}ul{{list-style:none;padding:0}}</style>
</head><body><main><h1>Mô phỏng định danh điện tử (VNeID)</h1>
<p>Chọn danh tính để đăng nhập vào dịch vụ công.</p>
<form method="post" action="/authorize">{hidden}<ul>{choices}</ul>
<p><button type="submit" name="deny" value="1">Từ chối</button></p></form></main></body></html>"""
        return self._send(200, page.encode(), "text/html; charset=utf-8")

    def _authorize_decision(self, form: dict[str, str]) -> None:
        problem = self._request_error(form)
        if problem:
            return self._json(400, {"error": "invalid_request", "error_description": problem})
        redirect_uri = form["redirect_uri"]
        separator = "&" if "?" in redirect_uri else "?"
        if form.get("deny"):
            params = {"error": "access_denied", "state": form.get("state", "")}
            return self._send(302, b"", "text/plain", {"Location": f"{redirect_uri}{separator}{urlencode(params)}"})
        identity = self.provider.identities.get(form.get("sub", ""))
        if identity is None:
            return self._json(400, {"error": "invalid_request", "error_description": "unknown identity"})
        code = self.provider.issue_code(
            Grant(form["client_id"], redirect_uri, form["code_challenge"], form.get("nonce", ""), identity)
        )
        params = {"code": code, "state": form.get("state", "")}
        return self._send(302, b"", "text/plain", {"Location": f"{redirect_uri}{separator}{urlencode(params)}"})

    def _userinfo(self) -> None:
        header = self.headers.get("Authorization", "")
        identity = self.provider.access_tokens.get(header.removeprefix("Bearer ").strip())
        if not header.startswith("Bearer ") or identity is None:
            return self._json(401, {"error": "invalid_token"})
        return self._json(200, {name: value for name, value in identity.items() if value})


def serve(
    host: str, port: int, issuer: str | None = None, identities_file: Path = IDENTITIES_FILE
) -> ThreadingHTTPServer:
    identities = json.loads(identities_file.read_text(encoding="utf-8"))
    handler: type[Handler] = type("BoundHandler", (Handler,), {})  # one provider per server, even in one process
    server = ThreadingHTTPServer((host, port), handler)
    actual_issuer = issuer or f"http://{host}:{server.server_address[1]}"
    handler.provider = Provider(actual_issuer, identities)
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9400)
    parser.add_argument("--issuer", default=None)
    arguments = parser.parse_args()
    server = serve(arguments.host, arguments.port, arguments.issuer)
    print(f"OIDC simulator on http://{arguments.host}:{server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
