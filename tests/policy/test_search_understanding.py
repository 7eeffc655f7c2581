"""Query understanding without a store: the countries and kinds a query names in the six UN languages, its
language, and the inflected forms that let "algérienne", "алжирской" and "الجزائرية" name Algeria."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from observatory.policy.search.documents import Kind
from observatory.policy.search.forms import forms, query_variants
from observatory.policy.search.languages import detect, fold, ignored_words
from observatory.policy.search.understanding import understand
from observatory.reference.place_words import place_words

ISO3 = {word.iso3 for word in place_words()}


@pytest.mark.parametrize(
    ("query", "countries", "kinds", "label"),
    [
        ("Algerian strategy against sexually transmitted infections and HIV", ("DZA",), ("strategy",), None),
        ("Algerian strategy", ("DZA",), ("strategy",), "Algeria · strategies"),
        ("stratégie algérienne contre le VIH", ("DZA",), ("strategy",), None),
        ("les stratégies algériennes", ("DZA",), ("strategy",), None),
        ("estrategia argelina contra el VIH", ("DZA",), ("strategy",), None),
        ("las estrategias argelinas", ("DZA",), ("strategy",), None),
        ("алжирская стратегия борьбы с ВИЧ", ("DZA",), ("strategy",), None),
        ("доклад о наркотиках в Алжире", ("DZA",), (), None),
        ("стратегия государственной антинаркотической политики России", ("RUS",), ("strategy",), None),
        ("الاستراتيجية الجزائرية لمكافحة المخدرات", ("DZA",), ("strategy",), None),
        ("المخدرات في كندا", ("CAN",), (), None),
        ("阿尔及利亚的艾滋病战略", ("DZA",), ("strategy",), None),
        ("programme pour les adolescents autochtones qui inhalent de la colle", (), ("programme",), "programmes"),
        ("Canadian programme for Indigenous teenagers", ("CAN",), ("programme",), "Canada · programmes"),
        ("Dutch lists of hard drugs and soft drugs", ("NLD",), (), None),
        ("drug use among inmates in Spanish jails", ("ESP",), (), None),
        ("Sweden's joint policy on alcohol", ("SWE",), (), None),
        ("Bhutanese drug law", ("BTN",), ("law",), "Bhutan · laws"),
        ("Congolese programme", ("COD", "COG"), ("programme",), None),
    ],
)
def test_countries_and_kinds_named_in_six_languages(
    query: str, countries: tuple[str, ...], kinds: tuple[str, ...], label: str | None
) -> None:
    found = understand(query)
    assert found.countries == countries
    assert tuple(str(kind) for kind in found.kinds) == kinds
    if label is not None:
        assert found.label == label


@pytest.mark.parametrize(
    ("query", "countries"),
    [
        ("Papua New Guinea law", ("PNG",)),
        ("Guinea-Bissau and Guinea", ("GNB", "GIN")),
        ("South Sudan and Sudan", ("SSD", "SDN")),
        ("巴布亚新几内亚", ("PNG",)),
        ("南苏丹", ("SSD",)),
        ("Latin American cocaine markets", ()),
        ("trafficking across the Indian Ocean", ()),
        ("réunion des experts sur les drogues", ()),
        ("النظام المالي وغسل الأموال", ()),
    ],
)
def test_the_longest_name_wins_and_regions_and_common_words_name_no_country(
    query: str, countries: tuple[str, ...]
) -> None:
    assert understand(query).countries == countries


def test_the_words_that_named_a_country_are_given_back_for_full_text_to_leave_out() -> None:
    found = understand("Algerian strategy against HIV")
    assert found.place_words == {"algerian"} and found.kind_words == {"strategy"}
    assert not understand("harm reduction in prisons")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("programme pour les adolescents autochtones qui inhalent de la colle", "fr"),
        ("control de contenedores en los puertos marítimos", "es"),
        ("harm reduction for people who inject drugs", "en"),
        ("программа контроля контейнеров", "ru"),
        ("التدريب على المهارات الأسرية", "ar"),
        ("湄公河次区域禁毒合作", "zh"),
        ("cannabis", "en"),
    ],
)
def test_the_language_of_a_query(text: str, language: str) -> None:
    assert detect(text) == language


def test_a_query_leaves_out_the_common_words_of_its_language_and_of_english() -> None:
    assert {"pour", "les", "qui", "de", "la", "the"} <= ignored_words("fr")
    assert "pour" not in ignored_words("en")


def test_inflected_forms() -> None:
    assert {"algerienne", "algeriens"} <= forms("fr", "algerien", True)
    assert {"argelina", "argelinos"} <= forms("es", "argelino", True)
    assert {"алжирская", "алжирскои", "алжирского"} <= forms("ru", fold("алжирский"), True)
    assert {"алжира", "алжире"} <= forms("ru", fold("Алжир"), False)
    assert {fold("جزائري"), fold("جزائرية")} <= forms("ar", fold("الجزائر"), False)
    assert fold("جزائرية") in query_variants(fold("والجزائرية"))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_is_understood_without_error_as_known_countries_and_kinds(text: str) -> None:
    found = understand(text)
    assert set(found.countries) <= ISO3
    assert set(found.kinds) <= set(Kind)
    assert len(set(found.countries)) == len(found.countries)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(sorted(word.text for word in place_words() if word.language == "en" and word.kind == "name")))
def test_every_english_m49_name_names_its_country(name: str) -> None:
    codes = {word.iso3 for word in place_words() if word.language == "en" and word.text == name}
    assert codes & set(understand(f"drug policy of {name}").countries) or fold(name) in {"reunion"}
