"""Google / OpenID Connect sign-in with Authlib: the authorization code flow with state,
nonce and PKCE, ending in the same server-side session cookie as a local login."""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from functools import lru_cache
from typing import Annotated, Any

import httpx
import jwt
from authlib.integrations.base_client import OAuthError

# Authlib talks to the provider with httpx2 when it is installed, else httpx: either's
# transport errors mean "the provider cannot be reached".
from authlib.integrations.httpx_client._compat import httpx2
from authlib.integrations.starlette_client import OAuth, StarletteOAuth2App
from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse

from rooms import routes
from rooms.api.deps import Db
from rooms.api.errors import error_response
from rooms.api.routes.auth import set_session_cookie
from rooms.api.schemas import ErrorOut, Out
from rooms.core import identity, oidc, redirects
from rooms.core.config import Settings, get_settings
from rooms.core.errors import DomainError

TRANSPORT_ERRORS = tuple(dict.fromkeys((httpx.HTTPError, httpx2.HTTPError, OSError)))

log = logging.getLogger("rooms.oauth")
router = APIRouter(prefix="/api/auth", tags=["auth"])

FLOW_COOKIE = "rooms_oidc"
FLOW_TTL_S = 600
_NEXT_KEY = "_rooms_next"


class ProviderOut(Out):
    id: str
    name: str
    login_url: str


class ProvidersOut(Out):
    providers: list[ProviderOut]


@router.get("/providers", response_model=ProvidersOut)
def providers() -> ProvidersOut:
    """Sign-in buttons for the login page: the providers configured here."""
    return ProvidersOut(
        providers=[
            ProviderOut(id=p.id, name=p.name, login_url=f"/api/auth/{p.id}/login")
            for p in oidc.configured(get_settings())
        ]
    )


@lru_cache(maxsize=8)
def _client(provider: oidc.Provider) -> StarletteOAuth2App:
    # One client per provider configuration: it caches discovery metadata and JWKS.
    registry = OAuth()
    return registry.register(
        name=provider.id,
        client_id=provider.client_id,
        client_secret=provider.client_secret,
        server_metadata_url=provider.metadata_url,
        client_kwargs={"scope": "openid email profile", "timeout": 10},
        code_challenge_method="S256",
    )


def _flow_key(settings: Settings) -> bytes:
    return hmac.new(settings.auth_secret.encode(), b"rooms-oidc-flow", hashlib.sha256).digest()


def _load_flow(request: Request, settings: Settings) -> dict[str, Any]:
    raw = request.cookies.get(FLOW_COOKIE)
    if not raw:
        return {}
    try:
        data = jwt.decode(raw, _flow_key(settings), algorithms=["HS256"])
    except jwt.PyJWTError:
        return {}
    flow = data.get("flow")
    return flow if isinstance(flow, dict) else {}


def _store_flow(response: Any, flow: dict[str, Any], settings: Settings) -> None:
    # Authlib keeps state, nonce and the PKCE verifier in a "session"; ours is this signed,
    # short-lived cookie, sent back only to /api/auth.
    token = jwt.encode(
        {"flow": flow, "exp": int(time.time()) + FLOW_TTL_S}, _flow_key(settings), "HS256"
    )
    response.set_cookie(
        FLOW_COOKIE,
        token,
        max_age=FLOW_TTL_S,
        path="/api/auth",
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
    )


@router.get(
    "/{provider_id}/login",
    response_model=None,
    response_class=RedirectResponse,
    status_code=302,
    responses={302: {"description": "To the provider"}, 404: {"model": ErrorOut}},
)
async def oidc_login(
    provider_id: str,
    request: Request,
    next_path: Annotated[str | None, Query(alias="next", max_length=512)] = None,
) -> RedirectResponse | JSONResponse:
    settings = get_settings()
    provider = oidc.provider(settings, provider_id)
    redirect_uri = f"{settings.app_url.rstrip('/')}/api/auth/{provider.id}/callback"
    request.scope["session"] = {_NEXT_KEY: redirects.safe_next(next_path, routes.INDEX)}
    try:
        response = await _client(provider).authorize_redirect(request, redirect_uri)
    except (*TRANSPORT_ERRORS, OAuthError, ValueError, KeyError) as exc:
        log.warning("provider %s unreachable: %s", provider.id, type(exc).__name__)
        return error_response(
            502, "PROVIDER_UNAVAILABLE", "The sign-in provider cannot be reached right now."
        )
    _store_flow(response, request.scope["session"], settings)
    return response


def _fail(
    request: Request, status: int, code: str, message: str
) -> RedirectResponse | JSONResponse:
    """A browser goes back to the login page with the reason; API clients get the contract."""
    if "text/html" in request.headers.get("accept", ""):
        response: RedirectResponse | JSONResponse = RedirectResponse(
            f"{routes.LOGIN}?error={code}", status_code=303
        )
    else:
        response = error_response(status, code, message)
    response.delete_cookie(FLOW_COOKIE, path="/api/auth")
    return response


@router.get(
    "/{provider_id}/callback",
    response_model=None,
    response_class=RedirectResponse,
    status_code=303,
    responses={
        303: {"description": "Signed in; to the page the flow started from"},
        400: {"model": ErrorOut},
        403: {"model": ErrorOut},
        404: {"model": ErrorOut},
        502: {"model": ErrorOut},
    },
)
async def oidc_callback(
    provider_id: str, request: Request, db: Db
) -> RedirectResponse | JSONResponse:
    settings = get_settings()
    provider = oidc.provider(settings, provider_id)
    flow = _load_flow(request, settings)
    request.scope["session"] = flow
    if request.query_params.get("error"):
        return _fail(request, 400, "SIGN_IN_CANCELLED", "Sign-in was cancelled at the provider.")
    try:
        token = await _client(provider).authorize_access_token(request)
    except OAuthError as exc:
        # Covers a missing or foreign state, a refused code and a bad ID token (nonce too).
        log.info("oidc callback refused: %s", exc.error)
        return _fail(request, 400, "INVALID_SIGN_IN", "The sign-in could not be verified.")
    except TRANSPORT_ERRORS as exc:
        log.warning("provider %s unreachable: %s", provider.id, type(exc).__name__)
        return _fail(request, 502, "PROVIDER_UNAVAILABLE", "The sign-in provider did not answer.")
    except Exception as exc:  # noqa: BLE001  (Authlib/joserfc raise many types for a bad token)
        log.info("oidc token rejected: %s", type(exc).__name__)
        return _fail(request, 400, "INVALID_SIGN_IN", "The sign-in could not be verified.")
    claims = dict(token.get("userinfo") or {})
    if not claims:
        return _fail(request, 400, "INVALID_SIGN_IN", "The provider sent no ID token.")
    try:
        user = oidc.sign_in(db, claims)
    except DomainError as exc:
        return _fail(request, exc.status, exc.code, exc.message)
    session_token = identity.start_auth_session(db, user, request.headers.get("user-agent"))
    db.commit()
    response = RedirectResponse(
        redirects.safe_next(flow.get(_NEXT_KEY), routes.INDEX), status_code=303
    )
    set_session_cookie(response, session_token)
    response.delete_cookie(FLOW_COOKIE, path="/api/auth")
    return response
