"""Releases: immutable, citable, reproducible vintages of the published data, under ``<var>/releases/<YYYY.N>/``.

``build_release`` freezes what the public sees now: per data set its publication table as Parquet (the input every
other file is made from), CSV with CSVW metadata and XLSX; the codelists as CSV; the SDMX structure and data
messages; ``datapackage.json``; ``CITATION.cff``; and ``SHA256SUMS`` over all of them. The version is the year and
the release's number in it (``2026.1``). ``write_files`` makes every file from the frozen tables and the build time
only, so ``verify_release`` rebuilds them in a scratch folder and compares bytes: a release rebuilt from the same
inputs is byte-identical. A later correction makes a new release; an old folder is never written again.
"""

import hashlib
import json
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from sdmx.model.v21 import Code
from sqlalchemy import Engine, func, insert, select

from observatory.analytics.store import AnalyticsStore
from observatory.errors import Conflict, NotFound
from observatory.i18n import gettext as _
from observatory.publication.catalogue import Published, from_tables, made
from observatory.publication.data_text import sdmx_csv
from observatory.publication.data_xml import generic_xml
from observatory.publication.downloads import notes, table_csv, table_parquet, table_xlsx
from observatory.publication.flows import flows
from observatory.publication.messages import DataMessage
from observatory.publication.release_files import citation, csvw, datapackage
from observatory.publication.structures import StructureQuery, query_structures, structure_xml
from observatory.store.release_schema import DataRelease

SUMS = "SHA256SUMS"


class NothingPublished(Conflict):
    code = "nothing-published"


class UnknownRelease(NotFound):
    code = "unknown-release"


@dataclass(frozen=True, slots=True)
class Release:
    version: str
    created_at: datetime
    checksum: str
    observations: int
    path: Path

    def to_json(self) -> dict[str, object]:
        return {
            "version": self.version,
            "created_at": self.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "checksum": self.checksum,
            "observations": self.observations,
            "path": str(self.path),
        }


def releases_dir(var_dir: Path) -> Path:
    return var_dir / "releases"


def build_release(engine: Engine, store: AnalyticsStore, var_dir: Path, built_by: str = "cli") -> Release:
    """Freeze what is published now as the next release, or ``NothingPublished``."""
    created = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    tables = {name: table for name, table in made(store, created).tables.items() if table.num_rows}
    if not tables:
        raise NothingPublished("nothing is published yet, so there is nothing to release; publish a submission first")
    with engine.begin() as connection:
        year = created.year
        count = connection.execute(
            select(func.count()).select_from(DataRelease).where(DataRelease.version.like(f"{year}.%"))
        ).scalar_one()
        version = f"{year}.{count + 1}"
        folder = releases_dir(var_dir) / version
        if folder.exists():
            raise Conflict(f"release folder {folder} exists already; releases are never rewritten")
        folder.mkdir(parents=True)
        for flow_id, table in tables.items():
            target = folder / "tables" / f"{flows()[flow_id].dataset}.parquet"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(table_parquet(table))
        checksum = write_files(folder, version, created)
        observations = sum(table.num_rows for table in tables.values())
        connection.execute(
            insert(DataRelease).values(
                version=version, created_at=created, checksum=checksum, observations=observations, built_by=built_by
            )
        )
    return Release(version, created, checksum, observations, folder)


def frozen_tables(folder: Path) -> dict[str, pa.Table]:
    by_dataset = {flow.dataset: flow.id for flow in flows().values()}
    found = {}
    for path in sorted((folder / "tables").glob("*.parquet")):
        if path.stem in by_dataset:
            found[by_dataset[path.stem]] = pq.read_table(path)
    return found


