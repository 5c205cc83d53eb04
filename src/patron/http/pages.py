"""Small HTML pages for links a person opens in a browser (newsletter confirm and unsubscribe).

The same routes answer JSON to programs; a client that prefers `text/html` (a browser's
Accept) gets a page instead, in the subscriber's language. Every text comes from the
catalogs and is escaped; the page loads nothing (no scripts, fonts or images) and its
Content-Security-Policy allows nothing but its own inline style.
"""

from __future__ import annotations

import html
from typing import Any

from litestar import Request, Response

from patron.http.i18n import request_locale
from patron.kernel.messages import Message

HTML = "text/html"
JSON = "application/json"

_STYLE = (
    "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:32rem;margin:4rem auto;"
    "padding:0 1rem;color:#1f2328;line-height:1.5}h1{font-size:1.4rem}"
)
_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    # The path carries the subscriber's token: never sent on, never kept.
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Vary": "Accept, Accept-Language",
}


def wants_html(request: Request[Any, Any, Any]) -> bool:
    """Whether the client prefers a page to JSON (`*/*` or no Accept: JSON, as before)."""
    return request.accept.best_match([JSON, HTML], default=JSON) == HTML


def page_locale(locale: str | None) -> str:
    """`vi` for Vietnamese (`vi`, `vi-VN`), else `en`: the languages the catalogs hold."""
    return request_locale(locale or "")


# What a link left the subscription as (or that it led nowhere): the page's title and text.
PAGES: dict[str, tuple[Message, Message]] = {
    "pending": (Message("page.pending.title"), Message("page.pending.body")),
    "subscribed": (Message("page.subscribed.title"), Message("page.subscribed.body")),
    "unsubscribed": (Message("page.unsubscribed.title"), Message("page.unsubscribed.body")),
    "link_not_found": (Message("page.link_not_found.title"), Message("page.link_not_found.body")),
}


def link_page(page: str, locale: str, *, status_code: int = 200) -> Response[Any]:
    """One of `PAGES`, rendered in `locale`."""
    lang = page_locale(locale)
    title_message, body_message = PAGES[page]
    title = html.escape(title_message.render(lang))
    body = html.escape(body_message.render(lang))
    document = (
        f'<!doctype html>\n<html lang="{html.escape(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="robots" content="noindex"><title>{title}</title><style>{_STYLE}</style></head>'
        f"<body><main><h1>{title}</h1><p>{body}</p></main></body></html>\n"
    )
    return Response(document, status_code=status_code, media_type=f"{HTML}; charset=utf-8", headers=_HEADERS)
