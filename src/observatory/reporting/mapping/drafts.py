"""Files between the steps of the import page: kept under ``var/imports`` for the person who uploaded them, for a
day at most, never as a submission. A draft is read back only by its owner; an unknown or expired token is 404."""

import json
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from observatory.errors import NotFound

#: A draft older than this is removed at the next upload.
KEEP_SECONDS = 24 * 3600


@dataclass(frozen=True, slots=True)
class Draft:
    token: str
    owner: str
    name: str
    dataset: str
    country: str | None
    data: bytes


def save_draft(folder: Path, owner: str, name: str, dataset: str, country: str | None, data: bytes) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    _purge(folder)
    token = secrets.token_urlsafe(18)
    meta = {"owner": owner, "name": name, "dataset": dataset, "country": country, "at": time.time()}
    partial = folder / f"{token}.part"
    partial.write_bytes(data)
    partial.replace(folder / f"{token}.bin")
    (folder / f"{token}.json").write_text(json.dumps(meta), encoding="utf-8")
    return token


def load_draft(folder: Path, owner: str, token: str) -> Draft:
    meta_path, data_path = folder / f"{token}.json", folder / f"{token}.bin"
    if not token.replace("-", "").replace("_", "").isalnum() or not meta_path.is_file() or not data_path.is_file():
        raise NotFound("no such import under way (it may have expired: upload the file again)", [{"value": token}])
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if meta["owner"] != owner or time.time() - meta["at"] > KEEP_SECONDS:
        raise NotFound("no such import under way (it may have expired: upload the file again)", [{"value": token}])
    return Draft(token, owner, meta["name"], meta["dataset"], meta["country"], data_path.read_bytes())


def drop_draft(folder: Path, token: str) -> None:
    for suffix in (".json", ".bin"):
        (folder / f"{token}{suffix}").unlink(missing_ok=True)


def _purge(folder: Path) -> None:
    now = time.time()
    for path in folder.glob("*.json"):
        try:
            if now - json.loads(path.read_text(encoding="utf-8"))["at"] > KEEP_SECONDS:
                drop_draft(folder, path.stem)
        except (OSError, ValueError, KeyError):
            drop_draft(folder, path.stem)
