"""Files "written by others", built from the real data in ``../shared/data`` (reshaped, renamed, re-encoded), as
national focal points and re-publishers send them: tests read them, the product never ships them."""

import csv
import io
from collections import defaultdict
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "data"
WDR_71 = SHARED / "unodc_seizures" / "wdr2025_7.1_drug_seizures_2019_2023.xlsx"
WDR_12 = SHARED / "unodc_prevalence" / "wdr2025_1.2_prevalence_general_population_national.xlsx"
COLOMBIA = SHARED / "national_seizures" / "colombia_pn_incautacion_2019.csv"
#: Names re-publishers and older series use, for the names table 7.1 gives today.
OLDER_COUNTRY_NAMES = {"Türkiye": "Turkey", "Eswatini": "Swaziland", "Côte d’Ivoire": "Ivory Coast"}
OLDER_DRUG_NAMES = {"Cannabis herb (marijuana)": "Herbal cannabis"}
UNODC_HEADER = ["Region", "country", "ISO Code", "Drug Group", "Drug", "Year", "KG Equivalent"]


def wdr_71_rows() -> list[list[Any]]:
    return CalamineWorkbook.from_path(str(WDR_71)).get_sheet_by_name("Seizures").to_python()[2:]


def unodc_series_csv() -> bytes:
    """Table 7.1 re-published as dataUNODC does: other column names, no sub-group, literal NULL markers (every 40th
    quantity and every 50th code), older country and drug names, and historical states in earlier years."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(UNODC_HEADER)
    for number, (region, _, country, group, _, drug, year, kilograms, code) in enumerate(wdr_71_rows()):
        quantity = "NULL" if number % 40 == 0 or kilograms == "" else kilograms
        writer.writerow(
            [
                region,
                OLDER_COUNTRY_NAMES.get(str(country), country),
                "NULL" if number % 50 == 0 else code,
                group,
                OLDER_DRUG_NAMES.get(str(drug), drug),
                int(float(str(year))),
                quantity,
            ]
        )
    writer.writerow(
        [
            "Europe",
            "German Democratic Republic",
            "DDR",
            "Cannabis-type drugs (excluding synthetic cannabinoids)",
            "Herbal cannabis",
            1989,
            12.5,
        ]
    )
    writer.writerow(["Europe", "Serbia and Montenegro", "SCG", "Opioids", "Heroin", 2004, 120.0])
    writer.writerow(["Europe", "Serbia and Montenegro", "NULL", "Opioids", "Heroin", 1990, 3.5])
    return out.getvalue().encode("utf-8")


def colombia_departments_wide(year: int = 2019, total_row: bool = True) -> bytes:
    """The Colombian police's seizures of January-April 2019, one row per department and one column per drug with
    the unit in the heading (as India's state-wise tables are laid out), quantities in kilograms, heroin in grams,
    and a national total row."""
    kilograms: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    with COLOMBIA.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            department, drug = row["DEPTO_HECHO"], row["CLASE_BIEN"]
            if not department or drug == "TOTAL":
                continue
            grams = float(row["Droga Incautada/ Cantidad"].replace(",", ""))
            kilograms[department][drug] += grams / 1000
    drugs = ["MARIHUANA", "BASUCO", "COCAINA", "BASE DE COCA"]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Year", "Departamento", *(f"{drug.title().replace(' ', '_')}_Kg" for drug in drugs), "Heroina_g"])
    totals: defaultdict[str, float] = defaultdict(float)
    for department in sorted(kilograms):
        values = [round(kilograms[department][drug], 3) for drug in drugs]
        heroin = round(kilograms[department]["HEROINA"] * 1000, 1)
        for drug, value in zip([*drugs, "HEROINA"], [*values, heroin / 1000], strict=True):
            totals[drug] += value
        writer.writerow([year, department, *(value or "" for value in values), heroin or ""])
    if total_row:
        writer.writerow(
            [year, "TOTAL", *(round(totals[drug], 3) for drug in drugs), round(totals["HEROINA"] * 1000, 1)]
        )
    return out.getvalue().encode("utf-8")


def header_on_row_4(data_rows: int = 60) -> bytes:
    """Table 7.1 as an annex sheet with two more title lines above its header (header on row 4), as CSV."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["World Drug Report 2025 - Statistical annex"])
    writer.writerow(["Drug seizures, 2019-2023"])
    writer.writerow(["Source: UNODC, responses to the annual report questionnaire"])
    writer.writerow(
        [
            "Region",
            "SubRegion",
            "Country",
            "DrugGroup",
            "DrugSubGroup",
            "DrugName",
            "Reference year",
            "Kilograms",
            "msCode",
        ]
    )
    for row in wdr_71_rows()[:data_rows]:
        writer.writerow([int(float(str(c))) if i == 6 else c for i, c in enumerate(row)])
    return out.getvalue().encode("utf-8")
