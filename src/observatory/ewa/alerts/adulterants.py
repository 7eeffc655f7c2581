"""Rule: a dangerous adulterant found by drug checking (``adulterants.toml``).

A substance found in a drug-checking sample is an adulterant of the list when it is one of the adulterant's
substances, belongs to one of its chemical families, or falls under one of its generic definitions; and, when
the adulterant names what the sample was sold as (a cathinone in a pill sold as MDMA), the sample was sold as
that. One alert per adulterant, substance, country and year.
"""

from collections import defaultdict
from functools import cache

from observatory.errors import BadInput
from observatory.ewa.alerts.model import AlertDraft, Rule
from observatory.ewa.alerts.settings import Adulterant, RuleSettings, adulterants
from observatory.ewa.alerts.snapshot import Detection, Snapshot
from observatory.ewa.alerts.wording import country_name
from observatory.ewa.chemistry import generic_match
from observatory.ewa.events import EventKind, SubstanceEntry


def adulterant_alerts(snapshot: Snapshot, settings: RuleSettings) -> list[AlertDraft]:
    groups: dict[tuple[Adulterant, str, str | None, int], list[Detection]] = defaultdict(list)
    for detection in snapshot.detections:
        if detection.kind is not EventKind.DRUG_CHECKING:
            continue
        substance = snapshot.substances[detection.substance]
        for adulterant in adulterants():
            if is_adulterant(adulterant, substance, detection.sold_as):
                groups[(adulterant, substance.key, detection.country, detection.day.year)].append(detection)
    return [
        _draft(adulterant, snapshot.substances[key], country, year, found, settings)
        for (adulterant, key, country, year), found in groups.items()
    ]


def is_adulterant(adulterant: Adulterant, substance: SubstanceEntry, sold_as: str | None) -> bool:
    if adulterant.sold_as and sold_as not in adulterant.sold_as:
        return False
    if substance.key in adulterant.substance_ids or (substance.family or "") in adulterant.families:
        return True
    return substance.smiles is not None and any(_falls_under(substance.smiles, name) for name in adulterant.generic)


@cache
def _falls_under(smiles: str, definition: str) -> bool:
    try:
        return generic_match(smiles, definition).matched
    except BadInput:
        return False


def _draft(
    adulterant: Adulterant,
    substance: SubstanceEntry,
    country: str | None,
    year: int,
    found: list[Detection],
    settings: RuleSettings,
) -> AlertDraft:
    where = country_name(country)
    sold = sorted({detection.sold_as for detection in found if detection.sold_as})
    sold_phrase = f", sold as {' or '.join(sold)}" if sold else ""
    return AlertDraft(
        key=f"{Rule.ADULTERANT}:{adulterant.id}:{substance.key}:{country or 'unknown'}:{year}",
        rule=Rule.ADULTERANT,
        audience=settings.adulterant_audience,
        title=f"{adulterant.name} found by drug checking in {where}, {year}: {substance.name}",
        summary=(
            f"{substance.name} was found in {len(found)} drug-checking sample(s){sold_phrase} in {where} in {year}, "
            f"first on {found[0].day.isoformat()}. {adulterant.hazard[:1].upper()}{adulterant.hazard[1:]}"
        ),
        first_event_on=found[0].day,
        event_ids=tuple(detection.event_id for detection in found[: settings.adulterant_evidence]),
        substance_key=substance.key,
        country=country,
        details={"adulterant": adulterant.id, "samples": len(found), "sold_as": sold, "hazard": adulterant.hazard},
    )
