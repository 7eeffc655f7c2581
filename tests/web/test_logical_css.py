"""Arabic pages run right to left: every style sheet and <style> block uses logical properties (margin-inline-start,
text-align: start …), never left or right, so that layout mirrors by itself under dir="rtl"."""

import re
from pathlib import Path

WEB = Path(__file__).resolve().parents[2] / "src" / "observatory" / "web"
PHYSICAL = re.compile(
    r"\b(?:margin|padding|border)-(?:left|right)\b|text-align:\s*(?:left|right)\b|float:\s*(?:left|right)\b"
    r"|(?<![-\w])(?:left|right)\s*:"
)
STYLE = re.compile(r"<style\b[^>]*>(.*?)</style>", re.DOTALL | re.IGNORECASE)


def style_sheets() -> list[tuple[Path, str]]:
    sheets = [(path, path.read_text(encoding="utf-8")) for path in sorted((WEB / "static").rglob("*.css"))]
    for path in sorted((WEB / "templates").rglob("*.html")):
        sheets.extend((path, block) for block in STYLE.findall(path.read_text(encoding="utf-8")))
    return sheets


def test_styles_use_logical_properties_only() -> None:
    found = [
        f"{path.relative_to(WEB)}: {match.group(0)!r}"
        for path, css in style_sheets()
        for match in PHYSICAL.finditer(css)
    ]
    assert found == []


def test_the_check_sees_a_physical_property() -> None:
    assert PHYSICAL.search("td { text-align: right; }") and PHYSICAL.search(".x{margin-left:1px}")
    assert not PHYSICAL.search("td { text-align: end; margin-inline-start: 1px; inset-inline-start: 0 }")
