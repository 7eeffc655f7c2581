"""An observatory's own data sets: YAML declarations in a directory (``Settings.datasets_dir``) beside the package's.

``DatasetCatalogue(directory)`` is made once by an entry point from its settings and put in use
(``declaration.using_catalogue``), so that ``declarations()`` and ``declaration()`` answer from it everywhere. It
reads the directory again whenever its files change (name, size, modification time): a declaration dropped in is in
effect at the next request, with no restart and no code change. A file that does not load, or whose id is a package
data set's, is left out and listed by ``problems()`` (file, line, field, message); the others load all the same.

``add_declaration`` is the upload: the text is checked as a file of the directory would be, written there
atomically (a rename within the directory) and recorded in the audit trail.
"""

import hashlib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from sqlalchemy import Engine

from observatory.access.audit import audit, utc_now
from observatory.access.policy import ANONYMOUS, Principal, Role
from observatory.errors import BadInput, Conflict, Forbidden, Unauthenticated
from observatory.i18n import gettext as _
from observatory.reporting.declaration import (
    Declaration,
    DeclarationError,
    declaration,
    load_declaration,
    packaged,
    using_catalogue,
)
from observatory.settings import Settings
from observatory.store.engine import transaction

#: Largest declaration accepted by upload; the package's largest is under 10 kB.
MAX_DECLARATION_BYTES = 256 * 1024
Origin = Literal["package", "directory"]
#: A data set id: it names the file, and is kept with every submission (``Submission.dataset``, 64 characters).
SLUG = re.compile(r"[a-z0-9]+([_-][a-z0-9]+)*")
ID_LENGTH = 64


class BadDeclaration(BadInput):
    """An uploaded declaration that does not load: the file, line and field of each problem are in the details."""

    code = "bad-declaration"


class DatasetIdTaken(Conflict):
    code = "dataset-id-taken"


class NoDatasetsDir(Conflict):
    code = "no-datasets-dir"


@dataclass(frozen=True, slots=True)
class DeclarationProblem:
    """Why a file of the directory declares no data set."""

    file: str
    code: str
    message: str
    details: tuple[dict[str, Any], ...] = ()

    @property
    def line(self) -> int | None:
        return next((detail["line"] for detail in self.details if detail.get("line")), None)

    @property
    def field(self) -> str | None:
        return next((detail["field"] for detail in self.details if detail.get("field")), None)

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "code": self.code, "message": self.message, "line": self.line,
                "field": self.field, "details": list(self.details)}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Loaded:
    declarations: dict[str, Declaration]
    problems: tuple[DeclarationProblem, ...]


class DatasetCatalogue:
    """The package's data sets and those declared in ``directory`` (none: the package's alone)."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory

    @classmethod
    def of(cls, settings: Settings) -> "DatasetCatalogue":
        return cls(settings.datasets_dir)

    def declarations(self) -> dict[str, Declaration]:
        """Every data set in effect, by id: the package's first, then the directory's."""
        return {**packaged(), **self.own()}

    def own(self) -> dict[str, Declaration]:
        """The data sets the directory declares, by id."""
        return self._loaded().declarations

    def problems(self) -> tuple[DeclarationProblem, ...]:
        return self._loaded().problems

    def declaration(self, dataset: str) -> Declaration:
        """``dataset``'s declaration, or ``UnknownDataset`` (404) naming those declared."""
        with using_catalogue(self):
            return declaration(dataset)

    def origin(self, dataset: str) -> Origin:
        return "directory" if dataset in self.own() else "package"

    def _loaded(self) -> Loaded:
        if self.directory is None:
            return Loaded({}, ())
        try:
            return _load(self.directory, _signature(self.directory))
        except OSError as exc:
            message = f"the data sets directory {self.directory} cannot be read ({exc.strerror}); an upload makes it"
            return Loaded({}, (DeclarationProblem(str(self.directory), NoDatasetsDir.code, message),))


def _signature(directory: Path) -> tuple[tuple[str, int, int], ...]:
    """What changes when a declaration is added, removed or rewritten."""
    found = []
    for entry in os.scandir(directory):
        if not entry.name.startswith(".") and entry.name.endswith((".yaml", ".yml")) and entry.is_file():
            status = entry.stat()
            found.append((entry.name, status.st_mtime_ns, status.st_size))
    return tuple(sorted(found))


