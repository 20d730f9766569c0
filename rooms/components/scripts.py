"""Browser scripts the signed-out frame and the profile menu both run."""

from __future__ import annotations


def post_then_reload_script(
    path: str, body_js: str = "{}", next_url: str = "/", next_js: str | None = None
) -> str:
    """JS that POSTs JSON to our API and then does a *full* page load.

    A full load is what makes the new (or removed) httpOnly cookie reach the
    Reflex socket; `rx.redirect` would keep the old socket. A failure resolves to the API's
    `{error, message}` (code `NETWORK` when there was no answer), which the caller's state
    turns into text in the viewer's language (rooms.core.error_texts).
    """
    return f"""(async () => {{
  try {{
    // Same origin in production; the backend's own port in `reflex run` dev mode.
    const url = typeof getBackendURL === "function"
      ? new URL({path!r}, getBackendURL()).href : {path!r};
    const res = await fetch(url, {{method: "POST", credentials: "include",
      headers: {{"Content-Type": "application/json"}}, body: JSON.stringify({body_js})}});
    if (res.ok) {{ window.location.assign({next_js or repr(next_url)}); return {{}}; }}
    const data = await res.json().catch(() => ({{}}));
    return {{error: data.error || ("HTTP_" + res.status), message: data.message || ""}};
  }} catch (e) {{
    return {{error: "NETWORK", message: ""}};
  }}
}})()"""
