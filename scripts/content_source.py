"""Write datasets/i18n/content.source.csv: every name translated as content (kind, key, English), from the data set
declarations, the WDR drug groups of table 7.1 and the UNGASS chapters; and add the rows a language's table
lacks to datasets/i18n/content.<lang>.csv, with an empty text for a translator to fill.

    python scripts/content_source.py
"""

import csv
from pathlib import Path

from observatory.reference.content_labels import FOLDER
from observatory.reference.drug_names import drug_hierarchy
from observatory.reporting.declaration import declarations

LANGUAGES = ("ar", "es", "fr", "ru", "zh")
UNGASS = Path(__file__).resolve().parents[1] / "src" / "observatory" / "datasets" / "reference" / "ungass_chapters.csv"


def rows() -> list[tuple[str, str, str]]:
    found: list[tuple[str, str, str]] = []
    for dataset in declarations().values():
        found.append(("dataset", dataset.id, dataset.title))
        found.append(("dataset-description", dataset.id, " ".join(dataset.description.split())))
        found.extend(("field", f"{dataset.id}.{f.id}", f.title) for f in dataset.all_fields())
    groups = sorted({entry.group for entry in drug_hierarchy() if "7.1" in entry.tables})
    found.extend(("drug-group", group, group) for group in groups)
    with UNGASS.open(encoding="utf-8", newline="") as handle:
        found.extend(("ungass-chapter", row["number"], row["title"].capitalize()) for row in csv.DictReader(handle))
    return found


def main() -> None:
    FOLDER.mkdir(exist_ok=True)
    source = rows()
    with (FOLDER / "content.source.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["kind", "key", "english"])
        writer.writerows(source)
    for language in LANGUAGES:
        path = FOLDER / f"content.{language}.csv"
        existing: dict[tuple[str, str], list[str]] = {}
        if path.is_file():
            with path.open(encoding="utf-8", newline="") as handle:
                existing = {(r["kind"], r["key"]): [r["text"], r["source"]] for r in csv.DictReader(handle)}
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(["kind", "key", "english", "text", "source"])
            for kind, key, english in source:
                text, origin = existing.get((kind, key), ["", ""])
                writer.writerow([kind, key, english, text, origin])


if __name__ == "__main__":
    main()
