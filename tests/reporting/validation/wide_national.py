"""A national file "written by others": Paraná's municipal seizures of 2024 (``../shared/data``), one row per
municipality and one column per drug and month with the unit in the heading — 38 columns, as India's state-wise
tables are laid out."""

import csv
import io
from pathlib import Path

SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "national_seizures"
DRUGS = ("Cocaina", "Crack", "Maconha")
MONTHS = ("Jan", "Fev", "Mar", "Abr", "Mai", "Jun", "Jul", "Ago", "Set", "Out", "Nov", "Dez")


def parana_wide(rows: int = 60) -> bytes:
    by_place: dict[str, dict[str, str]] = {}
    for drug in DRUGS:
        with (SHARED / f"brazil_pr_{drug}_municipio_mes_2024.csv").open(encoding="utf-8", newline="") as handle:
            for line in list(csv.DictReader(handle))[:rows]:
                place = line[""]
                for month in MONTHS:
                    by_place.setdefault(place, {})[f"{drug}_{month}_Kg"] = line[month].replace(",", ".")
    header = ["Year", "Municipio", *(f"{drug}_{month}_Kg" for drug in DRUGS for month in MONTHS)]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for place, cells in by_place.items():
        writer.writerow(["2024", place, *(cells.get(name, "") for name in header[2:])])
    return out.getvalue().encode("utf-8")
