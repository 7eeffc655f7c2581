"""Security headers on every response: a Content-Security-Policy, no framing, no sniffing, a cautious referrer,
and HSTS when the site is served over https (``Settings.site_url``).

Scripts come from our own origin only. The few inline scripts and event-handler attributes the templates hold are
allowed by their SHA-256, computed here from the templates themselves, so the policy follows the templates and no
other inline script can run. One that contains template markup could not be hashed: it is refused at start-up
(move it to ``static/js``).
"""

import base64
import hashlib
import html
import re
from pathlib import Path

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from observatory.settings import Settings

#: An inline ``<script>`` (one without ``src``) and its text.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.DOTALL | re.IGNORECASE)
#: An event-handler attribute such as ``onchange="..."``.
EVENT_HANDLER = re.compile(r"\son[a-z]+=\"([^\"]*)\"", re.IGNORECASE)
TEMPLATE_MARKUP = ("{{", "{%", "{#")


def inline_script_hashes(templates: Path) -> tuple[list[str], list[str]]:
    """CSP sources (``'sha256-…'``) of the templates' inline scripts, and of their event-handler attributes."""
    scripts: set[str] = set()
    handlers: set[str] = set()
    for path in sorted(templates.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        # The browser hashes a script's text as written, an attribute's value once its entities are decoded.
        scripts.update(_source(_static(path, code)) for code in INLINE_SCRIPT.findall(text))
        handlers.update(_source(html.unescape(_static(path, code))) for code in EVENT_HANDLER.findall(text))
    return sorted(scripts), sorted(handlers)


def _static(path: Path, code: str) -> str:
    if any(markup in code for markup in TEMPLATE_MARKUP):
        raise ValueError(f"{path}: an inline script with template markup cannot be allowed by its hash")
    return code


def content_security_policy(templates: Path) -> str:
    scripts, handlers = inline_script_hashes(templates)
    script_src = ["'self'", *scripts] + (["'unsafe-hashes'", *handlers] if handlers else [])
    directives = {
        "default-src": ["'self'"],
        "script-src": script_src,
        # Templates use style attributes and <style> blocks, and RDKit's structure drawings (inline SVG) carry style
        # attributes: inline styles are allowed. A style cannot run code; scripts stay restricted.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def security_headers(settings: Settings, templates: Path) -> dict[str, str]:
    headers = {
        "Content-Security-Policy": content_security_policy(templates),
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
    }
    if settings.site_url.startswith("https://"):
        headers["Strict-Transport-Security"] = "max-age=31536000"
    return headers


class SecurityHeaders:
    """ASGI middleware adding ``headers`` to every HTTP response that does not set them itself."""

    def __init__(self, app: ASGIApp, headers: dict[str, str]) -> None:
        self.app = app
        self.headers = headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _source(code: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode()).digest()).decode() + "'"
