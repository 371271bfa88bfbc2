"""A real OpenID Connect provider for tests: ``oidc-provider-mock`` on a free 127.0.0.1 port.

The mock is a Flask app (Authlib inside) that signs real RS256 ID tokens. Its authorize page is a
form with one text field, ``input[name="sub"]``, and an "Authorize" button; it does not ask for
other claims. A subject it has never seen gets ``{"email": sub}``; give a subject real claims
(email, name, ...) beforehand with ``users=`` or ``Provider.set_user``.

Streamlit's ``st.login`` asks for the scopes ``openid email profile``, so ``email`` and ``name``
reach ``st.user``; non-standard claims always do. See the README, "Single sign-on".
"""

from __future__ import annotations

import json
import threading
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import quote

import werkzeug.serving
from oidc_provider_mock import User, app


@dataclass(frozen=True)
class Provider:
    """A running mock provider and the one client Streamlit logs in with."""

    issuer: str  # "http://127.0.0.1:PORT", exactly the ``iss`` of its ID tokens
    client_id: str
    client_secret: str

    @property
    def metadata_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def auth_secrets(self, redirect_uri: str, cookie_secret: str) -> dict[str, dict[str, str]]:
        """The ``[auth]`` section of Streamlit's secrets for this provider (default provider)."""
        return {
            "auth": {
                "redirect_uri": redirect_uri,
                "cookie_secret": cookie_secret,
                "client_id": self.client_id,
                "client_secret": self.client_secret,
                "server_metadata_url": self.metadata_url,
            }
        }

    def set_user(self, sub: str, **claims: object) -> None:
        """Give ``sub`` these claims for its next login (replaces earlier ones)."""
        request = urllib.request.Request(
            f"{self.issuer}/users/{quote(sub, safe='')}",
            data=json.dumps(claims).encode(),
            method="PUT",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=5) as answer:
            if answer.status != 204:
                raise RuntimeError(f"mock provider refused user {sub!r}: {answer.status}")


@contextmanager
def oidc_provider(
    redirect_uris: Sequence[str] = (),
    users: Mapping[str, Mapping[str, object]] | None = None,
) -> Iterator[Provider]:
    """Start the mock provider on a thread; stop it (and its port) when the block ends.

    With ``redirect_uris`` the provider is strict, like a real one: only a registered client may
    log in, and only back to those addresses; the client is registered here (dynamic client
    registration) and its generated id and secret are yielded. Without them any client id and
    secret is accepted and any redirect address; the yielded ones are then merely fixed strings.
    ``users`` maps a subject to its claims, e.g. ``{"pl-1": {"email": "pl@x.example"}}``.
    """
    strict = bool(redirect_uris)
    provider_app = app(
        require_client_registration=strict,
        user_claims=[User(sub=sub, claims=dict(claims)) for sub, claims in (users or {}).items()],
    )
    server = werkzeug.serving.make_server("127.0.0.1", 0, provider_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.daemon = True
    thread.start()
    try:
        issuer = f"http://127.0.0.1:{server.server_port}"
        if strict:
            registration = urllib.request.Request(
                f"{issuer}/oauth2/clients",
                data=json.dumps(
                    {
                        "redirect_uris": list(redirect_uris),
                        "token_endpoint_auth_method": "client_secret_basic",
                    }
                ).encode(),
                method="POST",
                headers={"Content-Type": "application/json"},
            )
            with urllib.request.urlopen(registration, timeout=5) as answer:
                client = json.load(answer)
            provider = Provider(issuer, client["client_id"], client["client_secret"])
        else:
            provider = Provider(issuer, "koplopermonitor-test", "mock-accepts-any-secret")
        yield provider
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
