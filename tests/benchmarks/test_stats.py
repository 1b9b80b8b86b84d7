"""benchmarks.stats: summaries, bootstrap intervals and overhead against bare metal.

numpy is not installed in this environment, so expected values come from hand computation
and from the standard library's statistics module.
"""

import math
import random
import statistics

import pytest

from benchmarks import stats
from benchmarks.stats import (
    Overhead,
    Summary,
    bootstrap_median_ci,
    describe_overhead,
    overhead,
    summarize,
)

SIZES = [3, 4, 7, 10, 51, 200]


def random_sample(seed: int, n: int) -> list[float]:
    rng = random.Random(seed)
    return [rng.lognormvariate(4, 0.3) for _ in range(n)]


# --- summarize: hand-computed values ---------------------------------------------------------


def test_summary_of_one_to_four_matches_hand_computation():
    summary = summarize([4, 1, 3, 2])

    assert summary.n == 4
    assert summary.median == 2.5
    assert summary.mean == 2.5
    # Sample variance: (2.25 + 0.25 + 0.25 + 2.25) / 3 = 5/3.
    assert summary.stddev == pytest.approx(math.sqrt(5 / 3))
    # Inclusive quartiles: positions 1 + 0.25 * 3 = 1.75 and 1 + 0.75 * 3 = 3.25.
    assert (summary.q1, summary.q3, summary.iqr) == (1.75, 3.25, 1.5)
    assert (summary.minimum, summary.maximum) == (1.0, 4.0)
    assert summary.thin is False


def test_summary_of_odd_sample_matches_hand_computation():
    summary = summarize([10, 20, 30, 40, 50])

    assert summary.median == 30
    assert summary.mean == 30
    # Sample variance: (400 + 100 + 0 + 100 + 400) / 4 = 250.
    assert summary.stddev == pytest.approx(math.sqrt(250))
    assert (summary.q1, summary.q3, summary.iqr) == (20, 40, 20)


def test_summary_values_are_floats_even_for_integer_input():
    summary = summarize([1, 2, 3])

    assert all(
        isinstance(value, float)
        for value in (summary.median, summary.mean, summary.q1, summary.q3, summary.minimum)
    )


def test_summary_of_one_value_has_no_stddev_and_flat_quartiles():
    summary = summarize([7.5])

    assert summary.stddev is None
    assert (summary.median, summary.mean) == (7.5, 7.5)
    assert (summary.q1, summary.q3, summary.iqr) == (7.5, 7.5, 0)
    assert (summary.minimum, summary.maximum) == (7.5, 7.5)


def test_summary_is_a_frozen_dataclass():
    summary = summarize([1, 2, 3])

    assert isinstance(summary, Summary)
    with pytest.raises(AttributeError):
        summary.median = 0


# --- summarize: agreement with the statistics module -----------------------------------------


@pytest.mark.parametrize("n", SIZES)
def test_summary_equals_statistics_module_on_random_data(n):
    values = random_sample(seed=n, n=n)

    summary = summarize(values)

    q1, _, q3 = statistics.quantiles(values, n=4, method="inclusive")
    assert summary.n == n
    assert summary.median == statistics.median(values)
    assert summary.mean == statistics.mean(values)
    assert summary.stddev == statistics.stdev(values)
    assert (summary.q1, summary.q3) == (q1, q3)
    assert summary.iqr == q3 - q1
    assert (summary.minimum, summary.maximum) == (min(values), max(values))


# --- thin data --------------------------------------------------------------------------------


@pytest.mark.parametrize("values", [[5.0], [5.0, 6.0]])
def test_fewer_than_three_values_are_thin_without_interval(values):
    summary = summarize(values)

    assert summary.thin is True
    assert (summary.ci_low, summary.ci_high) == (None, None)


def test_three_values_are_not_thin_and_have_interval():
    summary = summarize([5.0, 6.0, 7.0])

    assert summary.thin is False
    assert summary.ci_low is not None
    assert summary.ci_high is not None


