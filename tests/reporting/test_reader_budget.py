"""Readers with a budget: hostile files get a report with a stable code, within the memory and time they may use.

Each case of ``HOSTILE`` names the code its file must give and the resident memory (MB over the checking process's
own) and seconds its check may take; the probe (``budget_probe``) checks them all in one fresh process and measures
each. The workbooks are built here from a few lines of XML. Unguarded, the first two aborted the process
("memory allocation of 549755813888 bytes failed") or took 6.6 GB and 29 s before being refused.

U+202E (right-to-left override) is not refused: Arabic and Hebrew names carry direction marks legitimately. In a
vocabulary cell it fails the look-up like any other misspelling, and the message shows it escaped (``\\u202e``);
that a free-text cell holding one deserves a warning is recorded below as an expected failure.
"""

import io
import json
import os
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from observatory.reporting.declaration import declaration
from observatory.reporting.isolation import Budget, check_isolated
from observatory.reporting.readers import Limits, NoReaderFound, XlsxReader
from observatory.reporting.readers.base import SheetTooLarge
from observatory.reporting.readers.linked_cells import column_letters
from observatory.reporting.readers.xlsx_extent import Extent, check_extent
from observatory.reporting.submit import CountryCheck
from observatory.reporting.validation import check_file

ROOT = Path(__file__).resolve().parents[2]
SEIZURES = declaration("annual-seizures")
HEADER = b"country,drug_group,drug_subgroup,drug,year,kilograms\n"
ROW = b"Kenya,Cocaine-type,Cocaine,Cocaine,2023,12.5\n"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
LAUGHS = "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
MB = 1024 * 1024


