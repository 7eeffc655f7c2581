"""Identifiers of a substance that are not its structure: CAS Registry Numbers, InChIKeys and names.

A CAS number is ``NNNNNNN-NN-N``: two to seven digits (no leading zero), two digits, one check digit.
The check digit is the sum of every other digit times its position counted from the right, modulo 10:
for 50-37-3, (7 x 1 + 3 x 2 + 0 x 3 + 5 x 4) mod 10 = 3.

Names are compared through :func:`name_key`, built on :func:`normalise_name`: case, accents, Greek letters,
dashes, spacing, stereo signs and salt forms ("cocaine hydrochloride", "MDMA HCl", "cocaine base") do not
make two names differ. :func:`spelling_key` also folds the spelling variants of international and Dutch
names (amfetamine / amphetamine, morfine / morphine, methadon / methadone).
"""

import re
import unicodedata
from functools import lru_cache

from observatory.errors import BadInput

CAS_PATTERN = re.compile(r"(?P<body>[1-9]\d{1,6})-(?P<middle>\d{2})-(?P<check>\d)")
INCHIKEY_PATTERN = re.compile(r"[A-Z]{14}-[A-Z]{10}-[A-Z]")

GREEK = {
    "α": "alpha",
    "β": "beta",
    "γ": "gamma",
    "δ": "delta",
    "∆": "delta",
    "ε": "epsilon",
    "ζ": "zeta",
    "η": "eta",
    "θ": "theta",
    "ι": "iota",
    "κ": "kappa",
    "λ": "lambda",
    "μ": "mu",
    "ν": "nu",
    "ξ": "xi",
    "ο": "omicron",
    "π": "pi",
    "ρ": "rho",
    "σ": "sigma",
    "ς": "sigma",
    "τ": "tau",
    "υ": "upsilon",
    "φ": "phi",
    "χ": "chi",
    "ψ": "psi",
    "ω": "omega",
}
# "ß" stands for a beta in the sources' chemical names ("[8ß(S)]"): German spelling never occurs in them.
_BETA_LOOKALIKES = str.maketrans({"ß": "β"})
_FOLDS = str.maketrans({**GREEK, **dict.fromkeys("‐‑‒–—―−﹣－", "-"), **dict.fromkeys("’‘′´`ʼ", "'"), "·": " "})
_CACHE_SIZE = 100_000

#: Words naming a salt, solvate or form of a substance rather than the substance itself.
SALT_WORDS = frozenset(
    {
        "base",
        "freebase",
        "salt",
        "hcl",
        "2hcl",
        "hbr",
        "hydrochloride",
        "dihydrochloride",
        "hydrobromide",
        "hydroiodide",
        "sulfate",
        "sulphate",
        "hemisulfate",
        "bisulfate",
        "citrate",
        "tartrate",
        "bitartrate",
        "phosphate",
        "maleate",
        "fumarate",
        "hemifumarate",
        "oxalate",
        "mesylate",
        "succinate",
        "monohydrate",
        "dihydrate",
        "hemihydrate",
        "anhydrous",
    }
)
#: A leading word naming a street form of a substance: "crack cocaine" is cocaine.
FORM_PREFIXES = frozenset({"crack"})
# A salt word after an alkyl or hydrogen word is part of a chemical name: "indol-4-yl dihydrogen phosphate",
# "ethyl citrate"; after a drug name ending in -yl it is a salt: "fentanyl citrate".
_ESTER_PART = re.compile(r"(?:\d-yl|methyl|ethyl|propyl|butyl|pentyl|hexyl|benzyl|phenyl|hydrogen)$")
_STEREO_SIGNS = re.compile(r"\((?:\+|-|±|\+/-|\+-|r|s|rs|r,s|r\*,s\*)\)-?")
_OPTICAL_SIGNS = (("(±)", ""), ("(+/-)", ""), ("(+-)", ""), ("(+)", "dextro"), ("(-)", "levo"))
_SPELLING_FOLDS = (("ph", "f"), ("th", "t"), ("y", "i"), ("ee", "e"))


def cas_check_digit(digits: str) -> int:
    """The check digit of the CAS number whose other digits (hyphens left out) are ``digits``."""
    return sum(position * int(digit) for position, digit in enumerate(reversed(digits), start=1)) % 10


def cas_problem(text: str) -> str | None:
    """Why ``text`` is not a valid CAS number, or ``None`` when it is one."""
    match = CAS_PATTERN.fullmatch(text)
    if match is None:
        return "not of the form NNNNNNN-NN-N (2 to 7 digits without a leading zero, 2 digits, 1 check digit)"
    expected = cas_check_digit(match["body"] + match["middle"])
    if int(match["check"]) != expected:
        return f"check digit is {match['check']} but the other digits give {expected}"
    return None


def is_valid_cas(text: str) -> bool:
    return cas_problem(text) is None


def parse_cas(text: str) -> str:
    """``text`` as a CAS number (surrounding spaces removed), or ``BadInput`` naming the value and the reason."""
    value = text.strip()
    problem = cas_problem(value)
    if problem is not None:
        raise BadInput(f"{text!r} is not a valid CAS number: {problem}", [{"value": text, "reason": problem}])
    return value


def is_inchikey(text: str) -> bool:
    return INCHIKEY_PATTERN.fullmatch(text.strip()) is not None


@lru_cache(maxsize=_CACHE_SIZE)
def normalise_name(name: str) -> str:
    """``name`` in the form names are compared in: lower case, ASCII letters, one spacing, no salt form.

    Idempotent: normalising a normalised name changes nothing.
    """
    previous, current = None, name
    while current != previous:
        previous, current = current, _normalise_once(current)
    return current


@lru_cache(maxsize=_CACHE_SIZE)
def name_key(name: str) -> str:
    """The matching key of a name: its normalised form without stereo signs, spaces or punctuation."""
    key = _STEREO_SIGNS.sub("", normalise_name(name))
    return "".join(character for character in key if character.isalnum())


def chemical_key(name: str) -> str:
    """:func:`name_key` keeping the optical signs and descriptors that tell enantiomers apart: "(+)-" and "(-)-"
    stay distinct, "(±)-" (racemic) reads as unspecified."""
    text = normalise_name(name)
    for sign, word in _OPTICAL_SIGNS:
        text = text.replace(sign, word)
    return "".join(character for character in text if character.isalnum())


def spelling_key(name: str) -> str:
    """:func:`name_key` with the spelling variants of INN, US and Dutch names folded together."""
    key = name_key(name)
    for variant, folded in _SPELLING_FOLDS:
        key = key.replace(variant, folded)
    return key.removesuffix("e")


def _normalise_once(name: str) -> str:
    text = name.casefold()
    if not name.isascii():
        text = unicodedata.normalize("NFKC", name.translate(_BETA_LOOKALIKES)).casefold()
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
        text = text.translate(_FOLDS)
    text = " ".join(text.split())
    text = re.sub(r"\s*-\s*", "-", text)
    text = re.sub(r"\(\s+", "(", re.sub(r"\s+\)", ")", text))
    return _strip_forms(text.strip(" ,;.:"))


def _strip_forms(text: str) -> str:
    words = text.split(" ")
    while len(words) > 1 and words[0] in FORM_PREFIXES:
        words = words[1:]
    while len(words) > 1 and _is_salt_word(words[-1]) and not _ESTER_PART.search(words[-2]):
        words = words[:-1]
    return " ".join(words).strip(" ,;.:")


def _is_salt_word(word: str) -> bool:
    return word.strip("()[],;.") in SALT_WORDS
