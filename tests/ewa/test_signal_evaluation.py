import json
import math
from datetime import date
from statistics import NormalDist

import numpy as np
import pytest

from observatory.errors import BadInput
from observatory.ewa.signals import METHODS, SCENARIOS, CountSeries, Design, Frequency, Scenario, simulate
from observatory.ewa.signals.evaluation import FULL_SERIES, PUBLISHED, run_evaluation, series_stream
from observatory.ewa.signals.result import Detection, PeriodResult
from observatory.ewa.signals.scoring import Tally, score
from observatory.ewa.signals.simulation import Outbreak, SimulatedSeries, spread_probabilities


def test_default_run_is_json_and_reproducible() -> None:
    report = run_evaluation()
    payload = json.loads(json.dumps(report.to_dict()))
    assert [m["method"] for m in payload["methods"]] == [method.name for method in METHODS]
    assert payload["published"]["false_positive_rate"] == [0.007, 0.599]
    assert payload["series_per_scenario"] == 2 and len(payload["scenarios"]) == 2
    for method in payload["methods"]:
        for measure in ("false_positive_rate", "probability_of_detection", "sensitivity", "pod_first_week"):
            assert method[measure] is None or 0 <= method[measure] <= 1
        assert method["source_confirmed"] is False  # the scenarios are [U]
    assert run_evaluation().to_dict() == report.to_dict()
    assert run_evaluation(seed=7).to_dict() != report.to_dict()
    assert {p["alpha"] for name, p in payload["parameters"].items() if name != "cusum"} == {0.01}


def test_the_numbers_do_not_depend_on_workers_or_on_the_other_scenarios() -> None:
    design = Design(weeks=240, assessed_weeks=10)
    both = run_evaluation(SCENARIOS[:2], n_series=12, design=design, workers=2)
    assert both.to_dict() == run_evaluation(SCENARIOS[:2], n_series=12, design=design).to_dict()
    alone = run_evaluation(SCENARIOS[1:2], n_series=12, design=design)
    assert alone.by_scenario[SCENARIOS[1].name] == both.by_scenario[SCENARIOS[1].name]
    first = series_stream(2013, SCENARIOS[0], 0).integers(0, 1000, 5)
    assert list(first) == list(series_stream(2013, SCENARIOS[0], 0).integers(0, 1000, 5))
    assert list(first) != list(series_stream(2013, SCENARIOS[0], 1).integers(0, 1000, 5))


def test_full_option_runs_every_scenario() -> None:
    report = run_evaluation(n_series=1, full=True, design=Design(weeks=232, assessed_weeks=2))
    assert report.scenarios == SCENARIOS
    assert set(report.by_scenario) == {scenario.name for scenario in SCENARIOS}
    assert FULL_SERIES == 100
    with pytest.raises(BadInput, match="at least one scenario"):
        run_evaluation(n_series=0, full=True)
    with pytest.raises(BadInput, match="one worker"):
        run_evaluation(workers=0)


def test_scoring_counts_weeks_and_outbreaks() -> None:
    series = CountSeries(Frequency.WEEKLY, date(2020, 1, 6), (1,) * 10)
    simulated = SimulatedSeries(SCENARIOS[0], series, (Outbreak(6, (3, 0, 2)), Outbreak(1, (4,))), assessed_from=4)
    alarms = (True, False, False, False, True, False)  # weeks 4 … 9: a false alarm at 4, the outbreak hit at 8
    rows = tuple(PeriodResult(series.period(4 + i), 1, 1.0, 2.0, 0.0, alarm) for i, alarm in enumerate(alarms))
    tally = score(simulated, Detection("test", series.key, {}, True, rows))
    assert tally == Tally(
        non_outbreak_weeks=4, false_alarms=1, outbreak_weeks=2, alarmed_outbreak_weeks=1, outbreaks=1, detected=1,
        detected_first_week=0, delays=(2,),
    )  # fmt: skip
    assert tally.measures() == {
        "false_positive_rate": 0.25,
        "probability_of_detection": 1.0,
        "sensitivity": 0.5,
        "pod_first_week": 0.0,
        "timeliness_weeks": 2.0,
    }


def test_published_range() -> None:
    assert (PUBLISHED.false_positive_rate, PUBLISHED.probability_of_detection) == ((0.007, 0.599), (0.433, 0.887))


def test_spread_is_a_discretised_lognormal() -> None:
    probabilities = spread_probabilities(0.5, 20)
    cdf = [NormalDist().cdf(math.log(d) / 0.5) for d in (1, 2, 3)]
    assert probabilities.sum() == pytest.approx(1)
    assert probabilities[:3] == pytest.approx([cdf[0], cdf[1] - cdf[0], cdf[2] - cdf[1]], rel=1e-6)


def test_scenario_mean_and_negative_binomial_variance() -> None:
    scenario = Scenario("flat", theta=2.0, phi=3.0)
    assert scenario.mean(np.array([1.0, 52.0])) == pytest.approx([np.exp(2.0)] * 2)
    seasonal = SCENARIOS[0]
    assert seasonal.mean(np.array([13.0]))[0] == pytest.approx(np.exp(1.5 + 0.2 * 0 - 0.4 * 1), abs=1e-12)
    simulated = simulate(scenario, Design(baseline_outbreaks=0, current_k=(0, 0)), np.random.default_rng(3))
    counts = np.array(simulated.series.counts, dtype=np.float64)
    assert counts.mean() == pytest.approx(np.exp(2.0), rel=0.1)
    assert counts.var() / counts.mean() == pytest.approx(3.0, rel=0.2)


def test_outbreaks_land_where_the_design_says() -> None:
    design = Design()
    simulated = simulate(SCENARIOS[0], design, np.random.default_rng(11))
    *baseline, current = simulated.outbreaks
    assert len(baseline) == 4
    assert all(o.start + design.spread_max <= design.assessed_from for o in baseline)
    assert design.assessed_from <= current.start < design.weeks
    assert simulated.series.key.substance == "simulated:noufaily-14"


def test_invalid_design_and_scenario() -> None:
    with pytest.raises(BadInput):
        Design(weeks=60, assessed_weeks=49)
    with pytest.raises(BadInput):
        Scenario("bad", theta=1.0, phi=0.5)
