"""The search syntax, parsed once and rendered for each engine, so user text never reaches a MATCH or a
``to_tsquery`` as syntax.

    harm reduction prisons     any of the words; documents with more of them, and rarer ones, rank first
    "needle and syringe"       a phrase
    treat*                     words starting with "treat"
    -cannabis                  no document containing "cannabis"

Words are letters and digits; other characters separate words. Common English words are left out of word
terms (not of phrases); ``languages`` names those of the other languages.
Problems (an unclosed quote, a lone ``-`` or ``*``, a query of exclusions only, a
query without a searchable word) raise ``BadInput`` naming the problem.
"""

import re
from dataclasses import dataclass

from observatory.errors import BadInput

MAX_QUERY = 500
MAX_TERMS = 32
_WORD = re.compile(r"\w+")
_TOKEN = re.compile(r'(-?)"([^"]*)"|(\S+)')
STOP_WORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "that",
        "the",
        "their",
        "this",
        "to",
        "was",
        "were",
        "which",
        "with",
        "how",
        "what",
        "who",
        "whom",
        "why",
        "when",
        "where",
        "our",
        "we",
        "you",
        "your",
        "do",
        "does",
        "not",
        "no",
        "can",
    }
)


class SearchSyntaxError(BadInput):
    code = "bad-search-query"


@dataclass(frozen=True, slots=True)
class Term:
    words: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    terms: tuple[Term, ...]
    excluded: tuple[Term, ...] = ()


def parse(query: str, ignored: frozenset[str] = STOP_WORDS) -> ParsedQuery:
    """The query's terms; ``ignored`` are the words left out of bare words (by default common English words)."""
    text = query.strip()
    if not text:
        raise _error(query, "the query is empty")
    if len(text) > MAX_QUERY:
        raise _error(query, f"the query is longer than {MAX_QUERY} characters")
    if text.count('"') % 2:
        raise _error(query, 'a quotation mark (") is not closed')
    terms: list[Term] = []
    excluded: list[Term] = []
    for match in _TOKEN.finditer(text):
        negative, phrase, bare = match.groups()
        if bare is not None:
            negative, bare = ("-", bare[1:]) if bare.startswith("-") else ("", bare)
            found = _bare(query, bare, bool(negative), ignored)
        else:
            found = _phrase(query, phrase)
        (excluded if negative else terms).extend(found)
    if not terms:
        raise _error(query, "the query has no word to look for" + (" (only exclusions)" if excluded else ""))
    if len(terms) + len(excluded) > MAX_TERMS:
        raise _error(query, f"the query has more than {MAX_TERMS} terms")
    return ParsedQuery(tuple(dict.fromkeys(terms)), tuple(dict.fromkeys(excluded)))


def _bare(query: str, token: str, negative: bool, ignored: frozenset[str]) -> list[Term]:
    if not token:
        raise _error(query, "'-' must be followed by the word to exclude")
    prefix = token.endswith("*")
    stem = token[:-1] if prefix else token
    if "*" in stem:
        raise _error(query, f"'*' may only end a word ({token!r})")
    words = [word.casefold() for word in _WORD.findall(stem)]
    if prefix and len(words) != 1:
        raise _error(query, f"'*' must follow a word ({token!r})")
    if prefix:
        return [Term((words[0],), prefix=True)]
    kept = words if negative else [word for word in words if word not in ignored]
    return [Term((word,)) for word in kept]


def _phrase(query: str, phrase: str) -> list[Term]:
    words = tuple(word.casefold() for word in _WORD.findall(phrase))
    if not words:
        raise _error(query, "a quoted phrase is empty")
    return [Term(words)]


def to_fts5(parsed: ParsedQuery, every: bool = False) -> str:
    """The query as an SQLite FTS5 MATCH expression: documents with any of its terms, or with ``every`` one."""
    positive = (" AND " if every else " OR ").join(_fts5_term(term) for term in parsed.terms)
    if not parsed.excluded:
        return positive
    return f"({positive}) NOT ({' OR '.join(_fts5_term(term) for term in parsed.excluded)})"


def _fts5_term(term: Term) -> str:
    quoted = '"' + " ".join(term.words) + '"'
    return quoted + "*" if term.prefix else quoted


def to_tsquery(parsed: ParsedQuery) -> str:
    """The query in PostgreSQL ``to_tsquery`` syntax."""
    positive = " | ".join(_ts_term(term) for term in parsed.terms)
    if not parsed.excluded:
        return positive
    return f"({positive}) & !({' | '.join(_ts_term(term) for term in parsed.excluded)})"


def _ts_term(term: Term) -> str:
    if term.prefix:
        return f"{term.words[0]}:*"
    return "(" + " <-> ".join(term.words) + ")" if len(term.words) > 1 else term.words[0]


def _error(query: str, reason: str) -> SearchSyntaxError:
    return SearchSyntaxError(f"search query {query!r}: {reason}", [{"field": "q", "value": query, "reason": reason}])


def plain_text(query: str) -> str:
    """What a language model should read of ``query``: its words and phrases, without exclusions, quotes or ``*``."""
    kept: list[str] = []
    for match in _TOKEN.finditer(query.strip()):
        negative, phrase, bare = match.groups()
        if negative or (bare is not None and bare.startswith("-")):
            continue
        kept.append(phrase if bare is None else bare.rstrip("*"))
    return " ".join(kept)


def words(parsed: ParsedQuery) -> list[str]:
    return [word for term in parsed.terms for word in term.words]
