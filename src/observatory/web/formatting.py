"""How numbers are written on pages (the API returns them unrounded)."""


def format_kilograms(value: float) -> str:
    """Whole kilograms with thousands separators; one decimal below 10 kg so small seizures do not read as 0."""
    if value != 0 and abs(value) < 10:
        return f"{value:,.1f}"
    return f"{value:,.0f}"