def workbook(*sheets: bytes, shared: bytes | None = None) -> bytes:
    """A minimal .xlsx with ``sheets`` (the XML of Sheet1, Sheet2, ...) and ``shared`` as its shared strings."""
    listed = "".join(f'<sheet name="Sheet{n}" sheetId="{n}" r:id="rId{n}"/>' for n in range(1, len(sheets) + 1))
    targets = "".join(
        f'<Relationship Id="rId{n}" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, len(sheets) + 1)
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{PACKAGE}"><Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><sheets>{listed}</sheets></workbook>',
        )
        archive.writestr("xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{PACKAGE}">{targets}</Relationships>')
        for n, content in enumerate(sheets, start=1):
            archive.writestr(f"xl/worksheets/sheet{n}.xml", content)
        if shared is not None:
            archive.writestr("xl/sharedStrings.xml", shared)
    return out.getvalue()


def sheet(rows: str, dimension: str | None = None, prolog: str = "") -> bytes:
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'{prolog}<worksheet xmlns="{MAIN}">{declared}<sheetData>{rows}</sheetData></worksheet>'.encode()


def cells(*addresses: str, value: str = "1") -> str:
    """Rows holding a number at each address (rows in order of the addresses)."""
    return "".join(
        f'<row r="{address.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}"><c r="{address}"><v>{value}</v></c></row>'
        for address in addresses
    )


def shared(*texts: str, unique: str | None = None, prolog: str = "") -> bytes:
    count = unique if unique is not None else str(len(texts))
    items = "".join(f"<si><t>{text}</t></si>" for text in texts)
    return f'{prolog}<sst xmlns="{MAIN}" uniqueCount="{count}">{items}</sst>'.encode()


def csv_wide(columns: int) -> bytes:
    return ",".join(f"c{n}" for n in range(columns)).encode() + b"\n"


@dataclass(frozen=True)
class Hostile:
    id: str
    name: str
    data: bytes
    code: str
    mb: float
    seconds: float = 5.0
    dataset: str = "annual-seizures"


FIVE_THOUSAND_DIGITS = "9" * 5000
HUGE = "x" * (5 * MB)
HOSTILE = [
    Hostile(
        "sparse-a1-xfd1048576",
        "sparse.xlsx",
        workbook(sheet(cells("A1", "XFD1048576"), "A1:XFD1048576")),
        "sheet-too-large",
        mb=20,
    ),
    Hostile(
        "sparse-a1-all200000",
        "sparse.xlsx",
        workbook(sheet(cells("A1", "ALL200000"), "A1:ALL200000")),
        "sheet-too-large",
        mb=20,
    ),
    Hostile(
        "sparse-without-dimension",
        "sparse.xlsx",
        workbook(sheet(cells("A1", "ALL200000"))),
        "sheet-too-large",
        mb=20,
    ),
    Hostile(
        "sparse-with-a-lying-dimension",
        "sparse.xlsx",
        workbook(sheet(cells("A1", "ALL200000"), "A1:B2")),
        "sheet-too-large",
        mb=20,
    ),
    Hostile(
        "million-columns-xlsx",
        "wide.xlsx",
        workbook(sheet(cells("A1", f"{column_letters(999_999)}1"))),
        "sheet-too-large",
        mb=20,
    ),
    Hostile("million-columns-csv", "wide.csv", csv_wide(1_000_000) * 2, "refused-file", mb=300),
    Hostile(
        "shared-strings-count-lie",
        "strings.xlsx",
        workbook(sheet(cells("A1")), shared=shared("Kenya", unique="99999999999")),
        "sheet-too-large",
        mb=20,
    ),
    Hostile(
        "billion-laughs-shared-strings",
        "laughs.xlsx",
        workbook(
            sheet(cells("A1")),
            shared=shared("&lol9;", prolog=f'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY lol0 "lol">{LAUGHS}]>'),
        ),
        "refused-file",
        mb=20,
    ),
    Hostile(
        "xxe-sheet",
        "xxe.xlsx",
        workbook(
            sheet(
                '<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row>',
                prolog='<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
            )
        ),
        "refused-file",
        mb=20,
    ),
    Hostile(
        "5000-digits-csv",
        "digits.csv",
        HEADER + ROW.replace(b"12.5", FIVE_THOUSAND_DIGITS.encode()),
        "not-a-number",
        mb=20,
    ),
    Hostile(
        "5000-digits-json",
        "digits.json",
        b'[{"country": "Kenya", "drug_group": "Cocaine-type", "drug_subgroup": "Cocaine", "drug": "Cocaine", '
        b'"year": 2023, "kilograms": ' + FIVE_THOUSAND_DIGITS.encode() + b"}]",
        "not-a-number",
        mb=20,
    ),
    Hostile(
        "5000-digits-xlsx",
        "digits.xlsx",
        workbook(sheet(cells("A1", value=FIVE_THOUSAND_DIGITS))),
        "cell-too-long",
        mb=20,
    ),
    Hostile(
        "invalid-utf8-csv",
        "latin.csv",
        HEADER + ROW.replace(b"Kenya", b"Keny\xff\xfe"),
        "unknown-country",
        mb=20,
    ),
    Hostile(
        "invalid-utf8-xlsx",
        "latin.xlsx",
        workbook(sheet(cells("A1")), shared=shared("Keny?").replace(b"Keny?", b"Keny\xff")),
        "unreadable-file",
        mb=20,
    ),
    Hostile(
        "bidi-override-csv",
        "bidi.csv",
        HEADER + ROW.replace(b"Kenya", "Ken\u202eya".encode()),
        "unknown-country",
        mb=20,
    ),
    Hostile("huge-string-csv", "huge.csv", HEADER + ROW.replace(b"Kenya", HUGE.encode()), "cell-too-long", mb=80),
    Hostile(
        "huge-string-csv-in-columns",
        "huge.csv",
        HEADER + ROW * 2000 + ROW.replace(b"Cocaine,2023", HUGE.encode() + b",2023"),
        "cell-too-long",
        mb=80,
    ),
    Hostile(
        "huge-string-json",
        "huge.json",
        f'[{{"country": "{HUGE}", "year": 2023}}]'.encode(),
        "cell-too-long",
        mb=80,
    ),
    Hostile(
        "huge-shared-string-xlsx",
        "huge.xlsx",
        workbook(sheet('<row r="1"><c r="B1" t="s"><v>0</v></c></row>'), shared=shared(HUGE)),
        "cell-too-long",
        mb=20,
    ),
    Hostile(
        "huge-inline-string-xlsx",
        "huge.xlsx",
        workbook(sheet(f'<row r="1"><c r="B1" t="inlineStr"><is><t>{HUGE}</t></is></c></row>')),
        "cell-too-long",
        mb=20,
    ),
]


@pytest.fixture(scope="module")
def probed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, object]]:
    """Every hostile case checked in one fresh process, its codes, peak memory and time measured there."""
    if not Path("/proc/self/clear_refs").exists():
        pytest.skip("the peak memory of each case is measured on Linux")
    folder = tmp_path_factory.mktemp("hostile")
    for case in HOSTILE:
        (folder / case.id).write_bytes(case.data)
    cases = [{"id": case.id, "name": case.name, "dataset": case.dataset} for case in HOSTILE]
    (folder / "cases.json").write_text(json.dumps(cases))
    command = [sys.executable, "-m", "tests.reporting.budget_probe", str(folder)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, check=True, timeout=300)
    results: dict[str, dict[str, object]] = json.loads(done.stdout)
    return results


