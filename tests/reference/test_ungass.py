"""The UNGASS 2016 outcome document: chapters and SDG links as the seed gives them, recommendations files."""

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from observatory.errors import BadInput, SourceFileError
from observatory.reference import sdg, ungass
from observatory.reference.ungass import RECOMMENDATIONS_FILE, Recommendation, load_recommendations

SEED = next((Path(__file__).resolve().parents[3] / "shared" / "seed").glob("*.txt"))
HEADING = re.compile(r"^CHAPTER (\d)\. (.+)$")
LINK = re.compile(r"^\s*-?\s*(\d+(?:\.\d+|\.?[a-c])?):\**\s*(\S.*)$")
HEADER = "chapter,code,text,sdg_targets"


def seed_lines() -> list[str]:
    return SEED.read_text(encoding="utf-8").splitlines()


def seed_sections() -> dict[int, list[str]]:
    """Lines of each chapter, from its heading to the next heading (or the end)."""
    lines = seed_lines()
    starts = [(index, int(match[1])) for index, line in enumerate(lines) if (match := HEADING.match(line))]
    ends = [index for index, _ in starts[1:]] + [len(lines)]
    return {number: lines[start:end] for (start, number), end in zip(starts, ends, strict=True)}


def seed_links(section: list[str]) -> list[tuple[str, str]]:
    """(code as spelt, text) of the lines after 'LINKS TO SDG TARGETS', up to the first other line."""
    found: list[tuple[str, str]] = []
    start = section.index("LINKS TO SDG TARGETS") + 1
    for line in section[start:]:
        if match := LINK.match(line):
            found.append((match[1], match[2]))
        elif line.strip():
            break
    return found


def test_seven_chapters_titled_exactly_as_in_the_seed() -> None:
    headings = {int(m[1]): m[2] for line in seed_lines() if (m := HEADING.match(line))}
    assert [chapter.number for chapter in ungass.chapters()] == list(range(1, 8))
    assert {chapter.number: chapter.title for chapter in ungass.chapters()} == headings


@pytest.mark.parametrize("number", range(1, 8))
def test_contents_page_entries_are_in_the_seed(number: int) -> None:
    chapter = ungass.chapter(number)
    contents = "\n".join(
        seed_lines()[
            : seed_lines().index("THE SPECIAL SESSION OF THE UNITED NATIONS GENERAL ASSEMBLY ON THE WORLD DRUG PROBLEM")
        ]
    )
    assert f"{chapter.contents_title}\n\nPAGE {chapter.page}" in contents
    assert chapter.source.startswith("UNODC (2018) People at the centre")


@pytest.mark.parametrize("number", range(1, 8))
def test_sdg_links_are_exactly_those_the_seed_lists_for_the_chapter(number: int) -> None:
    listed = seed_links(seed_sections()[number])
    links = ungass.chapter(number).sdg_links
    assert [link.seed_code for link in links] == [code for code, _ in listed]
    for link, (_, text) in zip(links, listed, strict=True):
        entry = sdg.catalogue().entry(link.level, link.code)
        assert entry.titles.en[:40] == text[:40]
        assert link.code.replace(".", "") == link.seed_code.replace(".", "")


@pytest.mark.parametrize(
    ("number", "targets", "goals"),
    [
        (1, ("3.3", "3.5", "3.8", "3.b"), ()),
        (2, ("3.8", "3.b"), ()),
        (3, ("10.b", "16.3", "16.4", "16.5", "16.6"), ()),
        (4, ("5.1", "5.2", "5.c", "11.1", "16.2", "16.3"), ()),
        (5, ("3.5", "3.b", "17.18", "17.19"), ()),
        (6, (), ("3", "16", "17")),
        (7, (), ("1", "5", "6", "8", "15", "16")),
    ],
)
def test_chapter_links_table(number: int, targets: tuple[str, ...], goals: tuple[str, ...]) -> None:
    chapter = ungass.chapter(number)
    assert chapter.sdg_targets == targets
    assert tuple(link.code for link in chapter.sdg_links if link.level is sdg.Level.GOAL) == goals


@pytest.mark.parametrize("number", [0, 8, -1, "1", 1.0, True, None])
def test_unknown_chapters_are_refused(number: object) -> None:
    with pytest.raises(BadInput) as raised:
        ungass.chapter(number)  # type: ignore[arg-type]
    assert raised.value.details[0]["value"] == number
    assert raised.value.details[0]["accepted"] == list(range(1, 8))


def test_shipped_recommendations_are_only_verbatim_quotations_of_the_seed() -> None:
    assert RECOMMENDATIONS_FILE.read_text(encoding="utf-8").splitlines()[0] == HEADER
    lines = seed_lines()
    headings = {index: int(m[1]) for index, line in enumerate(lines) if (m := HEADING.match(line))}
    shipped = ungass.recommendations()
    assert [r.chapter for r in shipped] == list(range(1, 8))
    for recommendation in shipped:
        quoted = [i for i, line in enumerate(lines) if line[1:-1] == recommendation.text and line[0] in '“"']
        assert len(quoted) == 1, recommendation.code
        assert lines[quoted[0] + 2] == "(GA resolution S-30/1)"
        nearest = min(headings, key=lambda index: abs(index - quoted[0]))
        assert headings[nearest] == recommendation.chapter
        assert recommendation.text.endswith("(...)") and recommendation.sdg_targets == ()


