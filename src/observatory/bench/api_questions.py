"""The dashboard questions the API latency benchmark asks, each put three ways: as requests to our API, as SQL
for raw DuckDB over our Parquet snapshot, and as the same SQL for SQLite (served by datasette); and how to read
the numbers out of each answer, so that the three can be checked against each other.
"""

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from observatory.analytics.seizures import MEASURES
from observatory.bench.prevalence_data import DRUG, YEARS

Row = Mapping[str, Any]
#: Key columns of a row → its numbers.
Numbers = dict[tuple[Any, ...], tuple[Any, ...]]
SEIZURE_NUMBERS = ("kilograms", "records", "missing_records")
PREVALENCE_NUMBERS = ("best", "low", "high", "users", "covered")


@dataclass(frozen=True, slots=True)
class Dialect:
    """Where one engine finds the tables, and how it spells what differs."""

    seizures: str
    #: National estimates, one row per country and survey year: country_iso3, year, best, low, high.
    estimates: str
    countries: str
    population: str
    #: The country name of a group of one country's rows.
    country: str
    #: What a named parameter ``:name`` is written as (``$`` in DuckDB).
    parameter: str = ":"


SQLITE = Dialect(
    seizures="annual_seizure",
    estimates="SELECT country_iso3, year, best, low, high FROM prevalence WHERE drug = :drug",
    countries="country",
    population="population",
    # SQLite returns a bare column of a group from an arbitrary row of it: its any_value.
    country="country",
)


def duckdb_dialect(seizures: str, observations: str, countries: str, population: str) -> Dialect:
    """Raw DuckDB over Parquet files: the seizure snapshot, the prevalence observations (long: one row per
    element) and the country and population tables."""
    estimates = (
        "SELECT country_iso3, year, "
        + ", ".join(f"max(value) FILTER (WHERE element = '{end}') AS {end}" for end in ("best", "low", "high"))
        + f" FROM read_parquet('{observations}') WHERE dataset = 'prevalence' AND drug = :drug"
        " AND coalesce(recall, 'past-year') = 'past-year' GROUP BY country_iso3, year, submission_id, source_row"
    )
    return Dialect(
        seizures=f"read_parquet('{seizures}')",
        estimates=estimates,
        countries=f"read_parquet('{countries}')",
        population=f"read_parquet('{population}')",
        country="any_value(country) AS country",
        parameter="$",
    )


@dataclass(frozen=True, slots=True)
class Question:
    name: str
    #: Requests to our API (path and query) that together answer the question.
    requests: tuple[str, ...]
    #: SQL with ``{seizures}``-style table slots (see ``Dialect``) and ``:name`` parameters.
    template: str
    parameters: Mapping[str, str | int]
    keys: tuple[str, ...]
    numbers: tuple[str, ...]
    #: The answer's rows, named as the SQL names its columns, from the API's response bodies.
    api_rows: Callable[[Sequence[Any]], list[Row]]

    def sql(self, dialect: Dialect) -> str:
        slots = {name: getattr(dialect, name) for name in ("seizures", "estimates", "countries", "population")}
        text = self.template.format(**slots, country=dialect.country, measures=MEASURES)
        return re.sub(r":(\w+)", lambda found: dialect.parameter + found.group(1), text)

    def datasette_path(self, database: str) -> str:
        return f"/{database}.json?" + urlencode({"sql": self.sql(SQLITE), "_shape": "array", **self.parameters})

    def tabulate(self, rows: Sequence[Row]) -> Numbers:
        return {tuple(row[k] for k in self.keys): tuple(row[n] for n in self.numbers) for row in rows}


def _seizure_data(bodies: Sequence[Any]) -> list[Row]:
    rows: list[Row] = bodies[0]["data"]
    return rows


def _trend_rows(bodies: Sequence[Any]) -> list[Row]:
    (body,) = bodies
    (growth,) = [f["value"] for f in body["data"] if f["dimensions"].get("measure") == "cagr"]
    return [
        {"year": row["year"], "kilograms": row["value"], "year_on_year": row["relative_change"], "cagr": growth}
        | {name: row[name] for name in ("records", "missing_records")}
        for row in body["table"]
    ]


def _prevalence_rows(bodies: Sequence[Any]) -> list[Row]:
    rows: dict[tuple[str, int], dict[str, Any]] = {}
    for body in bodies:
        for figure in body["data"]:
            labels = figure["dimensions"]
            row = rows.setdefault((labels["area"], int(labels["year"])), {"region": labels["area"]})
            row["year"] = int(labels["year"])
            if labels["measure"] == "prevalence":
                row |= {"best": figure["value"], "low": figure["low"], "high": figure["high"]}
            else:
                row[{"users": "users", "population-covered": "covered"}[labels["measure"]]] = figure["value"]
    return list(rows.values())


