"""Same-origin rules for state-changing requests, and the security headers of every response.

Pure functions over plain values so that the ASGI middleware stays a thin adapter.
"""

from __future__ import annotations

import hmac
import ipaddress
from urllib.parse import urlsplit

from rooms.core.config import Settings

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


def origin_of(url: str) -> str | None:
    """`scheme://host[:port]`, lower-case, without the scheme's default port."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    host = parts.hostname.lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    if port is not None and port != _DEFAULT_PORTS[parts.scheme]:
        host = f"{host}:{port}"
    return f"{parts.scheme}://{host}"


def allowed_origins(settings: Settings) -> list[str]:
    """The origins whose pages may open the app's sockets (Reflex's event socket, the
    transcription socket) and call the API with the cookie: APP_URL's, with its
    localhost/127.0.0.1 twin, plus REFLEX_CORS_ALLOWED_ORIGINS ("*" there: any)."""
    url = urlsplit(settings.app_url)
    origins = {f"{url.scheme}://{url.netloc}"}
    if url.hostname in ("localhost", "127.0.0.1"):
        port = f":{url.port}" if url.port else ""
        origins |= {f"{url.scheme}://{host}{port}" for host in ("localhost", "127.0.0.1")}
    extra = (o.strip() for o in settings.reflex_cors_allowed_origins.split(","))
    origins |= {o for o in extra if o}
    return sorted(origins)


def origin_allowed(origin: str | None, settings: Settings) -> bool:
    """A WebSocket handshake's Origin. None (not a browser: no page can forge a missing
    Origin) passes; "null" and anything unparsable do not."""
    if origin is None:
        return True
    allowed = allowed_origins(settings)
    if "*" in allowed:
        return True
    sent = origin_of(origin)
    return sent is not None and sent in {origin_of(o) for o in allowed}


def _host_without_default_port(host: str) -> str:
    host = host.strip().lower()
    for suffix in (":80", ":443"):
        if host.endswith(suffix):
            return host[: -len(suffix)]
    return host


def is_cross_site(
    origin: str | None, sec_fetch_site: str | None, host: str | None, app_url: str
) -> bool:
    """Did a browser send this from another site? Both the public APP_URL and the host the
    request was addressed to count as ours (a browser sets Host to the target, so a page
    elsewhere cannot make them match). No Origin and no Sec-Fetch-Site: not a browser's
    cross-site request (API clients, curl), so it passes."""
    if origin is not None:
        if origin == origin_of(app_url):
            return False
        sent = origin_of(origin)  # "null" (sandboxed frames, privacy redirects) gives None
        if sent is None or not host:
            return True
        return sent.split("://", 1)[1] != _host_without_default_port(host)
    if sec_fetch_site is not None:
        return sec_fetch_site.strip().lower() not in ("same-origin", "none")
    return False


def _http_origin(url: str) -> str | None:
    """The http(s) origin of a ws(s) URL (LiveKit's client speaks both to one server)."""
    origin = origin_of(url)
    if origin is None:
        return None
    scheme, rest = origin.split("://", 1)
    return {"ws": "http", "wss": "https"}.get(scheme, scheme) + "://" + rest


def content_security_policy(settings: Settings) -> str:
    """A policy the Reflex pages run under: its runtime uses inline scripts and eval (for
    `call_script`), Radix uses inline styles; LiveKit needs its server (ws and http),
    camera streams and blob workers; the host's page its transcription gateway; avatars
    may come from any https host."""
    connect = ["'self'"]
    livekit = origin_of(settings.livekit_url)
    if livekit:
        connect += sorted({livekit, _http_origin(settings.livekit_url) or livekit})
    # The transcription gateway, when it runs on its own (TRANSCRIPTION_WS_URL).
    gateway = origin_of(settings.transcription_ws_url)
    if gateway:
        connect.append(gateway)
    if settings.cloudinary_cloud_name:
        connect.append("https://api.cloudinary.com")
    form_action = ["'self'"]
    for issuer in (settings.oidc_issuer, "https://accounts.google.com"):
        if issuer and (settings.google_client_id or settings.oidc_issuer):
            issuer_origin = origin_of(issuer)
            if issuer_origin and issuer_origin not in form_action:
                form_action.append(issuer_origin)
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-inline'", "'unsafe-eval'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", "https:"],
        "font-src": ["'self'", "data:"],
        "connect-src": connect,
        "media-src": ["'self'", "blob:", "mediastream:"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": form_action,
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def security_headers(settings: Settings) -> list[tuple[str, str]]:
    headers = [
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        # Session links carry the invite slug: never hand it to another site.
        ("Referrer-Policy", "same-origin"),
        ("Permissions-Policy", "camera=(self), microphone=(self), display-capture=(self)"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
        ("Content-Security-Policy", content_security_policy(settings)),
    ]
    if settings.cookie_secure:
        headers.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))
    return headers


def metrics_allowed(
    settings: Settings, peer: str, forwarded: bool, authorization: str | None
) -> bool:
    """Who may read /metrics: the machine itself (a scraper on localhost, not a request a
    local reverse proxy relays: those carry forwarding headers), or whoever presents the
    METRICS_TOKEN as a bearer token."""
    token = settings.metrics_token
    if token and authorization:
        scheme, _, sent = authorization.partition(" ")
        presented = sent.strip().encode()
        if scheme.lower() == "bearer" and hmac.compare_digest(presented, token.encode()):
            return True
    if forwarded:
        return False
    try:
        return ipaddress.ip_address(peer).is_loopback
    except ValueError:
        return False