def write(tmp_path: Path, *rows: str, header: str = HEADER, encoding: str = "utf-8") -> Path:
    path = tmp_path / "recommendations.csv"
    path.write_bytes("\n".join([header, *rows, ""]).encode(encoding))
    return path


def test_a_good_file_loads(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '1,1(a),"Take effective measures, with a line\nbreak",3.5; 3.3',
        "7,7(a),Alternative development,",
        "3,3(b),Judicial cooperation,16.3;16.4;10.b",
    )
    assert load_recommendations(path) == (
        Recommendation(1, "1(a)", "Take effective measures, with a line\nbreak", ("3.5", "3.3")),
        Recommendation(7, "7(a)", "Alternative development", ()),
        Recommendation(3, "3(b)", "Judicial cooperation", ("16.3", "16.4", "10.b")),
    )


def test_columns_may_come_in_any_order_and_a_bom_is_accepted(tmp_path: Path) -> None:
    path = write(tmp_path, "a,Text,2,3.8", header="code,text,chapter,sdg_targets", encoding="utf-8-sig")
    assert load_recommendations(path) == (Recommendation(2, "a", "Text", ("3.8",)),)


def test_a_file_with_only_the_header_is_empty(tmp_path: Path) -> None:
    assert load_recommendations(write(tmp_path)) == ()


@pytest.mark.parametrize(
    ("rows", "row", "column", "value"),
    [
        (["0,a,Text,"], 2, "chapter", "0"),
        (["8,a,Text,"], 2, "chapter", "8"),
        (["one,a,Text,"], 2, "chapter", "one"),
        ([",a,Text,"], 2, "chapter", ""),
        (["²,a,Text,"], 2, "chapter", "²"),
        (["1,a,Text,3.5.1"], 2, "sdg_targets", "3.5.1"),
        (["1,a,Text,3b"], 2, "sdg_targets", "3b"),
        (["1,a,Text,3.5;99.1"], 2, "sdg_targets", "99.1"),
        (["1,a,Text,3"], 2, "sdg_targets", "3"),
        (["1,a,Text,", "2,a,Other,"], 3, "code", "a"),
        (["1,a,Text,", "2, A ,Other,"], 3, "code", " A "),
        (["1,,Text,"], 2, "code", ""),
        (["1,a,,"], 2, "text", ""),
        (["1,a,Text,,surplus"], 2, "(extra cells)", ["surplus"]),
    ],
)
def test_a_bad_row_fails_the_whole_load_naming_file_row_column_value(
    tmp_path: Path, rows: list[str], row: int, column: str, value: object
) -> None:
    path = write(tmp_path, "5,good,A good row,3.5", *rows, "6,also-good,Another good row,")
    with pytest.raises(SourceFileError) as raised:
        load_recommendations(path)
    detail = raised.value.details[0]
    assert (detail["file"], detail["row"], detail["column"], detail["value"]) == (str(path), row + 1, column, value)
    assert str(path) in raised.value.message


def test_every_problem_is_listed(tmp_path: Path) -> None:
    path = write(tmp_path, "9,a,,3.5.1", "1,a,Text,")
    with pytest.raises(SourceFileError) as raised:
        load_recommendations(path)
    assert [(d["row"], d["column"]) for d in raised.value.details] == [
        (2, "chapter"),
        (2, "text"),
        (2, "sdg_targets"),
        (3, "code"),
    ]


@pytest.mark.parametrize(
    "header",
    ["chapter,code,text", "chapter,code,text,sdg_targets,notes", "Chapter,Code,Text,SDG targets", ""],
)
def test_a_wrong_header_is_refused(tmp_path: Path, header: str) -> None:
    with pytest.raises(SourceFileError) as raised:
        load_recommendations(write(tmp_path, "1,a,Text,", header=header))
    assert raised.value.details[0]["row"] == 1


def test_unreadable_files_are_source_file_errors(tmp_path: Path) -> None:
    with pytest.raises(SourceFileError):
        load_recommendations(tmp_path / "absent.csv")
    with pytest.raises(SourceFileError):
        load_recommendations(write(tmp_path, "1,a,Caf\u00e9,", encoding="latin-1"))


TARGET_CODES = [entry.code for entry in sdg.targets()]


@settings(max_examples=50)
@given(
    st.integers(min_value=1, max_value=7),
    st.lists(st.sampled_from(TARGET_CODES), max_size=5),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1).filter(str.strip),
)
def test_any_valid_row_round_trips(
    tmp_path_factory: pytest.TempPathFactory, chapter: int, targets: list[str], text: str
) -> None:
    path = tmp_path_factory.mktemp("round-trip") / "recommendations.csv"
    quoted = '"' + text.replace('"', '""') + '"'
    path.write_text(f"{HEADER}\n{chapter},code-1,{quoted},{';'.join(targets)}\n", encoding="utf-8")
    assert load_recommendations(path) == (Recommendation(chapter, "code-1", text.strip(), tuple(targets)),)
