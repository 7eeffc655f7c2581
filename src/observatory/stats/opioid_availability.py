"""Availability of opioid analgesics (METHODS.md §2): S-DDD per million inhabitants per day, and adequacy.

S-DDD/M/day = Σ_d (kg_d × 10⁶ mg/kg ÷ S-DDD_d mg) ÷ 365 ÷ (population / 10⁶)  (INCB; Berterame et al. 2016).
Every S-DDD value here is an unconfirmed default (to be loaded from INCB's technical report "Narcotic Drugs");
a drug without one must be given its S-DDD by the caller.

Adequacy of Consumption Measure (Seya et al. 2011, structure [P]): need_c = (Σ_top20 morphine-equivalent
consumption ÷ Σ_top20 proxy deaths) × proxy deaths_c, ACM_c = consumption_c ÷ need_c; categories after Duthey &
Scholten 2013 with unconfirmed cut-offs.
"""

from collections.abc import Mapping

from observatory.errors import BadInput
from observatory.stats.bands import Bands, Boundary
from observatory.stats.figure import Constant, Figure, Method
from observatory.stats.inputs import computed, non_negative, positive

DAYS_PER_YEAR = 365
MG_PER_KG = 1_000_000
_SDDD_SOURCE = "METHODS.md §2 [U]; INCB technical report 'Narcotic Drugs', annex on S-DDD"
SDDD_MG = {
    drug: Constant(f"sddd-{drug}", mg, _SDDD_SOURCE, False)
    for drug, mg in (
        ("morphine", 100.0),
        ("fentanyl", 0.6),
        ("hydromorphone", 20.0),
        ("oxycodone", 75.0),
        ("pethidine", 400.0),
        ("methadone", 25.0),
    )
}
LOWER_INCLUSIVE = Constant("opioid-bands-boundary-rule", Boundary.LOWER_INCLUSIVE.value, "METHODS.md §2 [U]", False)
INCB_BANDS = Bands(
    (
        Constant("incb-sddd-very-inadequate-below", 100.0, "METHODS.md §2 [U] (INCB bands not found)", False),
        Constant("incb-sddd-inadequate-below", 200.0, "METHODS.md §2 [U] (INCB bands not found)", False),
    ),
    ("very inadequate", "inadequate", "200 or more"),
    LOWER_INCLUSIVE,
)
ACM_BANDS = Bands(
    tuple(
        Constant(f"acm-{label}-from", cut, "METHODS.md §2 [U]; names from Duthey & Scholten 2013 [C]", False)
        for label, cut in (("very-low", 0.01), ("low", 0.1), ("moderate", 0.3), ("adequate", 1.0))
    ),
    ("virtually none", "very low", "low", "moderate", "adequate"),
    LOWER_INCLUSIVE,
)


def sddd_per_million_per_day(
    consumption_kg: Mapping[str, float],
    population: float,
    *,
    sddd_mg: Mapping[str, Constant] | None = None,
    bands: Bands | None = INCB_BANDS,
) -> Figure:
    """Consumption of each drug (kg a year) in S-DDD per million inhabitants per day; ``sddd_mg`` adds or overrides."""
    if not consumption_kg:
        raise BadInput("no consumption given", [{"field": "consumption_kg"}])
    inhabitants = positive("population", population)
    table = {**SDDD_MG, **{name.casefold(): constant for name, constant in (sddd_mg or {}).items()}}
    used, doses = [], 0.0
    for drug, kilograms in consumption_kg.items():
        sddd = table.get(drug.casefold())
        if sddd is None:
            raise BadInput(
                f"no S-DDD for {drug!r}; give one in sddd_mg (known: {', '.join(sorted(table))})",
                [{"field": "consumption_kg", "value": drug, "accepted": sorted(table)}],
            )
        doses += non_negative(f"consumption of {drug}", kilograms) * MG_PER_KG / positive(sddd.id, sddd.number)
        used.append(sddd)
    value = computed("S-DDD per million per day", doses / DAYS_PER_YEAR / (inhabitants / 1_000_000))
    method = Method(
        "opioid-availability/sddd",
        "Σ kg × 10⁶ ÷ S-DDD (mg) ÷ 365 ÷ population in millions",
        source="METHODS.md §2 [C]; INCB; Berterame et al., Lancet 2016",
    )
    return Figure(
        value=value,
        unit="S-DDD per million inhabitants per day",
        method=method,
        category=bands.classify(value) if bands else None,
        constants=(*used, *(bands.constants if bands else ())),
    )


def adequacy_of_consumption(
    consumption_mg: float,
    proxy_deaths: float,
    *,
    reference_consumption_mg: float,
    reference_proxy_deaths: float,
    bands: Bands = ACM_BANDS,
) -> Figure:
    """ACM of a country from its morphine-equivalent consumption and deaths from the proxy causes (cancer, HIV,
    injuries), against the same totals over the reference (top-20 Human Development Index) countries."""
    consumption = non_negative("consumption", consumption_mg)
    deaths = positive("proxy deaths", proxy_deaths)
    need_per_death = positive("reference consumption", reference_consumption_mg) / positive(
        "reference proxy deaths", reference_proxy_deaths
    )
    value = computed("ACM", consumption / (need_per_death * deaths))
    method = Method(
        "opioid-availability/acm",
        "consumption ÷ (reference consumption per proxy death × the country's proxy deaths)",
        confirmed=False,
        source="Seya et al. 2011; METHODS.md §2 [P]: structure partly confirmed, details unconfirmed",
    )
    return Figure(
        value=value, unit="ratio to need", method=method, category=bands.classify(value), constants=bands.constants
    )