@pytest.mark.parametrize(("platform", "baseline"), [([1, 2], [1, 2, 3]), ([1, 2, 3], [1, 2])])
def test_overhead_is_none_when_a_group_has_fewer_than_three_runs(platform, baseline):
    assert overhead(platform, baseline, better="higher") is None


def test_overhead_is_none_when_a_group_is_empty():
    assert overhead([], [1, 2, 3], better="lower") is None


@pytest.mark.parametrize("better", ["higher", "lower"])
@pytest.mark.parametrize(("platform", "baseline"), [([0, 0, 1], [1, 2, 3]), ([1, 2, 3], [0, 0, 0])])
def test_overhead_is_none_when_a_median_is_zero(platform, baseline, better):
    assert overhead(platform, baseline, better=better) is None


# --- bootstrap ----------------------------------------------------------------------------------


def test_bootstrap_with_same_seed_gives_identical_interval():
    values = random_sample(seed=1, n=40)

    first = bootstrap_median_ci(values, resamples=2000, seed=7)
    second = bootstrap_median_ci(values, resamples=2000, seed=7)

    assert first == second


def test_summarize_with_same_seed_gives_identical_summary():
    values = random_sample(seed=2, n=40)

    assert summarize(values, seed=11) == summarize(values, seed=11)


def test_bootstrap_with_other_seed_gives_other_interval():
    values = random_sample(seed=3, n=40)

    assert bootstrap_median_ci(values, resamples=2000, seed=1) != bootstrap_median_ci(
        values, resamples=2000, seed=2
    )


def test_summarize_uses_the_order_statistic_interval_of_the_median():
    # The bootstrap interval of a median is poor for small n; the exact order-statistic
    # interval has a known coverage, which the pages print.
    values = random_sample(seed=4, n=25)

    summary = summarize(values, resamples=500, seed=9)

    assert (summary.ci_low, summary.ci_high) == stats.order_statistic_median_ci(values)
    assert summary.ci_coverage >= 0.95


def test_bootstrap_bounds_are_order_statistics_at_documented_indices():
    values = random_sample(seed=5, n=15)
    rng = random.Random(3)
    medians = sorted(statistics.median(rng.choices(values, k=15)) for _ in range(1000))

    interval = bootstrap_median_ci(values, resamples=1000, seed=3)

    # floor(999 * 0.025) = 24 and floor(999 * 0.975) = 974.
    assert interval == (medians[24], medians[974])


@pytest.mark.parametrize("n", SIZES)
def test_bootstrap_interval_contains_the_median(n):
    values = random_sample(seed=100 + n, n=n)

    low, high = bootstrap_median_ci(values, resamples=2000, seed=n)

    assert low <= statistics.median(values) <= high


def test_bootstrap_interval_narrows_as_n_grows():
    widths = []
    for n in (10, 100, 1000):
        low, high = bootstrap_median_ci(random_sample(seed=6, n=n), resamples=2000, seed=6)
        widths.append(high - low)

    assert widths[0] > widths[1] > widths[2]


def test_bootstrap_of_constant_values_is_that_value():
    assert bootstrap_median_ci([4.0] * 10, resamples=100, seed=1) == (4.0, 4.0)


def test_wider_level_gives_wider_interval():
    values = random_sample(seed=8, n=50)

    low95, high95 = bootstrap_median_ci(values, resamples=2000, seed=1, level=0.95)
    low50, high50 = bootstrap_median_ci(values, resamples=2000, seed=1, level=0.5)

    assert low95 <= low50 <= high50 <= high95
    assert high95 - low95 > high50 - low50


# --- overhead -------------------------------------------------------------------------------


@pytest.mark.parametrize("better", ["higher", "lower"])
def test_overhead_of_a_sample_against_itself_is_exactly_one(better):
    for seed in range(50):
        values = random_sample(seed=seed, n=3 + seed % 20)

        result = overhead(values, values, better=better, resamples=200, seed=seed)

        assert result.relative == 1.0
        assert result.ci_low <= 1.0 <= result.ci_high


def test_overhead_for_higher_is_platform_over_baseline_median():
    result = overhead([90, 95, 100], [100, 100, 100], better="higher")

    assert result.relative == 0.95


