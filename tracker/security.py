"""Response headers that keep the browser on our side, caching, and trusting a reverse proxy.

Every page is served with a content security policy that allows scripts, styles, fonts and
images from the tracker itself only (there is no inline script or style to allow), and may not
be framed. Responses that set a stricter policy of their own (uploaded files, infographics)
keep it.

Nothing the tracker generates may be kept by a browser or a proxy (`Cache-Control: no-store`):
pages, exports and files show what one signed-in person may see, and the back button of a
shared computer must not show them to the next person. Responses that set their own caching
keep it (the calendar feed). The files shipped in static/ are the exception: their links carry
the file's version (`?v=`), so browsers keep them for a year and fetch a new version at once.
"""

from __future__ import annotations

import functools
import hashlib
import os
from typing import Any

from flask import Flask, Response, current_app, request
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.security import safe_join

PAGE_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": PAGE_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
NO_STORE = "no-store"
STATIC_CACHING = "public, max-age=31536000, immutable"
STATIC_ENDPOINTS = frozenset({"static", "bootstrap.static"})


def configure_security(app: Flask) -> None:
    hops = app.config["TRUST_PROXY_HOPS"]
    if hops:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops
        )
    hsts = app.config["HSTS_SECONDS"]
    app.url_defaults(version_static_links)

    @app.after_request
    def security_headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if hsts:
            response.headers.setdefault(
                "Strict-Transport-Security", f"max-age={hsts}; includeSubDomains"
            )
        set_caching(response)
        return response


def set_caching(response: Response) -> None:
    """No-store for everything but versioned static files, which are kept for a year."""
    if request.endpoint not in STATIC_ENDPOINTS:
        if "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = NO_STORE
        return
    filename = (request.view_args or {}).get("filename", "")
    version = request.args.get("v")
    if version and version == static_version(request.endpoint, filename):
        response.headers["Cache-Control"] = STATIC_CACHING


def version_static_links(endpoint: str, values: dict[str, Any]) -> None:
    """Links to static files carry the file's version, so a long cache never serves an old one."""
    if endpoint in STATIC_ENDPOINTS and "filename" in values and "v" not in values:
        version = static_version(endpoint, values["filename"])
        if version:
            values["v"] = version


def static_version(endpoint: str, filename: str) -> str | None:
    """The version of a static file, from its content: the same on every server (None if
    there is no such file)."""
    blueprint, _dot, _name = endpoint.rpartition(".")
    folder = current_app.blueprints[blueprint].static_folder if blueprint else None
    path = safe_join(str(folder or current_app.static_folder), filename)
    try:
        if path is None:
            return None
        found = os.stat(path)
        return _digest(path, found.st_mtime_ns, found.st_size)
    except OSError:
        return None


@functools.lru_cache(maxsize=512)
def _digest(path: str, _mtime_ns: int, _size: int) -> str:
    """A file's SHA-256, shortened; read again only when the file changes."""
    with open(path, "rb") as content:
        return hashlib.file_digest(content, "sha256").hexdigest()[:16]
