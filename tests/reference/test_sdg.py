"""SDG goals, targets, indicators and UNSD series: lookups, languages, repeated indicators, refusals."""

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from observatory.errors import BadInput, SourceFileError
from observatory.reference import sdg
from observatory.reference.sdg import ENTRIES_FILE, LANGUAGES, SERIES_FILE, Level, load_catalogue

SHARED_SDG = Path(__file__).resolve().parents[3] / "shared" / "data" / "sdg"
ENTRY_HEADER = ENTRIES_FILE.read_text(encoding="utf-8").splitlines()[0]
SERIES_HEADER = SERIES_FILE.read_text(encoding="utf-8").splitlines()[0]
GOAL_3 = "goal,3,3,,Good health,Ensure healthy lives,fr,es,ru,zh,ar"
TARGET_35 = "target,3.5,3,3.5,,Strengthen the prevention,fr,es,ru,zh,ar"
INDICATOR_351 = "indicator,3.5.1,3,3.5,,Coverage of treatment,fr,es,ru,zh,ar"
SERIES_TREAT = "sh_sud_treat,measure,Coverage,3,3.5.1,SH_SUD_TREAT,3.5"


@pytest.mark.parametrize(
    ("shipped", "original"),
    [
        (ENTRIES_FILE, SHARED_SDG / "sdg_goals_targets_indicators_multilingual.csv"),
        (SERIES_FILE, SHARED_SDG / "unsd_sdg_series_catalogue_2020.csv"),
    ],
)
def test_shipped_files_are_byte_for_byte_copies(shipped: Path, original: Path) -> None:
    assert shipped.read_bytes() == original.read_bytes()


def test_counts_match_the_source_description() -> None:
    assert (len(sdg.goals()), len(sdg.targets()), len(sdg.indicators())) == (17, 169, 252)
    assert len(sdg.catalogue().series_by_code) == 472


@pytest.mark.parametrize(
    ("level", "code", "parent", "english_start"),
    [
        (Level.GOAL, "3", None, "Ensure healthy lives"),
        (Level.GOAL, "16", None, "Promote peaceful and inclusive societies"),
        (Level.TARGET, "3.5", "3", "Strengthen the prevention and treatment of substance abuse"),
        (Level.TARGET, "3.b", "3", "Support the research and development of vaccines"),
        (Level.TARGET, "16.a", "16", "Strengthen relevant national institutions"),
        (Level.TARGET, "8.10", "8", "Strengthen the capacity of domestic financial institutions"),
        (Level.INDICATOR, "3.5.1", "3.5", "Coverage of treatment interventions"),
        (Level.INDICATOR, "3.5.2", "3.5", "Alcohol per capita consumption"),
        (Level.INDICATOR, "16.1.1", "16.1", "Number of victims of intentional homicide"),
    ],
)
def test_lookups(level: Level, code: str, parent: str | None, english_start: str) -> None:
    entry = {Level.GOAL: sdg.goal, Level.TARGET: sdg.target, Level.INDICATOR: sdg.indicator}[level](code)
    assert (entry.code, entry.level, entry.parent) == (code, level, parent)
    assert entry.titles.en.startswith(english_start)
    assert entry.goal == code.split(".")[0]


def test_every_entry_has_a_title_in_each_un_language() -> None:
    for entry in sdg.catalogue().entries.values():
        for language in LANGUAGES:
            title = entry.titles.in_language(language)
            assert title.strip() and unicodedata.is_normalized("NFC", title), (entry.code, language)


@pytest.mark.parametrize(
    ("language", "expected_start"),
    [
        ("en", "Strengthen the prevention"),
        ("fr", "Renforcer la prévention"),
        ("es", "Fortalecer la prevención"),
        ("ru", "Улучшать профилактику"),
        ("zh", "加强"),
        ("ar", "تعزيز"),
    ],
)
def test_titles_in_the_six_languages(language: str, expected_start: str) -> None:
    assert sdg.target("3.5").titles.in_language(language).startswith(expected_start)


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(BadInput) as raised:
        sdg.target("3.5").titles.in_language("de")
    assert raised.value.details[0]["accepted"] == list(LANGUAGES)


def test_goal_short_titles() -> None:
    assert sdg.goal("3").short_title_en == "Good health and well-being"
    assert all(goal.short_title_en for goal in sdg.goals())


def test_repeated_indicators_are_reported_not_dropped() -> None:
    groups = {group.codes for group in sdg.repeated_indicators()}
    assert len(groups) == 13
    assert {("1.5.1", "11.5.1", "13.1.1"), ("17.6.1", "17.6.2"), ("10.3.1", "16.b.1")} <= groups
    distinct_titles = len(sdg.indicators()) - sum(len(codes) - 1 for codes in groups)
    assert distinct_titles == 235
    for codes in groups:
        for code in codes:
            assert set(sdg.indicator(code).also_listed_as) == set(codes) - {code}
    assert sdg.indicator("3.5.1").also_listed_as == ()


def test_the_shipped_file_has_no_repeated_rows() -> None:
    assert sdg.duplicate_rows() == ()


