"""Records stores for the table 1.1 comparison and the trafficking flows, built through the real services: the
WDR 2025 table 1.2 workbook and a small individual-seizures file submitted and stepped to published, the lifecycle
keeping the analytics store current (the public, whom the figures, the CLI and the pages serve, sees published data
only)."""

from pathlib import Path

from sqlalchemy import Engine

from observatory.access.policy import Principal, Role
from observatory.demo import initialise
from observatory.reporting.submit import submit_file
from observatory.reporting.workflow import apply_step
from observatory.settings import Settings
from tests.stats.paths import NATIONAL

ADMIN = Principal("root", Role.ADMIN)
#: Four eyes: who approves and publishes is not who uploaded (``ADMIN``).
REVIEWER = Principal("reviewer", Role.ADMIN)
#: Individual seizures as a national focal point would report them: routes by country name, transits separated by
#: ";", a destination sometimes missing, quantities in kg, g, litres and tablets (cocaine in tablets has no
#: conversion factor), two years so that routes can be new or growing.
HEADER = "seizure_date,country,place,drug,quantity,unit,purity,departure_country,transit_countries,destination_country"
SEIZURES = f"""{HEADER},conveyance
2022-02-11,Netherlands,Rotterdam,Cocaine hydrochloride,1200,kg,78,Colombia,Panama,Netherlands,sea
2022-06-03,Netherlands,Rotterdam,Cocaine hydrochloride,850,kg,81,Colombia,Panama,Netherlands,sea
2022-03-19,Spain,Algeciras,Cocaine hydrochloride,300,kg,,Colombia,,Spain,sea
2022-08-27,Belgium,Antwerp,Cocaine hydrochloride,500,kg,,Ecuador,,,sea
2022-10-02,Portugal,Lisbon,Cocaine hydrochloride,12500,g,,Brazil,,Portugal,air
2022-05-14,Bulgaria,Kapitan Andreevo,Heroin,40,kg,,Afghanistan,Iran (Islamic Republic of); Türkiye,Bulgaria,land
2023-01-22,Netherlands,Rotterdam,Cocaine hydrochloride,2000,kg,74,Colombia,Panama,Netherlands,sea
2023-04-09,Netherlands,Rotterdam,Cocaine hydrochloride,640,kg,,Colombia,Panama,Netherlands,sea
2023-07-30,Netherlands,Vlissingen,Cocaine hydrochloride,300,kg,,Colombia,Panama,Netherlands,sea
2023-09-12,Netherlands,Schiphol,Cocaine hydrochloride,40,tablets,,Colombia,Panama,Netherlands,air
2023-02-15,Belgium,Antwerp,Cocaine hydrochloride,900,kg,,Ecuador,,,sea
2023-05-01,Belgium,Antwerp,Cocaine hydrochloride,1100,kg,,Ecuador,,Belgium,sea
2023-11-20,Belgium,Antwerp,Cocaine hydrochloride,75000,g,,Ecuador,,,sea
2023-03-03,United States of America,Laredo,Cocaine hydrochloride,210,kg,,Ecuador,Guatemala; Mexico,USA,land
2023-06-18,Portugal,Lisbon,Cocaine hydrochloride,8,kg,,Brazil,,Portugal,air
2023-08-08,Spain,Madrid,Cocaine hydrochloride,2,kg,,,,Spain,air
2023-02-02,United Kingdom,Felixstowe,Heroin,120,kg,,Afghanistan,Pakistan; United Arab Emirates,United Kingdom,sea
2023-10-10,United Kingdom,Dover,Heroin,60,kg,,Afghanistan,Pakistan; United Arab Emirates,United Kingdom,sea
2023-04-21,United Kingdom,Dover,Ecstasy,25000,tablets,,Netherlands,Belgium,United Kingdom,land
2023-12-01,United Kingdom,Harwich,Ecstasy,12000,tablets,,Netherlands,,United Kingdom,sea
2023-09-30,Spain,Tarifa,Cannabis oil,2,l,,Morocco,,Spain,sea
"""


def publish(engine: Engine, submission_id: int, status: str, analytics: Path) -> None:
    if status == "submitted":
        apply_step(engine, ADMIN, submission_id, "acknowledge", "warnings read", analytics=analytics)
    for action in ("approve", "accept", "publish"):
        apply_step(engine, REVIEWER, submission_id, action, analytics=analytics)


def submitted(engine: Engine, data: bytes, name: str, dataset: str, analytics: Path) -> int:
    result = submit_file(engine, ADMIN, data, name, dataset)
    assert result.status in ("validated", "submitted"), result.report
    publish(engine, result.submission_id, result.status, analytics)
    return result.submission_id


def prepared(folder: Path, database_url: str, *, national: bool = True, seizures: bool = True) -> Settings:
    """Settings of a store holding population, the published table 1.2 and/or the published individual seizures."""
    settings = Settings(var_dir=folder / "var", database_url=database_url)
    engine = initialise(settings)
    try:
        if national:
            submitted(engine, NATIONAL.read_bytes(), NATIONAL.name, "prevalence", settings.analytics_dir)
        if seizures:
            submitted(engine, SEIZURES.encode(), "ids-2022-2023.csv", "individual-seizures", settings.analytics_dir)
    finally:
        engine.dispose()
    return settings
