"""Survey prevalence: Hájek proportion, Kish n_eff and deff, linearised variance over strata and PSUs."""

import math
from collections.abc import Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from observatory.errors import BadInput
from observatory.stats.survey import Interval, Variance, kish_design_effect, kish_effective_n, survey_proportion

T_2_975 = 4.302652729749462  # R qt(0.975, 2)
# Two strata of two PSUs; p̂ = 0.5; PSU totals of w(y − p̂)/Σw: (0, 0.125 | −0.125, 0) → Var = 2 × 2 × 2 × 0.0625²
Y = (1, 0, 1, 0, 0, 1)
W = (1, 1, 2, 2, 1, 1)
STRATA = ("a", "a", "a", "b", "b", "b")
PSUS = (1, 1, 2, 3, 4, 4)


def expit(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def test_design_variance_and_degrees_of_freedom_by_hand() -> None:
    result = survey_proportion(Y, W, strata=STRATA, psus=PSUS, interval=Interval.LOGIT)
    assert (result.estimate.value, result.degrees_of_freedom) == (0.5, 2)
    assert result.variance == pytest.approx(0.03125)
    half = T_2_975 * math.sqrt(0.03125) / 0.25
    assert (result.estimate.low, result.estimate.high) == pytest.approx((expit(-half), expit(half)), abs=1e-12)
    assert result.estimate.method.id == "survey-proportion/logit/design"


def test_psu_labels_are_read_within_strata() -> None:
    relabelled = survey_proportion(Y, W, strata=STRATA, psus=(1, 1, 2, 1, 2, 2))
    assert relabelled.variance == pytest.approx(0.03125)


def test_without_psus_each_respondent_is_one_and_equal_weights_give_p_q_over_n_minus_1() -> None:
    result = survey_proportion((1, 1, 0, 0, 0), (3, 3, 3, 3, 3))
    assert (result.variance, result.degrees_of_freedom) == pytest.approx((0.24 / 4, 4))
    assert (result.kish_effective_n, result.kish_design_effect) == pytest.approx((5, 1))


def test_kish_variance_uses_normal_quantiles_and_no_degrees_of_freedom() -> None:
    result = survey_proportion((1, 0, 1, 0), (1, 2, 3, 4), variance=Variance.KISH)
    assert result.variance == pytest.approx(0.24 / (10 / 3))
    assert result.degrees_of_freedom is None


def test_zero_variance_falls_back_to_kish_and_says_so() -> None:
    result = survey_proportion((0, 0, 0, 0), (1, 2, 3, 4), interval=Interval.KORN_GRAUBARD)
    assert (result.estimate.value, result.estimate.low) == (0.0, 0.0)
    assert result.estimate.high is not None and 0 < result.estimate.high < 1
    assert "degenerate-variance" in result.estimate.flag_codes


@pytest.mark.parametrize(
    ("y", "w", "extra", "problem"),
    [
        ((1, 0), (0, 0), {}, "sum to zero"),
        ((), (), {}, "no respondents"),
        ((1, 2), (1, 1), {}, "0 or 1"),
        ((1, math.nan), (1, 1), {}, "0 or 1"),
        ((1, 0), (1, -1), {}, "weight 1"),
        ((1, 0), (1, math.inf), {}, "weight 1"),
        ((1, 0), (1,), {}, "weights has 1 entries for 2"),
        ((1, 0), (1, 1), {"strata": ("a",)}, "strata has 1"),
        ((1, 0, 1), (1, 1, 1), {"strata": ("a", "a", "b")}, "stratum 'b' has a single PSU"),
        ((1, 0), (1, 1), {"confidence": 95}, "confidence"),
        ((0, 0), (1, 1), {"interval": Interval.LOGIT}, "undefined at p̂ = 0"),
    ],
)
def test_refusals(y: Sequence[float], w: Sequence[float], extra: dict[str, object], problem: str) -> None:
    with pytest.raises(BadInput, match=problem):
        survey_proportion(y, w, **extra)  # type: ignore[arg-type]


def test_kish_helpers_refuse_zero_weight_sums() -> None:
    with pytest.raises(BadInput, match="sum to zero"):
        kish_effective_n([0, 0])


respondents = st.lists(
    st.tuples(st.integers(0, 1), st.floats(min_value=0.01, max_value=1000), st.integers(0, 2)), min_size=8, max_size=60
).filter(
    lambda rows: len({r[0] for r in rows}) == 2 and all(sum(r[2] == s for r in rows) >= 2 for s in {r[2] for r in rows})
)


@given(
    respondents,
    st.floats(min_value=0.001, max_value=1000),
    st.sampled_from(list(Interval)),
    st.sampled_from(list(Variance)),
)
def test_scaling_all_weights_changes_nothing(
    rows: list[tuple[int, float, int]], factor: float, interval: Interval, variance: Variance
) -> None:
    y, w, strata = [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]
    base = survey_proportion(y, w, strata=strata, interval=interval, variance=variance).estimate
    scaled = survey_proportion(y, [x * factor for x in w], strata=strata, interval=interval, variance=variance).estimate
    assert (scaled.value, scaled.low, scaled.high) == pytest.approx(
        (base.value, base.low, base.high), rel=1e-9, abs=1e-12
    )


@given(respondents)
def test_order_of_respondents_does_not_matter_and_deff_is_at_least_1(rows: list[tuple[int, float, int]]) -> None:
    y, w, strata = [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]
    forward = survey_proportion(y, w, strata=strata)
    backward = survey_proportion(y[::-1], w[::-1], strata=strata[::-1])
    assert forward.estimate.value == pytest.approx(backward.estimate.value)
    assert forward.variance == pytest.approx(backward.variance)
    assert kish_design_effect(w) >= 1 - 1e-12
