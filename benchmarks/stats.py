"""Pure statistics for the benchmark charts: per-group summaries and overhead vs bare metal.

Standard library only, so the numbers can be checked by hand and do not depend on Django.
Every bootstrap uses its own ``random.Random(seed)``: the same input and seed always give
the same interval, so pages and tests are reproducible.

The interval of a median is the distribution-free order-statistic one, [X(k), X(n+1-k)]
with the largest k whose exact binomial coverage reaches 95%; it reaches 95% only from n = 6
(n = 5: [min, max] covers 93.75%, n = 3: 75%), and every interval carries its actual
coverage so a page can say so. Intervals of ratios (overhead vs bare metal) are bootstrapped.
Bootstrap intervals use the percentile method: the resampled statistics are sorted and the
bounds are taken at index ``floor((resamples - 1) * p)`` for ``p = (1 - level) / 2`` and
``p = 1 - (1 - level) / 2`` (for the defaults: indices 49 and 1949 of 2000).
"""

import functools
import math
import random
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

# Below this many runs per group a spread or an interval says nothing useful.
MIN_RUNS = 3
CI_LEVEL = 0.95
# The smallest n whose order-statistic interval of the median reaches 95% ([min, max]).
MIN_RUNS_FOR_95 = 6
DEFAULT_RESAMPLES = 2000
DEFAULT_SEED = 20261126
BETTER = ("higher", "lower")


@dataclass(frozen=True)
class Summary:
    n: int
    median: float
    mean: float
    stddev: float | None  # sample standard deviation; None when n < 2
    q1: float  # quartiles by statistics.quantiles(method="inclusive"); q1 = q3 = value if n == 1
    q3: float
    iqr: float
    minimum: float
    maximum: float
    ci_low: float | None  # order-statistic interval of the median; None when n < 3
    ci_high: float | None
    thin: bool  # n < 3: too few runs to conclude anything
    ci_coverage: float | None = None  # the interval's actual coverage (exact binomial)

    @property
    def ci_reaches_95(self) -> bool:
        """Below n = 6 the widest interval, [min, max], covers the median less than 95% of
        the time (n = 5: 93.75%, n = 3: 75%): show it as a range, not as a 95% interval."""
        return self.ci_coverage is not None and self.ci_coverage >= CI_LEVEL - 1e-9


@dataclass(frozen=True)
class Overhead:
    relative: float  # platform performance as a fraction of bare metal; 1.0 = the same
    ci_low: float  # 95% bootstrap interval of that ratio
    ci_high: float
    n_platform: int
    n_baseline: int

    @property
    def ci_reaches_95(self) -> bool:
        """The bootstrap interval of a ratio is no better than its groups' intervals: below
        MIN_RUNS_FOR_95 runs on either side it is a range, not a 95% interval."""
        return min(self.n_platform, self.n_baseline) >= MIN_RUNS_FOR_95


def _finite(values: Sequence[float]) -> list[float]:
    """The values as floats; ValueError if any is NaN or infinite."""
    data = list(values)
    # math.isfinite also rejects strings (TypeError) instead of float() parsing them.
    if not all(math.isfinite(value) for value in data):
        raise ValueError("values must be finite numbers (no NaN or infinity)")
    return [float(value) for value in data]


def _checked(values: Sequence[float]) -> list[float]:
    """Like _finite, and ValueError if there are no values at all."""
    data = _finite(values)
    if not data:
        raise ValueError("no values to summarize")
    return data


def _check_bootstrap(resamples: int, level: float) -> None:
    if resamples < 1:
        raise ValueError(f"resamples must be at least 1, got {resamples}")
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, got {level}")


def _percentile_interval(estimates: list[float], level: float) -> tuple[float, float]:
    """Percentile-method bounds of bootstrap estimates (index floor((resamples - 1) * p))."""
    ordered = sorted(estimates)
    tail = (1 - level) / 2
    last = len(ordered) - 1
    # The epsilon absorbs float error in p, so 40 * 0.975 picks index 39, not 38.
    low, high = (math.floor(last * p + 1e-9) for p in (tail, 1 - tail))
    return ordered[low], ordered[high]


