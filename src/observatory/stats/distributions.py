"""Quantiles of the normal, Student t, beta and chi-squared distributions (scipy.special underneath)."""

from statistics import NormalDist

import scipy.special

from observatory.stats.inputs import computed


def normal_quantile(probability: float) -> float:
    return NormalDist().inv_cdf(probability)


def two_sided_normal(confidence: float) -> float:
    """z such that N(0, 1) puts ``confidence`` between −z and z (1.959964 for 0.95)."""
    return normal_quantile(0.5 + confidence / 2)


def t_quantile(probability: float, degrees_of_freedom: float) -> float:
    return computed("t quantile", float(scipy.special.stdtrit(degrees_of_freedom, probability)))


def two_sided_t(confidence: float, degrees_of_freedom: float) -> float:
    return t_quantile(0.5 + confidence / 2, degrees_of_freedom)


def beta_quantile(probability: float, a: float, b: float) -> float:
    return computed("beta quantile", float(scipy.special.betaincinv(a, b, probability)))


def chi2_quantile(probability: float, degrees_of_freedom: float) -> float:
    return computed("chi-squared quantile", 2 * float(scipy.special.gammaincinv(degrees_of_freedom / 2, probability)))
