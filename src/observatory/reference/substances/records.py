"""What one source says about one substance, before records from different sources are merged."""

from dataclasses import dataclass
from datetime import date

SINGLE_CONVENTION = "1961 Single Convention"
PSYCHOTROPIC_CONVENTION = "1971 Convention"
TRAFFIC_CONVENTION = "1988 Convention"
US_CSA = "US CSA"
CHINA = "China"
NETHERLANDS = "Netherlands Opium Act"


@dataclass(frozen=True, slots=True)
class ControlFact:
    """A control status as a dated fact: under ``regime``, in ``schedule``, since ``effective`` when known.

    ``code`` is the regime's own identifier (DEA Controlled Substance Code, INCB drug code, row of the Chinese
    list); ``edition`` the edition of the list the fact was read from.
    """

    regime: str
    schedule: str
    source: str
    effective: date | None = None
    code: str | None = None
    edition: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class SubstanceRecord:
    """One record of one source, names and identifiers as the source gives them (CAS numbers validated).

    ``names`` are the names the source gives the entry itself, main name first (a list's name and the
    abbreviations it prints beside it); ``synonyms`` are looser aliases; ``iupac_names`` chemical names.
    ``cas`` holds the CAS numbers given for the substance itself; ``related_cas`` those the source labels as a
    salt or a stereoisomer ("1823776-22-2 (HCl)"), which do not identify the parent substance.
    ``inchikey`` is the source's own, kept as given; the registry computes its own from ``smiles``.
    """

    source: str
    record_id: str
    names: tuple[str, ...]
    synonyms: tuple[str, ...] = ()
    iupac_names: tuple[str, ...] = ()
    inn: str | None = None
    cas: tuple[str, ...] = ()
    related_cas: tuple[str, ...] = ()
    smiles: str | None = None
    inchikey: str | None = None
    categories: tuple[str, ...] = ()
    first_identified: date | None = None
    published: date | None = None
    controls: tuple[ControlFact, ...] = ()

    @property
    def name(self) -> str:
        return self.names[0]

    @property
    def all_names(self) -> tuple[str, ...]:
        """Every name of the record: names, INN, synonyms, chemical names."""
        return tuple(dict.fromkeys(n for n in (*self.names, self.inn, *self.synonyms, *self.iupac_names) if n))
