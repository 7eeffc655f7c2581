"""The catalogues are complete and in step with the code: every template string is wrapped, the .pot is what the
code and templates hold now, and each of the five catalogues translates every message (none fuzzy)."""

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from scripts.template_strings import segments

from observatory.i18n.catalogues import LOCALE_DIR

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "src" / "observatory" / "web" / "templates"
KEYWORDS = ["-k", "_", "-k", "gettext", "-k", "ngettext:1,2", "-k", "pgettext:1c,2", "-k", "npgettext:1c,2,3"]
#: A catalogue holds at least this many messages (the issue's bar), all translated.
AT_LEAST = 200


def test_every_visible_string_of_the_templates_is_wrapped() -> None:
    found = [
        f"{path.relative_to(TEMPLATES)}: {text!r}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for _, _, text in segments(path.read_text(encoding="utf-8"))
    ]
    assert found == [], f"{len(found)} strings to wrap in {{{{ _(…) }}}} (scripts/template_strings.py --wrap)"


def test_the_check_finds_an_unwrapped_string() -> None:
    assert [text for _, _, text in segments('<p title="Help">Hello {{ name }}</p>{{ _("Done") }}')] == ["Help", "Hello"]


def msgids(path: Path) -> set[str]:
    with path.open("rb") as handle:
        return {str(m.id if isinstance(m.id, str) else m.id[0]) for m in read_po(handle) if m.id}


def test_the_pot_is_in_step_with_the_code(tmp_path: Path) -> None:
    extracted = tmp_path / "messages.pot"
    pybabel = Path(sys.executable).parent / "pybabel"
    command = [str(pybabel), "-q", "extract", "-F", "babel.cfg", *KEYWORDS, "--no-location", "--omit-header"]
    subprocess.run([*command, "-o", str(extracted), "."], cwd=ROOT, check=True, capture_output=True)
    committed = msgids(LOCALE_DIR / "messages.pot")
    current = msgids(extracted)
    assert (sorted(current - committed), sorted(committed - current)) == ([], []), "run `make messages`"


@pytest.mark.parametrize("language", ["ar", "es", "fr", "ru", "zh"])
def test_each_catalogue_is_complete(language: str) -> None:
    with (LOCALE_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalogue = read_po(handle)
    messages = [m for m in catalogue if m.id]
    untranslated = [m.id for m in messages if not (all(m.string) if isinstance(m.string, tuple | list) else m.string)]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert len(messages) >= AT_LEAST and untranslated == [] and fuzzy == [], (
        len(messages),
        untranslated[:5],
        fuzzy[:5],
    )
    assert msgids(LOCALE_DIR / "messages.pot") == {str(m.id if isinstance(m.id, str) else m.id[0]) for m in messages}