@pytest.mark.parametrize(
    ("series", "indicators"),
    [
        ("SH_SUD_TREAT", ("3.5.1",)),
        ("sh_sud_treat", ("3.5.1",)),
        (" SH_SUD_ALCOL ", ("3.5.1",)),
        ("SH_ALC_CONSPT", ("3.5.2",)),
        ("VC_IHR_PSRC", ("16.1.1",)),
        ("VC_PRS_UNSEC", ("16.3.2",)),
        ("EG_EGY_RNEW", ("7.b.1", "12.a.1")),
        ("VC_DSR_MORT", ("1.5.1", "11.5.1", "13.1.1")),
    ],
)
def test_series_map_to_indicators(series: str, indicators: tuple[str, ...]) -> None:
    assert sdg.series(series).indicators == indicators


def test_series_for_an_indicator() -> None:
    assert {found.code for found in sdg.series_for_indicator("3.5.1")} == {"SH_SUD_TREAT", "SH_SUD_ALCOL"}


@pytest.mark.parametrize(
    ("lookup", "code", "candidate", "note"),
    [
        (sdg.target, "3b", "3.b", None),
        (sdg.target, "10b", "10.b", None),
        (sdg.target, "3.5.1", "3.5", "indicator"),
        (sdg.target, "3", None, "goal"),
        (sdg.indicator, "3.5.9", "3.5.1", None),
        (sdg.indicator, "3.5", None, "target"),
        (sdg.goal, "18", "1", None),
        (sdg.series, "SH_SUD_TRET", "SH_SUD_TREAT", None),
        (sdg.target, "", None, None),
    ],
)
def test_unknown_codes_are_refused_with_close_candidates(
    lookup: object, code: str, candidate: str | None, note: str | None
) -> None:
    with pytest.raises(BadInput) as raised:
        lookup(code)  # type: ignore[operator]
    detail = raised.value.details[0]
    assert detail["value"] == code
    if candidate:
        assert candidate in detail["candidates"]
    if note:
        assert f"is an SDG {note} code" in raised.value.message


@given(st.sampled_from([entry.code for entry in sdg.indicators()]))
def test_every_indicator_sits_under_a_target_of_its_own_goal(code: str) -> None:
    indicator = sdg.indicator(code)
    assert indicator.parent is not None
    target = sdg.target(indicator.parent)
    assert target.goal == indicator.goal and sdg.goal(target.parent or "").code == indicator.goal


@given(st.text(max_size=8))
def test_lookups_either_find_the_exact_code_or_refuse(code: str) -> None:
    try:
        found = sdg.target(code)
    except BadInput:
        assert (Level.TARGET, code.strip()) not in sdg.catalogue().entries
    else:
        assert found.code == code.strip()


def write(folder: Path, entries: list[str], series: list[str]) -> tuple[Path, Path]:
    entries_path, series_path = folder / "entries.csv", folder / "series.csv"
    entries_path.write_text("\n".join([ENTRY_HEADER, *entries]) + "\n", encoding="utf-8")
    series_path.write_text("\n".join([SERIES_HEADER, *series]) + "\n", encoding="utf-8")
    return entries_path, series_path


def test_identical_repeated_rows_are_collapsed_and_reported(tmp_path: Path) -> None:
    paths = write(tmp_path, [GOAL_3, TARGET_35, INDICATOR_351, TARGET_35], [SERIES_TREAT])
    catalogue = load_catalogue(*paths)
    assert catalogue.duplicate_rows == (sdg.DuplicateRow(Level.TARGET, "3.5", (3, 5)),)
    assert len(catalogue.of_level(Level.TARGET)) == 1


@pytest.mark.parametrize(
    ("entries", "series", "which", "row", "column"),
    [
        ([GOAL_3, TARGET_35, INDICATOR_351, TARGET_35.replace("Strengthen", "Weaken")], [], "entries", 5, "code"),
        ([GOAL_3, TARGET_35.replace("target,", "targt,", 1)], [], "entries", 3, "level"),
        ([GOAL_3, TARGET_35.replace(",3.5,3,", ",4.5,3,", 1)], [], "entries", 3, "code"),
        ([GOAL_3, INDICATOR_351], [], "entries", 3, "target"),
        ([GOAL_3, TARGET_35, INDICATOR_351], [SERIES_TREAT.replace(",3.5.1,", ",3.5.7,")], "series", 2, "indicator"),
        ([GOAL_3, TARGET_35, INDICATOR_351], [SERIES_TREAT, SERIES_TREAT], "series", 3, "name"),
    ],
)
def test_bad_files_are_refused_naming_file_row_column(
    tmp_path: Path, entries: list[str], series: list[str], which: str, row: int, column: str
) -> None:
    paths = write(tmp_path, entries, series)
    with pytest.raises(SourceFileError) as raised:
        load_catalogue(*paths)
    detail = raised.value.details[0]
    assert (detail["file"], detail["row"], detail["column"]) == (str(paths[which == "series"]), row, column)


def test_a_file_without_the_columns_is_refused(tmp_path: Path) -> None:
    entries, series = write(tmp_path, [], [])
    entries.write_text("level,code\ngoal,3\n", encoding="utf-8")
    with pytest.raises(SourceFileError) as raised:
        load_catalogue(entries, series)
    assert raised.value.details[0]["row"] == 1
