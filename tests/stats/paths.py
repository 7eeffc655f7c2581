"""Where the shared WDR annex files are (tests may read them; the product never does)."""

from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
NATIONAL = SHARED / "unodc_prevalence" / "wdr2025_1.2_prevalence_general_population_national.xlsx"
PUBLISHED = SHARED / "unodc_prevalence" / "wdr2025_1.1_prevalence_global_regional_2023.xlsx"
