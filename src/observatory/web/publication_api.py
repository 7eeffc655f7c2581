"""Releases over HTTP: the list, each release's files, ``/releases/latest`` and the DCAT-AP catalogue.

    GET /api/v1/releases                 every release, newest first
    GET /releases/latest                 303 to the newest release's folder
    GET /releases/{version}/{file}       a file of a release, e.g. /releases/2026.1/datapackage.json
    GET /catalog.jsonld                  DCAT-AP catalogue of the releases

Releases are built by ``observatory release build`` (an operator's step, like a backup); the API only serves them.
"""

import mimetypes
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from observatory.errors import NotFound
from observatory.publication import dcat_catalog, list_releases, release
from observatory.web.deps import Records, SettingsDep, reject_unknown_parameters
from observatory.web.formats import cached

router = APIRouter(dependencies=[Depends(reject_unknown_parameters)], tags=["releases"])


@router.get("/api/v1/releases")
def releases(records: Records, settings: SettingsDep) -> dict[str, Any]:
    """Every release of the published data, newest first."""
    found = list_releases(records, settings.var_dir)
    return {"data": [item.to_json() | {"path": f"/releases/{item.version}/"} for item in found], "meta": {}}


@router.get("/releases/latest")
def latest(records: Records, settings: SettingsDep) -> RedirectResponse:
    """The newest release."""
    return RedirectResponse(f"/releases/{release(records, settings.var_dir, 'latest').version}/", status_code=303)


@router.get("/releases/{version}/{name:path}")
def release_file(request: Request, records: Records, settings: SettingsDep, version: str, name: str = "") -> Response:
    """A file of a release (its folder's index: the SHA256SUMS list)."""
    chosen = release(records, settings.var_dir, version)
    folder = chosen.path.resolve()
    target = (folder / (name or "SHA256SUMS")).resolve()
    if not target.is_relative_to(folder) or not target.is_file():
        raise NotFound(f"release {version} has no file {name!r}", [{"value": name}])
    media_type = mimetypes.guess_type(target.name)[0] or "text/plain"
    return cached(request, target.read_bytes(), media_type, {"Cache-Control": "public, max-age=31536000, immutable"})


@router.get(
    "/catalog.jsonld",
    responses={200: {"description": "DCAT-AP catalogue", "content": {"application/ld+json": {}}}},
    response_class=Response,
)
def catalog(records: Records, settings: SettingsDep) -> Response:
    """DCAT-AP catalogue of the releases (JSON-LD)."""
    import json

    found = [item.to_json() for item in list_releases(records, settings.var_dir)]
    body = json.dumps(dcat_catalog(settings.site_url, found), indent=2).encode()
    return Response(body, media_type="application/ld+json")
