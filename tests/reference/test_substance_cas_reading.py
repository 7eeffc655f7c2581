"""CAS numbers read from the free text of the sources' CAS columns."""

import pytest

from observatory.reference.substances.cas_reading import CasReading, read_cas_numbers, repair_cas


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("50-37-3", CasReading(cas=("50-37-3",))),
        ("15588-95-1 (base)", CasReading(cas=("15588-95-1",))),
        ("Base: 50-37-3", CasReading(cas=("50-37-3",))),
        ("Free acid: 50-06-6", CasReading(cas=("50-06-6",))),
        ("Hydrochloride: 16015-69-3", CasReading(related=("16015-69-3",))),
        ("1823776-22-2 (HCl)", CasReading(related=("1823776-22-2",))),
        ("Sodium: 502-85-2", CasReading(related=("502-85-2",))),
        ("Base: 919797-19-6 HCl: 1043868-97-8", CasReading(cas=("919797-19-6",), related=("1043868-97-8",))),
        ("2972185-69-4(盐酸盐)", CasReading(related=("2972185-69-4",))),
        (
            "5650-44-2 (右旋体)，49656-78-2(右旋体盐酸盐)",
            CasReading(related=("5650-44-2", "49656-78-2")),
        ),
        ("8063-14-7 6465-30-1", CasReading(cas=("8063-14-7", "6465-30-1"))),
        ("27203-92-5 and 22204-88-2", CasReading(cas=("27203-92-5", "22204-88-2"))),
        ("54-04--6", CasReading(cas=("54-04-6",), repaired=(("54-04--6", "54-04-6"),))),
        ("83631-79.2 (base)", CasReading(cas=("83631-79-2",), repaired=(("83631-79.2", "83631-79-2"),))),
        ("72242-03-06", CasReading(cas=("72242-03-6",), repaired=(("72242-03-06", "72242-03-6"),))),
        ("33887-0-4", CasReading(malformed=("33887-0-4",))),
        ("Base: 66142-81", CasReading(malformed=("66142-81",))),
        ("7-432-25-9", CasReading(malformed=("7-432-25-9",))),
        ("50-37-4", CasReading(malformed=("50-37-4",))),
        ("Not Available", CasReading()),
        ("N/A", CasReading()),
        ("暂无", CasReading()),
        ("", CasReading()),
        (None, CasReading()),
    ],
)
def test_read_cas_numbers(text: str | None, expected: CasReading) -> None:
    assert read_cas_numbers(text) == expected


def test_a_number_labelled_with_another_name_is_related() -> None:
    reading = read_cas_numbers("1246815-51-9 (2-MMC), 1246816-62-5 (3-MMC), and", ["3-MMC", "Methylmethcathinone"])
    assert reading == CasReading(cas=("1246816-62-5",), related=("1246815-51-9",))


@pytest.mark.parametrize(
    ("written", "repaired"),
    [("72242-03-06", "72242-03-6"), ("54-04--6", "54-04-6"), ("33887-0-4", None), ("72242-03-07", None)],
)
def test_repair_cas_only_when_the_check_digit_agrees(written: str, repaired: str | None) -> None:
    assert repair_cas(written) == repaired