def _prevalence_request(first: int, last: int) -> str:
    """The regional level of our roll-up, in one year or every year of a span, in one request."""
    years = {"year": first} if first == last else {"start": first, "end": last}
    return "/api/v1/stats/prevalence?" + urlencode({"drug": DRUG, **years, "level": "region"})


def _grouped(where: str, *keys: str) -> str:
    columns = ", ".join(keys)
    label = ", {country}" if "country_iso3" in keys else ""
    return f"SELECT {columns}{label}, {{measures}} FROM {{seizures}}{where} GROUP BY {columns} ORDER BY {columns}"


#: The trend is a headline figure (``analytics.seizure_figures``): only the rows the WDR conventions count.
TREND = """
WITH yearly AS (
  SELECT year, {measures} FROM {seizures} WHERE drug_group = :drug_group AND headline GROUP BY year
), span AS (
  SELECT min(year) AS first, max(year) AS last FROM yearly WHERE kilograms IS NOT NULL
)
SELECT y.year, y.kilograms, (y.kilograms - p.kilograms) / p.kilograms AS year_on_year,
       power(l.kilograms / f.kilograms, 1.0 / (s.last - s.first)) - 1 AS cagr, y.records, y.missing_records
FROM yearly y LEFT JOIN yearly p ON p.year = y.year - 1
CROSS JOIN span s JOIN yearly f ON f.year = s.first JOIN yearly l ON l.year = s.last
ORDER BY y.year
"""

#: The national estimate of each country in each year is its latest from that year or before; a country without
#: one takes the population-weighted prevalence of the reporting countries of its sub-region, else region, else
#: world, and as its range the 10th and 90th percentiles (type 7: linear between order statistics) of the best
#: values of the smallest of those pools with at least three reporting countries, widened to hold its best
#: (``stats.imputation``); regions are population-weighted means (``stats.aggregation``).
PREVALENCE = """
WITH estimates AS ({estimates}),
universe AS (
  SELECT c.iso3, c.subregion, c.region, p.year, p.persons
  FROM {countries} c JOIN {population} p ON p.country_iso3 = c.iso3 WHERE p.year BETWEEN :first AND :last
), ranked AS (
  SELECT u.*, e.best, coalesce(e.low, e.best) AS low, coalesce(e.high, e.best) AS high,
         row_number() OVER (PARTITION BY u.iso3, u.year ORDER BY e.year DESC) AS position
  FROM universe u LEFT JOIN estimates e ON e.country_iso3 = u.iso3 AND e.year <= u.year
), latest AS (
  SELECT * FROM ranked WHERE position = 1
), subregions AS (
  SELECT subregion, year, sum(best * persons) / sum(persons) AS best FROM latest WHERE best IS NOT NULL
  GROUP BY subregion, year
), regions AS (
  SELECT region, year, sum(best * persons) / sum(persons) AS best FROM latest WHERE best IS NOT NULL
  GROUP BY region, year
), world AS (
  SELECT year, sum(best * persons) / sum(persons) AS best FROM latest WHERE best IS NOT NULL GROUP BY year
), pooled AS (
  SELECT 'subregion' AS level, subregion AS pool, year, best FROM latest WHERE best IS NOT NULL
  UNION ALL SELECT 'region', region, year, best FROM latest WHERE best IS NOT NULL
  UNION ALL SELECT 'world', '', year, best FROM latest WHERE best IS NOT NULL
), ordered AS (
  SELECT level, pool, year, best,
         row_number() OVER (PARTITION BY level, pool, year ORDER BY best) - 1 AS k,
         count(*) OVER (PARTITION BY level, pool, year) AS n
  FROM pooled
), positions AS (
  SELECT DISTINCT o.level, o.pool, o.year, o.n, q.percent, (o.n - 1) * q.percent / 100.0 AS h
  FROM ordered o CROSS JOIN (SELECT 10 AS percent UNION ALL SELECT 90 AS percent) q
), percentiles AS (
  SELECT p.level, p.pool, p.year, p.n,
         max(CASE WHEN p.percent = 10 THEN a.best + (coalesce(b.best, a.best) - a.best) * (p.h - floor(p.h)) END)
           AS low,
         max(CASE WHEN p.percent = 90 THEN a.best + (coalesce(b.best, a.best) - a.best) * (p.h - floor(p.h)) END)
           AS high
  FROM positions p
  JOIN ordered a ON a.level = p.level AND a.pool = p.pool AND a.year = p.year AND a.k = floor(p.h)
  LEFT JOIN ordered b ON b.level = p.level AND b.pool = p.pool AND b.year = p.year AND b.k = floor(p.h) + 1
  GROUP BY p.level, p.pool, p.year, p.n
), imputed AS (
  SELECT l.region, l.year, l.persons, l.best IS NOT NULL AS reported, l.best AS own_best, l.low AS own_low,
         l.high AS own_high, coalesce(l.best, s.best, r.best, w.best) AS best,
         CASE WHEN sq.n >= 3 THEN sq.low WHEN rq.n >= 3 THEN rq.low ELSE wq.low END AS pool_low,
         CASE WHEN sq.n >= 3 THEN sq.high WHEN rq.n >= 3 THEN rq.high ELSE wq.high END AS pool_high
  FROM latest l
  LEFT JOIN subregions s ON s.subregion = l.subregion AND s.year = l.year
  LEFT JOIN regions r ON r.region = l.region AND r.year = l.year
  LEFT JOIN world w ON w.year = l.year
  LEFT JOIN percentiles sq ON sq.level = 'subregion' AND sq.pool = l.subregion AND sq.year = l.year
  LEFT JOIN percentiles rq ON rq.level = 'region' AND rq.pool = l.region AND rq.year = l.year
  LEFT JOIN percentiles wq ON wq.level = 'world' AND wq.year = l.year
), filled AS (
  SELECT region, year, persons, reported, best,
         CASE WHEN reported THEN own_low WHEN pool_low < best THEN pool_low ELSE best END AS low,
         CASE WHEN reported THEN own_high WHEN pool_high > best THEN pool_high ELSE best END AS high
  FROM imputed
)
SELECT region, year, {weighted}, sum(best * persons) / 100 AS users,
       1.0 * sum(CASE WHEN reported THEN persons ELSE 0 END) / sum(persons) AS covered
FROM filled GROUP BY region, year ORDER BY region, year
""".replace("{weighted}", ", ".join(f"sum({end} * persons) / sum(persons) AS {end}" for end in ("best", "low", "high")))