@lru_cache(maxsize=16)
def _load(directory: Path, signature: tuple[tuple[str, int, int], ...]) -> Loaded:
    declared: dict[str, Declaration] = {}
    problems: list[DeclarationProblem] = []
    for name, _size, _mtime in signature:
        found = check_file(directory / name)
        if isinstance(found, DeclarationProblem):
            problems.append(found)
        else:
            declared[found.id] = found
    return Loaded(declared, tuple(problems))


def check_file(path: Path) -> Declaration | DeclarationProblem:
    """The declaration in ``path`` as the directory would take it, or why it would not."""
    name = path.name
    if path.suffix != ".yaml":
        return DeclarationProblem(name, BadDeclaration.code, f"{name}: a declaration is named <id>.yaml")
    try:
        found = load_declaration(path)
    except DeclarationError as exc:
        return DeclarationProblem(name, exc.code, exc.message, tuple(exc.details))
    if found.id in packaged():
        return _taken(name, found.id)
    if len(found.id) > ID_LENGTH:
        message = f"{name}: a data set id is at most {ID_LENGTH} characters"
        return DeclarationProblem(name, BadDeclaration.code, message, ({"file": name, "field": "id"},))
    return found


def _taken(name: str, dataset: str) -> DeclarationProblem:
    message = f"{name}: {dataset!r} is a data set of the package; declare yours under another id (and file name)"
    return DeclarationProblem(name, DatasetIdTaken.code, message, ({"file": name, "line": 1, "field": "id"},))


def require_admin(principal: Principal) -> None:
    """Declaring data sets, and reading why a file declares none, is for administrators."""
    if principal == ANONYMOUS:
        raise Unauthenticated(_("sign in as an administrator to declare data sets"))
    if principal.role is not Role.ADMIN:
        raise Forbidden("only an administrator may declare data sets or read the declarations' problems")


def add_declaration(
    engine: Engine, principal: Principal, catalogue: DatasetCatalogue, text: bytes, replace: bool = False
) -> Declaration:
    """Check ``text`` as a declaration and write it to the catalogue's directory as ``<id>.yaml``; audited.

    Raises ``BadDeclaration`` (400, each problem's file, line and field in the details), ``DatasetIdTaken`` (409)
    for a package data set's id, or for one the directory declares already unless ``replace``, ``Forbidden`` (403)
    for anyone but an administrator, and ``NoDatasetsDir`` (409) when no directory is configured."""
    require_admin(principal)
    directory = catalogue.directory
    if directory is None:
        raise NoDatasetsDir("no data sets directory is configured: set OBSERVATORY_DATASETS_DIR")
    if len(text) > MAX_DECLARATION_BYTES:
        raise BadDeclaration(f"a declaration is at most {MAX_DECLARATION_BYTES:,} bytes; this one is {len(text):,}")
    dataset = _declared_id(text)
    target = directory / f"{dataset}.yaml"
    if dataset in packaged():
        raise DatasetIdTaken(_taken(target.name, dataset).message, [{"dataset": dataset}])
    if target.exists() and not replace:
        raise DatasetIdTaken(
            f"{target.name}: the data set {dataset!r} is declared already; replace it to change it",
            [{"dataset": dataset}],
        )
    directory.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".upload-", dir=directory))
    try:
        staged = staging / target.name
        staged.write_bytes(text)
        try:
            declared = load_declaration(staged)
        except DeclarationError as exc:
            raise BadDeclaration(exc.message, exc.details) from exc
        with transaction(engine) as session:
            detail = {"file": target.name, "sha256": hashlib.sha256(text).hexdigest(), "replaced": target.exists()}
            audit(session, principal.username, "dataset-declared", "dataset", dataset, utc_now(), **detail)
            session.flush()
            staged.replace(target)  # atomic; the audit event commits with it, or the file stays as it was
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return declared


def _declared_id(text: bytes) -> str:
    """The ``id`` the text declares, which names its file; what cannot be read is refused before anything else."""
    try:
        document = yaml.safe_load(text.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise BadDeclaration(f"a declaration is UTF-8 text: {exc}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        line = mark.line + 1 if mark is not None else None
        raise BadDeclaration(f"not valid YAML{where}", [{"line": line, "error": str(exc)}]) from exc
    dataset = document.get("id") if isinstance(document, dict) else None
    if not isinstance(dataset, str) or SLUG.fullmatch(dataset) is None or len(dataset) > ID_LENGTH:
        raise BadDeclaration(
            f"a declaration is a YAML mapping whose id is at most {ID_LENGTH} lower-case letters, digits, - and _ "
            "(e.g. drug-related-crime)",
            [{"field": "id", "value": str(dataset)[:100]}],
        )
    return dataset