@pytest.mark.parametrize("case", HOSTILE, ids=[case.id for case in HOSTILE])
def test_a_hostile_file_gives_its_code_within_its_budget(case: Hostile, probed: dict[str, dict[str, object]]) -> None:
    measured = probed[case.id]
    assert measured["codes"] == [case.code]
    assert isinstance(measured["mb"], float) and measured["mb"] <= case.mb, measured
    assert isinstance(measured["seconds"], float) and measured["seconds"] <= case.seconds, measured


def test_every_hostile_file_gives_the_same_code_through_the_worker() -> None:
    for case in HOSTILE:
        try:
            report = check_isolated(case.data, case.name, declaration(case.dataset)).report
        except NoReaderFound as exc:
            codes = [exc.code]
        else:
            codes = [problem.code for problem in report.problems]
        assert codes == [case.code], case.id


def only_refusal(data: bytes, limits: Limits | None = None) -> str:
    report = check_file(data, "book.xlsx", SEIZURES, limits=limits).report
    (problem,) = report.problems
    return f"{problem.code}: {problem.message}"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (workbook(sheet(cells("A1"), "A1:XFE1")), "declares its used range as 'A1:XFE1', beyond Excel's grid"),
        (
            workbook(sheet(cells("A1", "ALL200000"))),
            "sheet 'Sheet1' has a value in cell ALL200000, so it spans 200,000",
        ),
        (workbook(sheet(cells("A1")), sheet(cells("A1", "B3000000"))), "has a value in cell B3000000"),
        (workbook(sheet(cells("A1")), shared=shared("x" * 40_000)), "shared string 0 (used by no cell)"),
        (
            workbook(sheet('<row r="2"><c r="C2" t="s"><v>1</v></c></row>'), shared=shared("a", "x" * 40_000)),
            "sheet 'Sheet1', cell C2 holds a text of more than 32,767 characters",
        ),
    ],
    ids=["declared-beyond-excel", "real-extent", "second-sheet", "unused-shared-string", "shared-string-at-its-cell"],
)
def test_a_refusal_names_the_sheet_and_the_cell(data: bytes, expected: str) -> None:
    assert expected in only_refusal(data)


def extent(data: bytes, limits: Limits | None = None) -> Extent:
    return check_extent(zipfile.ZipFile(io.BytesIO(data)), "book.xlsx", limits or Limits())


def test_a_declared_range_within_excel_is_only_a_claim() -> None:
    """WDR table 8.1 declares A1:L1048576 (whole columns formatted) for a table of a few thousand rows."""
    assert extent(workbook(sheet(cells("A1", "L20"), "A1:L1048576"))).area == 20 * 12