QUESTIONS = (
    Question(
        "drug_group_year",
        ("/api/v1/seizures?group_by=drug_group,year",),
        _grouped("", "drug_group", "year"),
        {},
        ("drug_group", "year"),
        SEIZURE_NUMBERS,
        _seizure_data,
    ),
    Question(
        "country_drug_year.one_drug",
        ("/api/v1/seizures?" + urlencode({"group_by": "country,drug,year", "drug": "Heroin"}),),
        _grouped(" WHERE drug = :drug", "country_iso3", "drug", "year"),
        {"drug": "Heroin"},
        ("country_iso3", "drug", "year"),
        SEIZURE_NUMBERS,
        _seizure_data,
    ),
    Question(
        "country_drug_year.one_subregion",
        (
            "/api/v1/seizures?"
            + urlencode({"group_by": "country,drug,year", "subregion": "South America", "drug_group": "Cocaine-type"}),
        ),
        _grouped(" WHERE subregion = :subregion AND drug_group = :drug_group", "country_iso3", "drug", "year"),
        {"subregion": "South America", "drug_group": "Cocaine-type"},
        ("country_iso3", "drug", "year"),
        SEIZURE_NUMBERS,
        _seizure_data,
    ),
    Question(
        "trend.one_drug_group",
        ("/api/v1/stats/seizures/trend?" + urlencode({"drug_group": "Cocaine-type"}),),
        TREND,
        {"drug_group": "Cocaine-type"},
        ("year",),
        ("kilograms", "year_on_year", "cagr", *SEIZURE_NUMBERS[1:]),
        _trend_rows,
    ),
    Question(
        "prevalence.region_year",
        (_prevalence_request(YEARS[0], YEARS[-1]),),
        PREVALENCE,
        {"drug": DRUG, "first": YEARS[0], "last": YEARS[-1]},
        ("region", "year"),
        PREVALENCE_NUMBERS,
        _prevalence_rows,
    ),
    Question(
        "prevalence.region_last_year",
        (_prevalence_request(YEARS[-1], YEARS[-1]),),
        PREVALENCE,
        {"drug": DRUG, "first": YEARS[-1], "last": YEARS[-1]},
        ("region", "year"),
        PREVALENCE_NUMBERS,
        _prevalence_rows,
    ),
)
#: Covering indexes for the SQLite copy of the seizures: one per question, shared where they coincide.
SQLITE_INDEXES = {
    "ix_group_year": "drug_group, year, headline, kilograms",
    "ix_drug_country_year": "drug, country_iso3, year, country, kilograms",
    "ix_subregion_group_country_drug_year": "subregion, drug_group, country_iso3, drug, year, country, kilograms",
}