def _resampled_median(rng: random.Random, data: list[float]) -> float:
    """Median of one resample with replacement; same value as statistics.median."""
    # rng.choices is a single call per resample and sorting in place skips statistics.median's
    # copy: together they keep 2000 resamples of 1000 values well under a second.
    sample = rng.choices(data, k=len(data))
    sample.sort()
    middle = len(sample) // 2
    if len(sample) % 2:
        return sample[middle]
    return (sample[middle - 1] + sample[middle]) / 2


def bootstrap_median_ci(
    values: Sequence[float],
    *,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    level: float = 0.95,
) -> tuple[float, float]:
    """Percentile bootstrap interval of the median, reproducible for a given seed."""
    data = _checked(values)
    _check_bootstrap(resamples, level)
    rng = random.Random(seed)
    medians = [_resampled_median(rng, data) for _ in range(resamples)]
    return _percentile_interval(medians, level)


# Above this many runs the bootstrap costs more than it tells: the median's interval comes
# from order statistics instead (distribution-free, normal approximation of the binomial).
LARGE_N = 1000


def rank_coverage(n: int, low_rank: int) -> float:
    """Probability that [X(k), X(n+1-k)] of n values holds the true median: the number of
    values below it is Binomial(n, 1/2), and must be at least k and at most n - k.
    Exact (integer arithmetic) up to LARGE_N, the normal approximation above."""
    if n > LARGE_N:
        normal = statistics.NormalDist(n / 2, math.sqrt(n) / 2)
        return normal.cdf(n - low_rank + 0.5) - normal.cdf(low_rank - 0.5)
    tail = sum(math.comb(n, i) for i in range(low_rank))
    return 1 - 2 * tail / 2**n


@functools.cache
def median_ci_low_rank(n: int, level: float = CI_LEVEL) -> int:
    """Rank k of the narrowest symmetric interval [X(k), X(n+1-k)] whose coverage reaches
    `level`; 1 (the whole range, which then falls short) when none does (n < 6 for 95%)."""
    if n > LARGE_N:
        z = statistics.NormalDist().inv_cdf(0.5 + level / 2)
        return max(1, math.floor(n / 2 - z * math.sqrt(n) / 2))
    # rank_coverage(n, k + 1) for k = 1, 2, …, its binomial tail kept as it grows (C(n, k)
    # from C(n, k - 1)): the same integers and the same division, so the same coverage, in
    # time linear in n, not quadratic (the SQL path asks for every n up to LARGE_N at once).
    k, term, tail = 1, n, 1 + n  # term = C(n, k), tail = C(n, 0) + … + C(n, k)
    while k + 1 <= (n + 1) // 2 and 1 - 2 * tail / 2**n >= level:
        k += 1
        term = term * (n - k + 1) // k
        tail += term
    return k


def order_statistic_median_ci(
    values: Sequence[float], level: float = CI_LEVEL
) -> tuple[float, float]:
    """Distribution-free interval of the median from the sorted values' ranks."""
    data = sorted(_checked(values))
    k = median_ci_low_rank(len(data), level)
    return data[k - 1], data[len(data) - k]


def median_ci(values: Sequence[float]) -> tuple[float, float, float]:
    """(low, high, actual coverage) of the order-statistic interval of the median."""
    k = median_ci_low_rank(len(values))
    return (*order_statistic_median_ci(values), rank_coverage(len(values), k))


def summarize(
    values: Sequence[float], *, resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED
) -> Summary:
    """Median, mean, spread and the order-statistic interval of the median (with its actual
    coverage) for one group of runs. `resamples` and `seed` are kept for callers; the
    median's interval needs no resampling."""
    data = _checked(values)
    n = len(data)
    if n >= 2:
        q1, _median, q3 = statistics.quantiles(data, n=4, method="inclusive")
    else:
        q1 = q3 = data[0]
    ci_low = ci_high = coverage = None
    if n >= MIN_RUNS:
        ci_low, ci_high, coverage = median_ci(data)
    return Summary(
        n=n,
        median=statistics.median(data),
        mean=statistics.mean(data),
        stddev=statistics.stdev(data) if n >= 2 else None,
        q1=q1,
        q3=q3,
        iqr=q3 - q1,
        minimum=min(data),
        maximum=max(data),
        ci_low=ci_low,
        ci_high=ci_high,
        thin=n < MIN_RUNS,
        ci_coverage=coverage,
    )


