"""The statistics engine: pure functions from inputs to ``Figure``s (METHODS.md §1–4, §7); no database access.

figure             Figure, Constant, Method, Flag, InputRef; ``to_arrow``
survey             prevalence from microdata (weights, strata, PSUs); Kish n_eff and design effect
proportions        Wilson, logit and Korn–Graubard intervals
prevalence_table   national best/low/high prevalence as an Arrow table
imputation         prevalence for countries without an estimate, with percentile ranges
aggregation        subregional, regional and global prevalence and numbers of users
drug_definitions   a table 1.1 drug from national series: the series itself, or the union of its components
published_prevalence WDR table 1.1: its structure and its reading into a tidy table
population_basis   population aged 15–64 (the default), total, or the one table 1.1 implies (derived, flagged)
population_ages    the 15–64 population of places the World Bank series lacks (subregion share, flagged)
wdr_comparison     table 1.1 rebuilt from national estimates, cell by cell beside the published one
comparison_coverage published best values inside our ranges, width ratios, pooled over levels
comparison_reasons why a rebuilt cell differs: year mix, imputation, population basis, …
flows              trafficking routes of individual seizures: graph, top, new and growing routes
multiplier         benchmark–multiplier estimate of high-risk use
capture_recapture  Lincoln–Petersen and Chapman (two sources)
loglinear          three-source log-linear capture–recapture (Poisson IRLS, AIC)
production         opium and coca production; heroin and cocaine; eradication
prices             typical/min/max prices, price per pure gram, retail/wholesale ratio
hiv_coverage       HIV prevention coverage for PWID with WHO/UNODC/UNAIDS levels
treatment_coverage SDG 3.5.1 treatment coverage and its thresholded aggregates
opioid_availability S-DDD per million inhabitants per day; adequacy of consumption
completeness       countries reporting, population covered, share imputed
trends             year-on-year change and compound annual growth with explicit missing years
bands, ranges, inputs, distributions: the shared pieces (banding rules, best/low/high triples, input checks,
quantiles)
"""
