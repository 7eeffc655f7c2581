"""Find (and, with --wrap, wrap) the user-visible text of the templates that does not go through gettext.

Text is what Jinja2's lexer gives as template data, outside ``{% trans %}`` blocks, ``<script>`` and ``<style>``:
the text between tags, and the values of the attributes people read (aria-label, title, placeholder, alt). A
segment that holds a letter is a string to translate. ``--wrap`` rewrites each such segment as ``{{ _("…") }}``
(a sentence cut by markup becomes several messages: rewrite those by hand as one ``{% trans %}`` block).

    python scripts/template_strings.py src/observatory/web/templates            # list, exit 1 if any
    python scripts/template_strings.py --wrap src/observatory/web/templates/x.html
"""

import re
import sys
from collections.abc import Iterator
from pathlib import Path

LETTER = re.compile(r"[^\W\d_]")
TAG = re.compile(r"<[^>]*>")
ATTRIBUTE = re.compile(r'\b(aria-label|title|placeholder|alt)="([^"{]*[^\W\d_][^"{]*)"')
ENTITY = re.compile(r"&[a-zA-Z]+;|&#\d+;")
#: Texts that are not words of a language: product and format names, units and codes shown as such.
NOT_WORDS = frozenset({"CSV", "JSON", "XLSX", "SDMX", "PDF", "API", "ISO3", "kg", "OpenAPI", "Parquet", "x", "×"})


TRANS_BLOCK = re.compile(r"\{%-?\s*trans\b.*?\{%-?\s*endtrans\s*-?%\}", re.DOTALL)
JINJA = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.DOTALL)
RAW_BLOCK = re.compile(r"(<(script|style)\b[^>]*>)(.*?)(</\2>)", re.DOTALL | re.IGNORECASE)
MASK = "\x00"


def _masked(source: str) -> str:
    """``source`` with Jinja constructs, ``{% trans %}`` blocks and script and style bodies blanked out, each
    character kept in place (newlines too), so positions stay those of the source."""

    def blank(match: re.Match[str]) -> str:
        return "".join(c if c == "\n" else MASK for c in match.group(0))

    masked = TRANS_BLOCK.sub(blank, source)
    masked = JINJA.sub(blank, masked)
    return RAW_BLOCK.sub(lambda m: m.group(1) + _spaces(m.group(3)) + m.group(4), masked)


def _spaces(text: str) -> str:
    return "".join(c if c == "\n" else " " for c in text)


def segments(source: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, text) of each untranslated text segment in ``source``: a run of text between tags (and Jinja
    expressions) or a readable attribute's value, holding a letter."""
    masked = _masked(source)
    cursor = 0
    for tag in TAG.finditer(masked):
        yield from _runs(masked, cursor, tag.start())
        for attribute in ATTRIBUTE.finditer(tag.group(0)):
            begin = tag.start() + attribute.start(2)
            yield from _runs(masked, begin, begin + len(attribute.group(2)))
        cursor = tag.end()
    yield from _runs(masked, cursor, len(masked))


def _runs(masked: str, start: int, end: int) -> Iterator[tuple[int, int, str]]:
    """The pieces of ``masked[start:end]`` between Jinja constructs that hold words."""
    position = start
    for piece in re.split(f"({MASK}+)", masked[start:end]):
        if piece and MASK not in piece:
            yield from _words(piece, position)
        position += len(piece)


def _words(piece: str, offset: int) -> Iterator[tuple[int, int, str]]:
    stripped = piece.strip()
    if not stripped:
        return
    plain = ENTITY.sub(" ", stripped)
    if not LETTER.search(plain) or stripped in NOT_WORDS:
        return
    lead = len(piece) - len(piece.lstrip())
    yield offset + lead, offset + lead + len(stripped), stripped


def wrap(source: str) -> str:
    out = source
    for start, end, text in sorted(segments(source), reverse=True):
        # New-style gettext formats every message with %, so a literal % is written %%.
        message = " ".join(text.split()).replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%")
        out = out[:start] + '{{ _("' + message + '") }}' + out[end:]
    return out


def main(arguments: list[str]) -> int:
    fix = "--wrap" in arguments
    paths = [Path(a) for a in arguments if a != "--wrap"]
    files = [p for path in paths for p in (sorted(path.rglob("*.html")) if path.is_dir() else [path])]
    found = 0
    for path in files:
        source = path.read_text(encoding="utf-8")
        if fix:
            path.write_text(wrap(source), encoding="utf-8")
            continue
        for start, _, text in segments(source):
            found += 1
            sys.stdout.write(f"{path}:{source.count(chr(10), 0, start) + 1}: {text!r}\n")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
