"""Hostile files: refused with a clear report, never an exception other than ours."""

import contextlib
import io
import random
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from observatory.errors import SourceFileError
from observatory.reporting.declaration import declaration
from observatory.reporting.readers import READERS, NoReaderFound, RefusedFile, XlsxReader, read_source
from observatory.reporting.readers.base import MIB, Limits
from observatory.reporting.validation import check_file
from tests.reporting.test_readers import SDMX_ML, xlsx

SEIZURES = declaration("annual-seizures")
CSV = b"country,drug_group,drug_subgroup,drug,year,kilograms\nKenya,Cocaine-type,Cocaine,Cocaine,2023,12.5\n"
XXE = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE workbook [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets>&xxe;</sheets></workbook>"""
SAMPLES = {
    "csv": CSV,
    "json": b'[{"country": "Kenya", "year": 2023, "kilograms": 1.5}]',
    "sdmx-ml": SDMX_ML,
    "xlsx": xlsx(["Country", "Year", "Kilograms"], ["Kenya", 2023, 1.5]),
}


def with_part(data: bytes, part: str, content: bytes) -> bytes:
    """``data`` (an .xlsx) with ``part`` replaced by ``content``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            archive.writestr(name, content if name == part else source.read(name))
    return out.getvalue()


def zip_bomb(size: int) -> bytes:
    """A valid workbook with one more part of ``size`` zero bytes, compressed to about a thousandth of that."""
    out = io.BytesIO(SAMPLES["xlsx"])
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive, archive.open("xl/media/zeros.bin", "w") as part:
        chunk = bytes(MIB)
        for _ in range(size // MIB):
            part.write(chunk)
    return out.getvalue()


def only_error(data: bytes, name: str = "upload") -> tuple[str, str]:
    report = check_file(data, name, SEIZURES).report
    (problem,) = report.problems
    assert report.to_json()["ok"] is False and problem.severity == "error"
    return problem.code, problem.message


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"", "is empty"), (random.Random(0).randbytes(4096), "none of the accepted"), (b"%PDF-1.4\n...", "PDF")],
    ids=["empty", "random-bytes", "pdf-named-csv"],
)
def test_unrecognised_files_raise_the_reader_selection_error(data: bytes, message: str) -> None:
    with pytest.raises(NoReaderFound, match=message):
        check_file(data, "seizures.csv", SEIZURES)


def test_a_zip_bomb_is_refused_before_it_is_unpacked() -> None:
    bomb = zip_bomb(301 * MIB)
    assert len(bomb) < 2 * MIB
    code, message = only_error(bomb)
    assert code == "refused-file" and "zip bomb" in message


def test_a_zip_bomb_with_forged_sizes_is_caught_while_unpacking() -> None:
    bomb = zip_bomb(3 * MIB)
    entry = zipfile.ZipFile(io.BytesIO(bomb)).getinfo("xl/media/zeros.bin")
    assert entry.file_size == 3 * MIB
    with pytest.raises(RefusedFile, match="zip bomb"):
        XlsxReader(Limits(max_uncompressed=2 * MIB)).read(bomb, "bomb.xlsx")


@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/worksheets/sheet1.xml", "[Content_Types].xml"])
def test_an_xlsx_with_an_external_entity_is_refused(part: str) -> None:
    code, message = only_error(with_part(SAMPLES["xlsx"], part, XXE), "entity.xlsx")
    assert code == "refused-file" and part in message and "DTDForbidden" in message


def test_sdmx_ml_with_an_entity_is_refused() -> None:
    data = SDMX_ML.replace(
        b"<message:GenericData", b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<message:GenericData', 1
    )
    code, message = only_error(data)
    assert code == "refused-file" and "document type" in message


def test_ten_thousand_columns_are_refused() -> None:
    row = ",".join(f"c{i}" for i in range(10_000)).encode()
    code, message = only_error(row + b"\n" + row + b"\n", "wide.csv")
    assert code == "refused-file" and "10,000 columns" in message


def test_a_huge_file_is_refused_before_reading() -> None:
    with pytest.raises(RefusedFile, match="over the limit"):
        read_source(CSV * 100, "a.csv", Limits(max_bytes=1000))


def test_control_characters_are_reported_at_their_cell() -> None:
    data = CSV.replace(b"Cocaine,2023", b"Coc\x07aine,2023")
    report = check_file(data, "a.csv", SEIZURES).report
    assert report.flatten("code", "row", "column") == [["control-character", 2, "drug"]]
    assert "U+0007" in report.errors[0].message


def test_a_truncated_workbook_is_no_longer_recognised_as_one() -> None:
    with pytest.raises(NoReaderFound, match="ZIP archive that is not an Excel"):
        check_file(SAMPLES["xlsx"][: len(SAMPLES["xlsx"]) // 2], "cut.xlsx", SEIZURES)


def test_a_workbook_with_a_damaged_sheet_is_reported_not_raised() -> None:
    code, message = only_error(with_part(SAMPLES["xlsx"], "xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row"))
    assert code == "unreadable-file" and "not a readable .xlsx workbook" in message


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=4096))
def test_random_bytes_never_raise_anything_but_our_errors(data: bytes) -> None:
    for reader in READERS:
        assert reader.handles(data) in (True, False)
        with contextlib.suppress(SourceFileError):
            reader().read(data, "random")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    sample=st.sampled_from(sorted(SAMPLES)),
    edits=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=12),
)
def test_mutated_files_never_raise_anything_but_our_errors(sample: str, edits: list[tuple[float, int]]) -> None:
    data = bytearray(SAMPLES[sample])
    for where, byte in edits:
        data[int(where * len(data))] = byte
    try:
        outcome = check_file(bytes(data), f"mutated.{sample}", SEIZURES)
    except NoReaderFound:
        return
    assert outcome.report.rows == len(outcome.records)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    part=st.sampled_from(["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/workbook.xml"]), seed=st.integers()
)
def test_mutated_workbook_xml_never_raises_anything_but_our_errors(part: str, seed: int) -> None:
    """Damage inside the XML of a well-formed archive reaches the XML parsers, not only the zip checks."""
    rng = random.Random(seed)
    source = zipfile.ZipFile(io.BytesIO(SAMPLES["xlsx"]))
    content = bytearray(source.read(part) if part in source.namelist() else b"<x/>")
    for _ in range(rng.randint(1, 8)):
        content[rng.randrange(len(content))] = rng.choice(b'<>"=/ 019az\x00\xff')
    with contextlib.suppress(SourceFileError):
        XlsxReader().read(with_part(SAMPLES["xlsx"], part, bytes(content)), "mutated.xlsx")


def test_real_annex_file_mutations_stay_within_our_errors() -> None:
    path = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "unodc_cultivation"
    files = sorted(path.glob("*.xlsx"))
    if not files:
        pytest.skip("the shared test data is not there")
    rng = random.Random(7)
    for file in files:
        original = file.read_bytes()
        for _ in range(25):
            data = bytearray(original)
            for _ in range(rng.randint(1, 20)):
                data[rng.randrange(len(data))] = rng.randrange(256)
            with contextlib.suppress(NoReaderFound):
                check_file(bytes(data), file.name, declaration("cultivation"))
