"""Data files shipped with the package: the demo data and the reference vocabularies."""

from pathlib import Path

DATASETS = Path(__file__).parent
DEMO_SEIZURES = DATASETS / "demo" / "wdr2025_7.1_drug_seizures_2019_2023.xlsx"
#: The demo's files, each with the data set and layout it is submitted as (``demo.run_demo``).
DEMO_ANNEX = DATASETS / "demo" / "annex.csv"
POPULATION = DATASETS / "reference" / "worldbank_population_1960_2023.csv"
M49_OVERVIEW = DATASETS / "reference" / "unsd_m49_overview.csv"
TERRITORIES_OUTSIDE_M49 = DATASETS / "reference" / "territories_outside_m49.csv"
