"""What an early-warning event is: a dated detection of one or more substances, with where and how it was made."""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TypeVar

from observatory.errors import BadInput

E = TypeVar("E", bound=StrEnum)


class EventKind(StrEnum):
    FIRST_IDENTIFICATION = "first_identification"
    SEIZURE = "seizure"
    FORENSIC_SAMPLE = "forensic_sample"
    TOXICOLOGY = "toxicology"
    DRUG_CHECKING = "drug_checking"

    @property
    def is_case(self) -> bool:
        """Toxicology cases and drug-checking samples concern people: their details are k-anonymised."""
        return self in CASE_KINDS


CASE_KINDS = frozenset({EventKind.TOXICOLOGY, EventKind.DRUG_CHECKING})


class ToxSetting(StrEnum):
    DUID = "duid"
    CLINICAL = "clinical"
    POST_MORTEM = "post_mortem"


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"


class DatePrecision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class Origin(StrEnum):
    REGISTRY = "registry"
    STRUCTURE = "structure"
    NAME = "name"


@dataclass(frozen=True, slots=True)
class Found:
    """A substance found in an event: its key in ``ewa_substance``, the name the source gave, its share."""

    key: str
    reported_name: str
    share: float | None = None


@dataclass(frozen=True, slots=True)
class NewEvent:
    source: str
    record: str
    kind: EventKind
    occurred_on: date
    found: tuple[Found, ...]
    country: str | None = None
    date_precision: DatePrecision = DatePrecision.DAY
    setting: ToxSetting | None = None
    place: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    age: int | None = None
    sex: Sex | None = None
    sold_as: str | None = None
    misrepresented: bool | None = None
    reporter: str | None = None
    note: str | None = None
    url: str | None = None

    def found_keys(self) -> frozenset[str]:
        return frozenset(found.key for found in self.found)


@dataclass(frozen=True, slots=True)
class FoundSubstance:
    key: str
    name: str
    reported_name: str
    share: float | None
    nps_group: str | None


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """An event as the store holds it, every detail included: never shown as such outside the network."""

    id: int
    source: str
    record: str
    kind: EventKind
    occurred_on: date
    date_precision: DatePrecision
    substances: tuple[FoundSubstance, ...]
    country: str | None
    setting: str | None
    place: str | None
    latitude: float | None
    longitude: float | None
    age: int | None
    sex: str | None
    sold_as: str | None
    misrepresented: bool | None
    reporter: str | None
    note: str | None
    url: str | None


def choice(kind: type[E], value: str | None, parameter: str) -> E | None:
    """``value`` as a member of ``kind`` (``None`` stays ``None``), or ``BadInput`` listing the accepted values."""
    return None if value is None else one_of(kind, value, parameter)


def one_of(kind: type[E], value: str, parameter: str) -> E:
    """``value`` as a member of ``kind``, or ``BadInput`` listing the accepted values."""
    try:
        return kind(value)
    except ValueError:
        accepted = [str(member) for member in kind]
        raise BadInput(
            f"{parameter} must be one of {', '.join(accepted)}, not {value!r}",
            [{"parameter": parameter, "value": value, "accepted": accepted}],
        ) from None
