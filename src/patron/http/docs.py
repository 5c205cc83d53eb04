"""The interactive API docs at /docs: Swagger UI served by Patron itself, so it works offline.

Swagger UI's files come from the `swagger-ui-bundle-v2` package (Apache-2.0, Swagger UI 5.x,
which renders OpenAPI 3.1): nothing is loaded from a CDN and nothing is copied into this repository.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Router
from litestar.datastructures import CacheControlHeader
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.static_files import create_static_files_router
from swagger_ui_bundle import swagger_ui_path  # type: ignore[import-untyped]

from patron.http.openapi import document

DOCS_PATH = "/docs"
ASSETS_PATH = f"{DOCS_PATH}/assets"


class _SwaggerUI(SwaggerRenderPlugin):
    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        return super().render(request, document(request.app))


def swagger_ui() -> SwaggerRenderPlugin:
    """The /docs page (showing the completed document), its script, style and icon taken from
    ASSETS_PATH (same origin)."""
    return _SwaggerUI(
        path="/",
        js_url=f"{ASSETS_PATH}/swagger-ui-bundle.js",
        css_url=f"{ASSETS_PATH}/swagger-ui.css",
        standalone_preset_js_url=f"{ASSETS_PATH}/swagger-ui-standalone-preset.js",
        favicon=f"<link rel='icon' type='image/png' href='{ASSETS_PATH}/favicon-32x32.png'>",
    )


def swagger_ui_assets() -> Router:
    """Swagger UI's files, cached for a day (they change only with the package's version)."""
    return create_static_files_router(
        path=ASSETS_PATH,
        directories=[swagger_ui_path],
        name="swagger-ui-assets",
        cache_control=CacheControlHeader(max_age=86_400, public=True),
    )