def test_the_sheets_together_are_counted() -> None:
    limits, one = Limits(max_sheet_area=100), sheet(cells("J8"))
    assert extent(workbook(one), limits).area == 80
    with pytest.raises(SheetTooLarge, match="with the sheets before it, the workbook spans 8 rows × 10 columns"):
        extent(workbook(one, one), limits)


def test_cells_with_a_value_are_counted_in_all_sheets() -> None:
    four = sheet('<row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>1</v></c><c r="C1"/><c r="D1"><v>1</v></c></row>')
    assert extent(workbook(four)).cells == 3
    message = only_refusal(workbook(four, four), Limits(max_sheet_cells=5))
    assert message.startswith("sheet-too-large") and "sheet 'Sheet2' reaches cell D1 after 5 cells" in message


def grids() -> Iterator[str]:
    """Rows and cells with and without addresses, and empty cells, which calamine places by what came before."""
    yield '<row r="3"><c><v>1</v></c><c><v>2</v></c></row><row><c><v>3</v></c></row>'
    yield '<row><c r="C1"><v>1</v></c><c><v>2</v></c></row><row r="5"><c r="B5"/><c><v>1</v></c></row>'
    yield '<row r="2"><c r="E2"/></row><row><c><v>7</v></c><c t="inlineStr"><is><t>a</t></is></c></row>'
    yield '<x:row r="4"><x:c r="B4"><x:v>1</x:v></x:c></x:row>'


@pytest.mark.parametrize("rows", list(grids()))
def test_cells_are_placed_as_calamine_places_them(rows: str) -> None:
    content = sheet(rows).replace(b"<worksheet ", b'<worksheet xmlns:x="' + MAIN.encode() + b'" ')
    data = workbook(content)
    measured = extent(data)
    (read,) = XlsxReader().read(data, "grid.xlsx").sheets
    width = max(len(row.cells) for row in read.rows)
    assert measured.area == len(read.rows) * width
    assert measured.cells == sum(cell is not None and cell != "" for row in read.rows for cell in row.cells)


def test_a_cell_address_that_is_not_one_is_unreadable() -> None:
    message = only_refusal(workbook(sheet('<row r="1"><c r="A-1"><v>1</v></c></row>')))
    assert message.startswith("unreadable-file") and "'A-1'" in message


def test_a_reader_bug_that_kills_the_worker_gives_a_report_not_a_crash() -> None:
    """With the extent checks lifted, calamine asks for 512 GiB for the sparse sheet and aborts: the worker dies."""
    lifted = Limits(max_rows=10**8, max_columns=10**6, max_cells=10**13, max_sheet_area=10**13)
    data = workbook(sheet(cells("A1", "XFD1048576")))
    outcome = check_isolated(data, "sparse.xlsx", SEIZURES, limits=lifted, budget=Budget(memory_bytes=256 * MB))
    assert outcome.report.flatten("code") == [["read-budget-exceeded"]]
    assert "within 256 MB of memory and 60 seconds" in outcome.report.problems[0].message
    assert outcome.reading is None and list(outcome.checked()) == []


def test_a_check_over_its_memory_budget_gives_a_report() -> None:
    """50,000 annual seizure rows read from a workbook need some 50 MB over the worker's start; the budget is 16."""
    titles = shared("Country", "Drug group", "Drug subgroup", "Drug", "Year", "Kilograms", "Kenya", "Cocaine-type")
    header = '<row r="1">' + "".join(f'<c r="{c}1" t="s"><v>{n}</v></c>' for n, c in enumerate("ABCDEF")) + "</row>"
    row = (
        '<row r="{0}"><c r="A{0}" t="s"><v>6</v></c><c r="B{0}" t="s"><v>7</v></c><c r="C{0}" t="s"><v>8</v></c>'
        '<c r="D{0}" t="s"><v>8</v></c><c r="E{0}"><v>2023</v></c><c r="F{0}"><v>{0}</v></c></row>'
    )
    titles = titles.replace(b"</sst>", b"<si><t>Cocaine</t></si></sst>")
    data = workbook(sheet(header + "".join(row.format(n) for n in range(2, 50_002))), shared=titles)
    outcome = check_isolated(data, "rows.xlsx", SEIZURES, budget=Budget(memory_bytes=16 * MB))
    assert outcome.report.flatten("code") == [["read-budget-exceeded"]]
    assert check_isolated(data, "rows.xlsx", SEIZURES).report.rows == 50_000