def write_files(folder: Path, version: str, created: datetime) -> str:
    """Every file of the release made from its frozen tables; the SHA-256 of the SHA256SUMS written."""
    tables = frozen_tables(folder)
    published = from_tables(tables, created)
    files: dict[str, bytes] = {}
    for flow_id, table in tables.items():
        flow = flows()[flow_id]
        files[f"tables/{flow.dataset}.parquet"] = (folder / "tables" / f"{flow.dataset}.parquet").read_bytes()
        files[f"data/{flow.dataset}.csv"] = table_csv(table)
        files[f"data/{flow.dataset}.csv-metadata.json"] = csvw(flow, table)
        files[f"data/{flow.dataset}.xlsx"] = table_xlsx(
            table, notes({"release": version, "source": flow.source}, title=flow.name)
        )
        message = DataMessage(flow, table, created, vintage=version)
        files[f"sdmx/{flow.id}.xml"] = generic_xml(message)
        files[f"sdmx/{flow.id}.csv"] = sdmx_csv(message)
    codelist_files = {}
    for identifier, codelist in published.structures.codelists.items():
        rows = [
            {"id": code.id, "name": str(code.name), "parent": code.parent.id if isinstance(code.parent, Code) else None}
            for code in codelist.items.values()
        ]
        path = f"codelists/{identifier}.csv"
        files[path] = table_csv(pa.Table.from_pylist(rows, schema=_CODELIST))
        codelist_files[identifier] = path
    everything = StructureQuery("dataflow", references="all")
    files["sdmx/structure.xml"] = structure_xml(query_structures(published.structures, everything, created))
    files["datapackage.json"] = datapackage(version, created, tables, codelist_files)
    files["CITATION.cff"] = citation(version, created)
    sums = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(files.items()))
    files[SUMS] = sums.encode("utf-8")
    for name, data in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return hashlib.sha256(files[SUMS]).hexdigest()


_CODELIST = pa.schema([("id", pa.string()), ("name", pa.string()), ("parent", pa.string())])


def list_releases(engine: Engine, var_dir: Path) -> list[Release]:
    """Every release, newest first."""
    with engine.connect() as connection:
        rows = connection.execute(select(DataRelease.__table__).order_by(DataRelease.id.desc())).all()
        return [
            Release(row.version, row.created_at, row.checksum, row.observations, releases_dir(var_dir) / row.version)
            for row in rows
        ]


def release(engine: Engine, var_dir: Path, version: str) -> Release:
    """The release ``version``, or ``latest`` for the newest."""
    found = list_releases(engine, var_dir)
    chosen = found[:1] if version == "latest" else [item for item in found if item.version == version]
    if not chosen:
        raise UnknownRelease(
            _("no release '%(version)s'; releases: %(releases)s")
            % {"version": version, "releases": ", ".join(item.version for item in found) or _("none yet")},
            [{"value": version, "accepted": [item.version for item in found]}],
        )
    return chosen[0]


def verify_release(engine: Engine, var_dir: Path, version: str) -> list[str]:
    """The files of the release that differ from a rebuild from its frozen tables (none: it verifies)."""
    chosen = release(engine, var_dir, version)
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / chosen.version
        for path in (chosen.path / "tables").glob("*.parquet"):
            (copy / "tables").mkdir(parents=True, exist_ok=True)
            (copy / "tables" / path.name).write_bytes(path.read_bytes())
        write_files(copy, chosen.version, chosen.created_at.replace(tzinfo=None))
        rebuilt = {path.relative_to(copy) for path in copy.rglob("*") if path.is_file()}
        present = {path.relative_to(chosen.path) for path in chosen.path.rglob("*") if path.is_file()}
        differ = [str(name) for name in sorted(rebuilt | present) if not _same(copy / name, chosen.path / name)]
    return differ


def _same(one: Path, other: Path) -> bool:
    return one.is_file() and other.is_file() and one.read_bytes() == other.read_bytes()


def release_published(var_dir: Path, version: str) -> Published:
    """What release ``version`` froze, for answering SDMX queries with ``vintage=``."""
    folder = releases_dir(var_dir) / version
    if not version.replace(".", "").isdigit() or not (folder / SUMS).is_file():
        raise UnknownRelease(f"no release {version!r}", [{"parameter": "vintage", "value": version}])
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    created = datetime.strptime(package["created"], "%Y-%m-%dT%H:%M:%SZ")
    return from_tables(frozen_tables(folder), created)
