"""The programme catalogue and the national strategies it is seeded from."""

from pathlib import Path

import pytest
from sqlalchemy import Engine

from observatory.errors import SourceFileError
from observatory.policy import programmes, strategies
from observatory.policy.strategies import domain_chapters, read_strategies
from observatory.policy.vocabulary import Status


@pytest.mark.parametrize(
    ("code", "chapters", "countries"),
    [
        ("family-skills-training", (1,), ()),
        ("unodc-who-treatment", (1,), ()),
        ("hiv-aids-programme", (1,), ()),
        ("access-controlled-drugs", (2,), ()),
        ("container-control-programme", (3,), ()),
        ("benatoc", (3, 6), ()),
        ("money-laundering-programme", (3,), ()),
        ("line-up-live-up", (4,), ()),
        ("alternatives-to-imprisonment", (4,), ()),
        ("early-warning-advisory", (5,), ()),
        ("cybercrime-programme", (5,), ()),
        ("epidemiology-networks", (5,), ("LBR", "CIV", "BFA")),
        ("mekong-mou", (6,), ("KHM", "CHN", "LAO", "MMR", "THA", "VNM")),
        ("crimjust", (3, 6), ()),
        ("alternative-development-colombia", (7,), ("COL",)),
        ("sustainable-livelihoods-myanmar", (7,), ("MMR",)),
        ("alternative-livelihoods-afghanistan", (7,), ("AFG",)),
    ],
)
def test_the_seed_programmes_are_catalogued_with_chapters_and_countries(
    code: str, chapters: tuple[int, ...], countries: tuple[str, ...]
) -> None:
    found = {record.code: record for record in programmes.read_programmes()}[code]
    assert (found.chapters, found.countries) == (chapters, countries)
    assert found.sdg_targets or found.sdg_goals
    assert found.source.startswith("UNODC (2018) People at the centre") and ", pp. " in found.source


def test_chapters_six_and_seven_link_to_goals_as_the_seed_does() -> None:
    found = {record.code: record for record in programmes.read_programmes()}
    assert found["mekong-mou"].sdg_targets == () and found["mekong-mou"].sdg_goals == ("3", "16", "17")
    assert found["container-control-programme"].sdg_targets == ("10.b", "16.3", "16.4", "16.5", "16.6")


def test_a_bad_programme_row_fails_the_file_naming_the_row(tmp_path: Path) -> None:
    text = programmes.PROGRAMMES_FILE.read_text(encoding="utf-8").splitlines()
    text[1] = text[1].replace(",1,3.3;", ",9,3.3;")
    bad = tmp_path / "programmes.csv"
    bad.write_text("\n".join(text), encoding="utf-8")
    with pytest.raises(SourceFileError, match="row 2: unknown UNGASS 2016 chapter 9"):
        programmes.read_programmes(bad)


def test_programmes_are_stored_and_filtered(seeded: Engine) -> None:
    assert len(programmes.programmes(seeded)) == len(programmes.read_programmes())
    assert {row["code"] for row in programmes.programmes(seeded, country="mmr")} == {
        "mekong-mou",
        "sustainable-livelihoods-myanmar",
    }
    assert all(2 in row["chapters"] for row in programmes.programmes(seeded, chapter=2))


def test_every_cdpe_domain_maps_to_a_chapter() -> None:
    assert domain_chapters() == {
        "Health": 1,
        "Demand Reduction": 1,
        "Supply Reduction": 3,
        "Peace & Security": 3,
        "Human Rights": 4,
        "Development": 7,
        "International Cooperation": 6,
    }


def test_strategies_are_read_with_their_dated_statuses() -> None:
    records = {record.code: record for record in read_strategies()}
    assert len(records) == 250 and len({record.country_iso3 for record in records.values()}) == 50
    policy = records["cdpe-4"]
    assert (policy.country_iso3, policy.name, policy.start_year, policy.end_year) == (
        "AFG",
        "Anti-drug Trafficking Policy",
        2012,
        2017,
    )
    assert {(s.chapter, s.status, s.as_of.year) for s in policy.statuses} >= {(3, Status.IN_PROGRESS, 2012)}
    assert all(s.evidence.startswith("Anti-drug Trafficking Policy (2012–2017).") for s in policy.statuses)


def test_a_document_without_a_period_is_planned_and_one_without_a_year_has_no_status() -> None:
    records = read_strategies()
    undated = [r for r in records if r.start_year is None and r.year is None]
    assert undated and all(r.statuses == () for r in undated)
    planned = [r for r in records if r.start_year is None and r.year is not None and r.statuses]
    assert planned and all(s.status is Status.PLANNED for r in planned for s in r.statuses)


def test_strategies_are_stored_per_country(seeded: Engine) -> None:
    rows = strategies.strategies(seeded, "AFG")
    assert "National Alternative Livelihood Policy" in {row["name"] for row in rows}
    livelihood = next(row for row in rows if row["name"] == "National Alternative Livelihood Policy")
    assert 7 in livelihood["chapters"] and livelihood["link"].startswith("http://mcn.gov.af/")