def test_a_check_over_its_time_budget_gives_a_report() -> None:
    outcome = check_isolated(HEADER + ROW * 1000, "slow.csv", SEIZURES, budget=Budget(seconds=0.01))
    assert outcome.report.flatten("code") == [["read-budget-exceeded"]]
    assert "within 1,024 MB of memory and 0.01 seconds" in outcome.report.problems[0].message


def test_a_file_checked_in_the_worker_is_read_again_here_with_what_its_checks_collected() -> None:
    data = HEADER + ROW + ROW.replace(b"Kenya", b"Ghana").replace(b"2023", b"2022")
    countries = CountryCheck(None)
    outcome = check_isolated(data, "two.csv", SEIZURES, checks=[countries])
    assert countries.found == {"KEN", "GHA"}
    assert outcome.report == check_file(data, "two.csv", SEIZURES).report
    assert [record.codes["country"] for record in outcome.records] == ["KEN", "GHA"]


def test_a_file_no_reader_knows_raises_as_it_does_in_process() -> None:
    with pytest.raises(NoReaderFound, match="PDF"):
        check_isolated(b"%PDF-1.4\n...", "report.csv", SEIZURES)


@pytest.mark.xfail(strict=True, reason="a bidi-control warning belongs in validation.cells, outside this change")
def test_a_right_to_left_override_in_free_text_is_a_warning() -> None:
    data = HEADER.replace(b"\n", b",region\n") + "Kenya,Cocaine-type,Cocaine,Cocaine,2023,1,Afri\u202eca\n".encode()
    assert "bidi-control" in check_file(data, "bidi.csv", SEIZURES).report.counts()


#: Runs a command and prints its peak resident memory in KiB. Linux keeps the parent's high-water mark across
#: vfork and execve (``ru_maxrss``), so measuring straight from a pytest worker of 1 GB would report 1 GB: the
#: launcher is a small fresh interpreter, and the command forked from it starts from its few megabytes.
LAUNCHER = """
import os, subprocess, sys
process = subprocess.Popen(sys.argv[2:], stdout=open(sys.argv[1], "wb"), stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(process.pid, 0)
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)
"""


def test_the_cli_refuses_a_sparse_workbook_within_a_gigabyte_and_a_minute(tmp_path: Path) -> None:
    path = tmp_path / "sparse.xlsx"
    path.write_bytes(workbook(sheet(cells("A1", "XFD1048576"), "A1:XFD1048576")))
    env = {key: value for key, value in os.environ.items() if not key.startswith("OBSERVATORY_")}
    env["OBSERVATORY_VAR_DIR"] = str(tmp_path / "var")
    command = [sys.executable, "-m", "observatory", "submit", str(path), "--dataset", "annual-seizures", "--json"]
    out = tmp_path / "out.json"
    start = time.monotonic()
    launched = subprocess.run(
        [sys.executable, "-c", LAUNCHER, str(out), *command], cwd=ROOT, env=env, capture_output=True, check=True
    )
    seconds = time.monotonic() - start
    returncode, peak_kib = (int(field) for field in launched.stdout.split())
    report = json.loads(out.read_text())
    assert returncode == 1 and report["ok"] is False
    assert [error["code"] for error in report["errors"]] == ["sheet-too-large"]
    assert peak_kib * 1024 < 1024 * MB and seconds < 60
