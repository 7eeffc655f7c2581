"""The country names file: six languages, every kind, sources named, rebuilt from the UN files unchanged."""

import csv
import shutil
from pathlib import Path

import pytest

from observatory.errors import SourceFileError
from observatory.reference.place_words import (
    COLUMNS,
    LANGUAGES,
    M49,
    OURS,
    PLACE_WORDS,
    UNTERM,
    WordKind,
    names,
    place_words,
    rebuild,
)

SOURCES = Path("/work/shared/data/country_names")


def test_names_in_six_languages_with_their_sources() -> None:
    words = place_words()
    assert {word.language for word in words} == set(LANGUAGES)
    assert {word.kind for word in words} == set(WordKind)
    assert {word.source for word in words} == {M49, UNTERM, OURS}
    algeria = {(word.language, word.kind, word.text) for word in words if word.iso3 == "DZA"}
    assert {
        ("en", WordKind.NAME, "Algeria"),
        ("fr", WordKind.NAME, "Algérie"),
        ("es", WordKind.NAME, "Argelia"),
        ("ru", WordKind.NAME, "Алжир"),
        ("ar", WordKind.NAME, "الجزائر"),
        ("zh", WordKind.NAME, "阿尔及利亚"),
        ("en", WordKind.ADJECTIVE, "Algerian"),
        ("fr", WordKind.ADJECTIVE, "algérien"),
    } <= algeria
    assert names("fr")["DZA"] == "Algérie" and names("en")["GBR"].startswith("United Kingdom")


def test_unterm_names_lose_their_articles_and_footnote_marks() -> None:
    texts = {word.text for word in place_words() if word.source == UNTERM}
    assert {"Islamic Republic of Afghanistan", "República Islámica del Afganistán", "罗马教廷"} <= texts
    assert not any(text.endswith(("(l')", "(el)", "(the)")) or "*" in text for text in texts)
    assert "El Salvador" in {word.text for word in place_words() if word.iso3 == "SLV"}


def test_a_bad_row_is_reported_with_its_place(tmp_path: Path) -> None:
    path = tmp_path / "place_words.csv"
    path.write_text(",".join(COLUMNS) + "\nDZA,de,name,Algerien,observatory\n", encoding="utf-8")
    with pytest.raises(SourceFileError, match="row 2, column language"):
        place_words(path)


@pytest.mark.skipif(not SOURCES.exists(), reason="the UN country name files are not on this machine")
def test_rebuilding_from_the_un_files_gives_the_shipped_file_back(tmp_path: Path) -> None:
    copy = tmp_path / "place_words.csv"
    shutil.copy(PLACE_WORDS, copy)
    rebuild(SOURCES, copy)
    with PLACE_WORDS.open(encoding="utf-8") as shipped, copy.open(encoding="utf-8") as rebuilt:
        assert list(csv.reader(rebuilt)) == list(csv.reader(shipped))