def test_overhead_for_lower_with_halved_latency_is_two():
    baseline = random_sample(seed=9, n=12)
    platform = [value / 2 for value in baseline]

    result = overhead(platform, baseline, better="lower")

    assert result.relative == 2.0


def test_overhead_for_lower_with_doubled_latency_is_one_half():
    baseline = [10.0, 11.0, 12.0, 13.0]
    platform = [value * 2 for value in baseline]

    assert overhead(platform, baseline, better="lower").relative == 0.5


def test_overhead_interval_brackets_the_ratio_of_separated_groups():
    platform = random_sample(seed=10, n=100)
    baseline = [value * 1.5 for value in random_sample(seed=11, n=100)]

    result = overhead(platform, baseline, better="higher")

    assert result.ci_low <= result.relative <= result.ci_high
    assert result.ci_high < 1.0


def test_overhead_records_group_sizes():
    result = overhead([1, 2, 3, 4, 5], [1, 2, 3], better="higher")

    assert (result.n_platform, result.n_baseline) == (5, 3)


def test_overhead_with_same_seed_is_identical():
    platform, baseline = random_sample(seed=12, n=20), random_sample(seed=13, n=15)

    first = overhead(platform, baseline, better="lower", seed=5)
    second = overhead(platform, baseline, better="lower", seed=5)

    assert isinstance(first, Overhead)
    assert first == second


def test_overhead_interval_is_unbounded_when_resamples_hit_a_zero_median():
    # The baseline median is 1, but many resamples of it have median 0.
    result = overhead([1, 1, 1], [0, 1, 1], better="higher", seed=1)

    assert result.relative == 1.0
    assert result.ci_high == math.inf


# --- invalid input ------------------------------------------------------------------------------


def test_summarize_rejects_empty_input():
    with pytest.raises(ValueError, match="no values"):
        summarize([])


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_summarize_rejects_non_finite_values(bad):
    with pytest.raises(ValueError, match="finite"):
        summarize([1.0, bad, 3.0])


def test_bootstrap_rejects_empty_input():
    with pytest.raises(ValueError, match="no values"):
        bootstrap_median_ci([], resamples=10, seed=1)


@pytest.mark.parametrize("level", [0, 1, 1.5, -0.1])
def test_bootstrap_rejects_level_outside_zero_one(level):
    with pytest.raises(ValueError, match="level"):
        bootstrap_median_ci([1, 2, 3], resamples=10, seed=1, level=level)


def test_bootstrap_rejects_zero_resamples():
    with pytest.raises(ValueError, match="resamples"):
        bootstrap_median_ci([1, 2, 3], resamples=0, seed=1)


@pytest.mark.parametrize("better", ["faster", "Higher", ""])
def test_overhead_rejects_unknown_direction(better):
    with pytest.raises(ValueError, match="better"):
        overhead([1, 2, 3], [1, 2, 3], better=better)


def test_overhead_rejects_non_finite_values_even_when_thin():
    with pytest.raises(ValueError, match="finite"):
        overhead([math.nan], [1, 2, 3], better="higher")


def test_overhead_rejects_negative_values():
    with pytest.raises(ValueError, match="non-negative"):
        overhead([1, 2, 3], [-1, 2, 3], better="higher")


# --- describe_overhead ---------------------------------------------------------------------


def test_describe_overhead_states_percentage_interval_and_run_counts():
    result = Overhead(relative=0.9712, ci_low=0.958, ci_high=0.98, n_platform=12, n_baseline=12)

    assert describe_overhead("Hyper-V", result) == (
        "Hyper-V reaches 97.1% of bare metal [95.8, 98.0] on this host, n=12 vs 12 bare-metal runs."
    )


def test_describe_overhead_for_missing_result_says_too_few_runs():
    assert describe_overhead("Hyper-V", None) == (
        "Too few runs to compare Hyper-V with bare metal on this host (need at least 3 of each)."
    )


def test_describe_overhead_for_missing_result_uses_n_needed():
    assert describe_overhead("KVM", None, n_needed=5).endswith("(need at least 5 of each).")


