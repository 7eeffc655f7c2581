"""Each policy record as a searchable document: a kind, the record's id, a title, a body and its countries."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from observatory.reference import ungass
from observatory.store.policy_schema import CourtCase, Law, Practice, Programme, ScheduledSubstance, Strategy


class Kind(StrEnum):
    RECOMMENDATION = "recommendation"
    PROGRAMME = "programme"
    STRATEGY = "strategy"
    PRACTICE = "practice"
    LAW = "law"
    CASE = "case"


@dataclass(frozen=True, slots=True)
class Document:
    kind: Kind
    ref_id: str
    title: str
    body: str
    countries: tuple[str, ...] = ()

    @property
    def country(self) -> str | None:
        """The record's one country; ``None`` for several or none."""
        return self.countries[0] if len(self.countries) == 1 else None


def recommendation_documents() -> Iterator[Document]:
    chapters = {chapter.number: chapter for chapter in ungass.chapters()}
    for recommendation in ungass.recommendations():
        chapter = chapters[recommendation.chapter]
        title = f"Chapter {chapter.number}: {chapter.contents_title.capitalize()}"
        yield Document(Kind.RECOMMENDATION, recommendation.code, title, f"{chapter.title}. {recommendation.text}")


def programme_document(programme: Programme) -> Document:
    body = f"{programme.description} Chapters {', '.join(map(str, programme.chapters))}."
    return Document(Kind.PROGRAMME, programme.code, programme.name, body, tuple(programme.countries))


def strategy_document(strategy: Strategy) -> Document:
    parts = [f"Lead agency: {strategy.lead_agency}." if strategy.lead_agency else ""]
    for domain, texts in strategy.domains.items():
        for aspect in ("priorities", "metrics"):
            if texts.get(aspect):
                parts.append(f"{domain} {aspect}: {texts[aspect]}")
    return Document(
        Kind.STRATEGY, strategy.code, strategy.name, " ".join(p for p in parts if p), (strategy.country_iso3,)
    )


def practice_document(practice: Practice) -> Document:
    body = " ".join(
        part for part in (practice.description, practice.results, practice.evaluation_design, practice.setting) if part
    )
    return Document(Kind.PRACTICE, str(practice.id), practice.title, body, (practice.country_iso3,))


def law_document(law: Law, scheduled: Iterable[ScheduledSubstance]) -> Document:
    names = sorted({substance.substance_name for substance in scheduled})
    body = f"{law.summary} {law.citation}. Schedules: {', '.join(names)}."
    if law.text:
        body += " " + law.text
    return Document(Kind.LAW, law.code, law.title, body, (law.country_iso3,))


def case_document(case: CourtCase) -> Document:
    title = f"{case.court}, {case.decided_on.isoformat()}: {case.offence_type}"
    body = f"{case.summary} Substances: {', '.join(case.substances)}. {case.citation}"
    return Document(Kind.CASE, str(case.id), title, body, (case.country_iso3,))
