import json
import subprocess
import sys
from pathlib import Path

import pytest

OBSERVATORY = [sys.executable, "-m", "observatory", "ref"]


def ref(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*OBSERVATORY, *args], input=stdin, capture_output=True, text=True, timeout=120, check=False)


def test_resolve_prints_the_codes_as_json() -> None:
    result = ref("country", "resolve", "Bolivia (Plurinational State of)", "--json")
    assert result.returncode == 0, result.stderr
    (record,) = json.loads(result.stdout)
    assert (record["iso3"], record["m49"], record["unodc_region"], record["unodc_subregion"]) == (
        "BOL",
        "068",
        "Americas",
        "South America",
    )


def test_resolve_reads_names_from_stdin_and_fails_if_any_fails() -> None:
    result = ref("country", "resolve", "-", "--json", stdin="Türkiye\nNarnia\nChina, Hong Kong SAR\n")
    assert result.returncode == 1
    records = json.loads(result.stdout)
    assert [r.get("iso3") for r in records] == ["TUR", None, "HKG"]
    assert "Armenia" in records[1]["error"]["message"]


@pytest.mark.parametrize(
    ("args", "kilograms", "confirmed"),
    [(("1000", "tablets", "--drug", "ecstasy"), 0.1, False), (("3", "l", "--drug", "Heroin"), 3.0, True)],
)
def test_convert(args: tuple[str, ...], kilograms: float, confirmed: bool) -> None:
    result = ref("convert", *args, "--json")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["kilograms"] == pytest.approx(kilograms) and record["confirmed"] is confirmed


def test_convert_with_an_unknown_unit_fails_naming_it() -> None:
    result = ref("convert", "3", "parsecs", "--drug", "Heroin")
    assert result.returncode == 1 and "parsecs" in result.stderr and "Traceback" not in result.stderr


def test_list_reads_the_release_from_the_store(tmp_path: Path) -> None:
    env_run = subprocess.run(
        [*OBSERVATORY, "list", "ungass_chapters", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"OBSERVATORY_VAR_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert env_run.returncode == 0, env_run.stderr
    assert [row["code"] for row in json.loads(env_run.stdout)] == [str(n) for n in range(1, 8)]


def test_substance_find_resolves_a_salt_form() -> None:
    result = ref("substance", "find", "cocaine hydrochloride", "--json")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["preferred_name"] == "Cocaine"
    assert "1961 Single Convention" in {control["regime"] for control in record["controls"]}