def test_describe_overhead_shows_unbounded_interval_as_infinity():
    result = Overhead(relative=1.0, ci_low=0.5, ci_high=math.inf, n_platform=6, n_baseline=6)

    assert "[50.0, ∞]" in describe_overhead("Xen", result)


def test_large_samples_use_the_order_statistic_interval_of_the_median():
    from benchmarks import stats

    values = list(range(1, 10_001))  # median 5000.5
    low, high = stats.order_statistic_median_ci(values)
    # n/2 ± 1.96·√n/2 = 5000 ± 98: ranks 4902 and 5099
    assert (low, high) == (4902, 5099)
    summary = stats.summarize(values)
    assert (summary.ci_low, summary.ci_high) == (low, high)


def test_large_sample_overhead_interval_contains_the_ratio_and_self_is_one():
    from benchmarks import stats

    rng = random.Random(7)
    base = [rng.gauss(100, 5) for _ in range(5000)]
    plat = [v * 0.9 for v in base]
    found = stats.overhead(plat, base, better="higher")
    assert found.relative == pytest.approx(0.9)
    assert found.ci_low <= found.relative <= found.ci_high
    assert stats.overhead(base, base, better="lower").relative == 1.0


# The order-statistic interval of the median: [X(k), X(n+1-k)] covers the median with
# probability 1 - 2 * sum_{i<k} C(n, i) / 2^n. Written out per n so the arithmetic is visible.
COVERAGE = {
    3: (1, 1 - 2 * 1 / 8),  # 75 %: [min, max] is all there is
    4: (1, 1 - 2 * 1 / 16),  # 87.5 %
    5: (1, 1 - 2 * 1 / 32),  # 93.75 %: still short of 95
    6: (1, 1 - 2 * 1 / 64),  # 96.875 %: the first n whose range reaches 95
    7: (1, 1 - 2 * 1 / 128),  # 98.4 %; k = 2 would give 1 - 2 * 8/128 = 87.5 %
    8: (1, 1 - 2 * 1 / 256),  # 99.2 %; k = 2 would give 1 - 2 * 9/256 = 93.0 %
    9: (2, 1 - 2 * (1 + 9) / 512),  # 96.1 %
    10: (2, 1 - 2 * (1 + 10) / 1024),  # 97.9 %
}


@pytest.mark.parametrize("n", list(COVERAGE))
def test_median_interval_ranks_and_coverage_are_exact(n):
    rank, coverage = COVERAGE[n]
    assert stats.median_ci_low_rank(n) == rank
    assert stats.rank_coverage(n, rank) == pytest.approx(coverage, abs=1e-12)
    values = [float(v) for v in range(1, n + 1)]
    summary = summarize(values)
    assert (summary.ci_low, summary.ci_high) == (values[rank - 1], values[n - rank])
    assert summary.ci_coverage == pytest.approx(coverage, abs=1e-12)
    assert summary.ci_reaches_95 is (n >= 6)


@pytest.mark.parametrize("level", [0.9, 0.95, 0.99])
def test_median_interval_rank_is_the_narrowest_whose_coverage_reaches_the_level(level):
    for n in [*range(1, 121), 500, 999, 1000]:
        rank = stats.median_ci_low_rank(n, level)
        assert rank == 1 or stats.rank_coverage(n, rank) >= level, n
        assert rank + 1 > (n + 1) // 2 or stats.rank_coverage(n, rank + 1) < level, n


def test_overhead_below_six_runs_is_not_called_a_95_percent_interval():
    few = Overhead(relative=0.97, ci_low=0.9, ci_high=1.02, n_platform=5, n_baseline=12)
    enough = Overhead(relative=0.97, ci_low=0.9, ci_high=1.02, n_platform=6, n_baseline=6)
    assert not few.ci_reaches_95
    assert "too few for a 95% interval" in stats.describe_overhead("Alpha", few)
    assert enough.ci_reaches_95
    assert "[90.0, 102.0]" in stats.describe_overhead("Alpha", enough)