def ratio(platform_median: float, baseline_median: float, better: str) -> float:
    """Platform performance relative to the baseline; inf when the denominator is 0."""
    numerator, denominator = (
        (platform_median, baseline_median)
        if better == "higher"
        else (baseline_median, platform_median)
    )
    # Only reachable inside the bootstrap (a resample of a group with zeros): the ratio is
    # unbounded there, so it counts towards the top of the interval.
    return numerator / denominator if denominator else math.inf


def overhead(
    platform: Sequence[float],
    baseline: Sequence[float],
    *,
    better: str,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> Overhead | None:
    """Platform vs bare-metal ratio of medians with a bootstrap interval; None if too thin."""
    if better not in BETTER:
        raise ValueError(f"better must be 'higher' or 'lower', got {better!r}")
    _check_bootstrap(resamples, 0.95)
    plat, base = _finite(platform), _finite(baseline)
    # A ratio of performance figures only means something for non-negative measurements.
    if any(value < 0 for value in plat + base):
        raise ValueError("overhead needs non-negative values")
    if len(plat) < MIN_RUNS or len(base) < MIN_RUNS:
        return None
    plat_median, base_median = statistics.median(plat), statistics.median(base)
    if plat_median == 0 or base_median == 0:
        return None
    if len(plat) > LARGE_N and len(base) > LARGE_N:
        return overhead_from_intervals(
            (plat_median, *order_statistic_median_ci(plat), len(plat)),
            (base_median, *order_statistic_median_ci(base), len(base)),
            better=better,
        )
    else:
        rng = random.Random(seed)
        ratios = [
            ratio(_resampled_median(rng, plat), _resampled_median(rng, base), better)
            for _ in range(resamples)
        ]
        ci_low, ci_high = _percentile_interval(ratios, 0.95)
    return Overhead(
        relative=ratio(plat_median, base_median, better),
        ci_low=ci_low,
        ci_high=ci_high,
        n_platform=len(plat),
        n_baseline=len(base),
    )


def overhead_from_intervals(
    platform: tuple[float, float, float, int],
    baseline: tuple[float, float, float, int],
    *,
    better: str,
) -> Overhead | None:
    """Ratio of medians from (median, ci_low, ci_high, n) of each group, for data summarized
    elsewhere (SQL). Conservative interval: the ratio of the two intervals, ends crossed."""
    p_median, p_low, p_high, n_p = platform
    b_median, b_low, b_high, n_b = baseline
    if n_p < MIN_RUNS or n_b < MIN_RUNS or p_median == 0 or b_median == 0:
        return None
    ends = [ratio(p_low, b_high, better), ratio(p_high, b_low, better)]
    return Overhead(
        relative=ratio(p_median, b_median, better),
        ci_low=min(ends),
        ci_high=max(ends),
        n_platform=n_p,
        n_baseline=n_b,
    )


def _percent(fraction: float) -> str:
    return "∞" if math.isinf(fraction) else f"{fraction * 100:.1f}"


def describe_overhead(
    platform_name: str, result: Overhead | None, *, n_needed: int = MIN_RUNS
) -> str:
    """One sentence for the chart caption."""
    if result is None:
        return _(
            "Too few runs to compare %(platform)s with bare metal on this host "
            "(need at least %(needed)s of each)."
        ) % {"platform": platform_name, "needed": n_needed}
    figures = {
        "platform": platform_name,
        "relative": _percent(result.relative),
        "low": _percent(result.ci_low),
        "high": _percent(result.ci_high),
        "n": result.n_platform,
        "n_base": result.n_baseline,
    }
    if not result.ci_reaches_95:
        return (
            _(
                "%(platform)s reaches %(relative)s%% of bare metal on this host (range of "
                "resampled ratios %(low)s–%(high)s; n=%(n)s vs %(n_base)s bare-metal runs is too "
                "few for a 95%% interval)."
            )
            % figures
        )
    return (
        _(
            "%(platform)s reaches %(relative)s%% of bare metal [%(low)s, %(high)s] on this host, "
            "n=%(n)s vs %(n_base)s bare-metal runs."
        )
        % figures
    )
