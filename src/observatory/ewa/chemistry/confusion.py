"""How well the classification agrees with a source's own category labels: a confusion matrix per source.

Each record of the source is one case (a list naming a substance twice counts it twice): its expected label
is what its category means in ``source_categories.toml``, its predicted label the registry classification of
the substance it merged into. Records without a structure, or whose category names no family (or effect),
are counted as skipped, by reason.
"""

from collections import Counter
from dataclasses import dataclass
from typing import Literal

from observatory.errors import BadInput
from observatory.ewa.chemistry.classification import Classification, registry_classifications
from observatory.ewa.chemistry.source_categories import source_categories
from observatory.ewa.chemistry.vocabulary import Effect, Family
from observatory.reference.substances import Substance, substance_registry

Axis = Literal["family", "effect"]


@dataclass(frozen=True, slots=True)
class Disagreement:
    substance_id: str
    name: str
    expected: str
    predicted: str
    explanation: str


@dataclass(frozen=True, slots=True)
class ConfusionReport:
    """Rows are the source's labels (expected), columns the classification's (predicted), both in ``labels``."""

    source: str
    axis: Axis
    labels: tuple[str, ...]
    matrix: tuple[tuple[int, ...], ...]
    by_method: tuple[tuple[str, int, int], ...]
    skipped: tuple[tuple[str, int], ...]
    disagreements: tuple[Disagreement, ...]

    @property
    def evaluated(self) -> int:
        return sum(map(sum, self.matrix))

    @property
    def agreed(self) -> int:
        return sum(self.matrix[position][position] for position in range(len(self.labels)))

    @property
    def agreement(self) -> float:
        return self.agreed / self.evaluated

    def as_text(self) -> str:
        """The matrix as a fixed-width table, with the agreement rate and the per-method counts."""
        width = max(len(label) for label in self.labels)
        cells = max(6, *(len(str(count)) for row in self.matrix for count in row))
        header = " " * width + " | " + " ".join(f"{label[:cells]:>{cells}}" for label in self.labels)
        lines = [f"{self.source} — {self.axis}: expected (rows) × predicted (columns)", header, "-" * len(header)]
        for label, row in zip(self.labels, self.matrix, strict=True):
            lines.append(f"{label:<{width}} | " + " ".join(f"{count:>{cells}}" for count in row))
        lines.append(f"agreement {self.agreed}/{self.evaluated} = {self.agreement:.1%}")
        lines.extend(f"  by {method}: {agreed}/{total}" for method, total, agreed in self.by_method)
        lines.extend(f"  skipped ({reason}): {count}" for reason, count in self.skipped)
        return "\n".join(lines)


def classification_report(source: str, axis: Axis = "family") -> ConfusionReport:
    """The agreement of the registry classification with ``source``'s categories on ``axis``; ``BadInput``
    for a source without mapped categories, or none naming a value on that axis."""
    categories = source_categories()
    if source not in categories.sources:
        message = f"no category mapping for source {source!r}; mapped: {', '.join(categories.sources)}"
        raise BadInput(message, [{"value": source}])
    cases, skipped = _cases(source, axis)
    if not cases:
        raise BadInput(f"no {source} record has a category naming a {axis}", [{"value": source, "axis": axis}])
    return _report(source, axis, cases, skipped)


_Case = tuple[Substance, str, Classification]


def _cases(source: str, axis: Axis) -> tuple[list[_Case], Counter[str]]:
    registry = substance_registry()
    categories = source_categories()
    classified = registry_classifications()
    cases: list[_Case] = []
    skipped: Counter[str] = Counter()
    for substance in registry.substances:
        for ref in substance.sources:
            if ref.source != source:
                continue
            record = registry.records[ref]
            meanings = categories.of_record(record)
            values = [meaning.family if axis == "family" else meaning.effect for meaning in meanings]
            expected = next((value for value in values if value is not None), None)
            if expected is None:
                skipped[_skip_reason(bool(record.categories), bool(meanings), axis)] += 1
            elif substance.id not in classified:
                skipped["no structure"] += 1
            else:
                cases.append((substance, str(expected), classified[substance.id]))
    return cases, skipped


def _skip_reason(categorised: bool, mapped: bool, axis: Axis) -> str:
    if not categorised:
        return "no category"
    return f"category names no {axis}" if mapped else "category not mapped"


def _report(source: str, axis: Axis, cases: list[_Case], skipped: Counter[str]) -> ConfusionReport:
    predicted = [_predicted(c, axis) for _, _, c in cases]
    order = {label: position for position, label in enumerate(_axis_order(axis))}
    labels = tuple(sorted({expected for _, expected, _ in cases} | set(predicted), key=order.__getitem__))
    counts = Counter((expected, guess) for (_, expected, _), guess in zip(cases, predicted, strict=True))
    methods: Counter[tuple[str, bool]] = Counter(
        (str(c.method), expected == guess) for (_, expected, c), guess in zip(cases, predicted, strict=True)
    )
    return ConfusionReport(
        source=source,
        axis=axis,
        labels=labels,
        matrix=tuple(tuple(counts[(row, column)] for column in labels) for row in labels),
        by_method=tuple(
            (method, methods[(method, True)] + methods[(method, False)], methods[(method, True)])
            for method in sorted({method for method, _ in methods})
        ),
        skipped=tuple(sorted(skipped.items())),
        disagreements=tuple(
            Disagreement(substance.id, substance.preferred_name, expected, guess, c.explanation)
            for (substance, expected, c), guess in zip(cases, predicted, strict=True)
            if expected != guess
        ),
    )


OUT_OF_SCOPE = "out_of_scope"


def _predicted(classification: Classification, axis: Axis) -> str:
    if axis == "effect":
        return str(classification.effect)
    return str(classification.family) if classification.family else OUT_OF_SCOPE


def _axis_order(axis: Axis) -> list[str]:
    return [str(value) for value in (Family if axis == "family" else Effect)] + [OUT_OF_SCOPE]
