"""Rule: a watched substance detected for the first time in a country.

A substance is watched when one of the early-warning lists of ``alert_rules.toml`` names it, or when it is a new
structure the registry does not hold. The alert rests on the detections of the first day it was seen there.
"""

from observatory.ewa.alerts.model import AlertDraft, Rule
from observatory.ewa.alerts.settings import RuleSettings
from observatory.ewa.alerts.snapshot import Detection, Snapshot
from observatory.ewa.alerts.wording import KIND_PHRASES, country_name, described
from observatory.ewa.events import Origin, SubstanceEntry


def first_detections(snapshot: Snapshot, settings: RuleSettings) -> list[AlertDraft]:
    first: dict[tuple[str, str], list[Detection]] = {}
    for detection in snapshot.detections:
        if detection.country is None or not watched(snapshot.substances[detection.substance], settings):
            continue
        key = (detection.substance, detection.country)
        if key not in first:
            first[key] = [detection]
        elif first[key][0].day == detection.day:
            first[key].append(detection)
    return [
        _draft(snapshot.substances[substance], country, found, settings)
        for (substance, country), found in first.items()
    ]


def watched(substance: SubstanceEntry, settings: RuleSettings) -> bool:
    return substance.origin is Origin.STRUCTURE or bool(settings.watched_sources.intersection(substance.sources))


def _draft(substance: SubstanceEntry, country: str, found: list[Detection], settings: RuleSettings) -> AlertDraft:
    day, where = found[0].day, country_name(country)
    kinds = sorted({KIND_PHRASES[detection.kind] for detection in found})
    return AlertDraft(
        key=f"{Rule.FIRST_DETECTION}:{substance.key}:{country}",
        rule=Rule.FIRST_DETECTION,
        audience=settings.first_detection_audience,
        title=f"{substance.name} detected for the first time in {where}",
        summary=(
            f"{described(substance)} was detected in {where} for the first time on {day.isoformat()}, in "
            f"{' and '.join(kinds)} ({len(found)} event(s) that day)."
        ),
        first_event_on=day,
        event_ids=tuple(detection.event_id for detection in found),
        substance_key=substance.key,
        country=country,
        details={"kinds": [str(detection.kind) for detection in found]},
    )
