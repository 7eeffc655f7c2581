"""Checks each file of a folder in this process and prints, as JSON, the codes each gave, the resident memory the
check added at its peak and the seconds it took: ``python -m tests.reporting.budget_probe FOLDER``.

The folder holds the files and ``cases.json`` (``[{"id", "name", "dataset"}]``). The peak is measured by resetting
Linux's high-water mark (``/proc/self/clear_refs``) before each file, once the vocabularies are loaded and the memory
an earlier file freed is given back (``malloc_trim``), so that a file cannot reuse it unseen.
"""

import ctypes
import gc
import json
import sys
import time
from pathlib import Path

from observatory.reporting.declaration import declaration
from observatory.reporting.readers import NoReaderFound
from observatory.reporting.validation import check_file

WARM = b"country,drug_group,drug_subgroup,drug,year,kilograms\nKenya,Cocaine-type,Cocaine,Cocaine,2023,12.5\n"


def kilobytes(field: str) -> int:
    line = next(line for line in Path("/proc/self/status").read_text().splitlines() if line.startswith(field))
    return int(line.split()[1])


def probe(folder: Path) -> dict[str, dict[str, object]]:
    check_file(WARM, "warm.csv", declaration("annual-seizures"))
    libc = ctypes.CDLL("libc.so.6")
    results: dict[str, dict[str, object]] = {}
    for case in json.loads((folder / "cases.json").read_text()):
        data = (folder / case["id"]).read_bytes()
        gc.collect()
        libc.malloc_trim(0)
        Path("/proc/self/clear_refs").write_text("5")
        before, start = kilobytes("VmRSS:"), time.perf_counter()
        try:
            report = check_file(data, case["name"], declaration(case["dataset"])).report
            codes = [problem.code for problem in report.problems]
        except NoReaderFound as exc:
            codes = [exc.code]
        seconds = time.perf_counter() - start
        results[case["id"]] = {"codes": codes, "mb": (kilobytes("VmHWM:") - before) / 1024, "seconds": seconds}
    return results


if __name__ == "__main__":
    json.dump(probe(Path(sys.argv[1])), sys.stdout)
