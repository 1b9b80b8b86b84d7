"""Statistics per group computed by PostgreSQL (counts, moments, percentiles) for data sets
too large to pull into Python; the same numbers as stats.summarize (tested)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from django.db import connection

from . import stats

Z95 = statistics.NormalDist().inv_cdf(0.975)


@dataclass(frozen=True)
class GroupStats:
    n: int
    mean: float
    stddev: float | None
    minimum: float
    maximum: float
    q1: float
    median: float
    q3: float
    ci_low: float | None
    ci_high: float | None
    ci_coverage: float | None = None

    def as_summary(self) -> stats.Summary:
        return stats.Summary(
            n=self.n,
            median=self.median,
            mean=self.mean,
            stddev=self.stddev,
            q1=self.q1,
            q3=self.q3,
            iqr=self.q3 - self.q1,
            minimum=self.minimum,
            maximum=self.maximum,
            ci_low=self.ci_low,
            ci_high=self.ci_high,
            thin=self.n < stats.MIN_RUNS,
            ci_coverage=self.ci_coverage,
        )


def group_stats_sql(values_queryset, keys: list[str]) -> dict[tuple, GroupStats]:
    """One aggregate query per call: `values_queryset` yields the keys and `value` columns.

    The interval of the median is the order-statistic one (stats.order_statistic_median_ci),
    read with percentile_disc at the two ranks, so SQL and Python agree exactly: the exact
    ranks for n up to stats.LARGE_N come in as an array, the normal approximation above.
    """
    sql, params = values_queryset.values_list(*keys, "value").query.sql_with_params()
    columns = ", ".join(f"k{i}" for i in range(len(keys)))
    aliased = ", ".join(f"k{i}" for i in range(len(keys))) + ", v"
    query = f"""
        WITH src ({aliased}) AS ({sql}),
        counted AS (
            SELECT {columns}, count(*) AS n FROM src GROUP BY {columns}
        ),
        low_ranks AS (
            SELECT {columns}, n,
                   CASE WHEN n <= %s THEN (%s::int[])[n]
                        ELSE greatest(1, floor(n / 2.0 - %s * sqrt(n) / 2)) END AS lo
            FROM counted
        ),
        ranks AS (SELECT {columns}, n, lo, n + 1 - lo AS hi FROM low_ranks)
        SELECT {", ".join(f"src.k{i}" for i in range(len(keys)))}, ranks.n,
               avg(src.v), stddev_samp(src.v), min(src.v), max(src.v),
               percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY src.v),
               percentile_disc(ARRAY[(ranks.lo - 0.5) / ranks.n, (ranks.hi - 0.5) / ranks.n])
                   WITHIN GROUP (ORDER BY src.v)
        FROM src JOIN ranks USING ({columns})
        GROUP BY {", ".join(f"src.k{i}" for i in range(len(keys)))}, ranks.n, ranks.lo, ranks.hi
    """
    result: dict[tuple, GroupStats] = {}
    with connection.cursor() as cursor:
        exact = [stats.median_ci_low_rank(n) for n in range(1, stats.LARGE_N + 1)]
        cursor.execute(query, [*params, stats.LARGE_N, exact, Z95])
        for row in cursor.fetchall():
            key, (n, mean, stddev, low, high, quartiles, ci) = (
                tuple(row[: len(keys)]),
                row[len(keys) :],
            )
            q1, median, q3 = quartiles
            enough = n >= stats.MIN_RUNS
            result[key] = GroupStats(
                n=n,
                mean=float(mean),
                stddev=float(stddev) if stddev is not None else None,
                minimum=float(low),
                maximum=float(high),
                q1=float(q1),
                median=float(median),
                q3=float(q3),
                ci_low=float(ci[0]) if enough else None,
                ci_high=float(ci[1]) if enough else None,
                ci_coverage=_coverage(n) if enough else None,
            )
    return result


def group_stats_python(results, *key_sets: list[str]) -> tuple[dict[tuple, GroupStats], ...]:
    """The same statistics as group_stats_sql, from one fetch of the values (SQLite)."""
    keys = sorted({key for key_set in key_sets for key in key_set})
    groups: list[dict[tuple, list[float]]] = [{} for _ in key_sets]
    for row in results.values_list(*keys, "value"):
        named = dict(zip(keys, row[:-1], strict=True))
        for index, key_set in enumerate(key_sets):
            groups[index].setdefault(tuple(named[k] for k in key_set), []).append(row[-1])
    return tuple(
        {key: _from_values(values) for key, values in grouped.items()} for grouped in groups
    )


def _from_values(values: list[float]) -> GroupStats:
    n = len(values)
    if n >= 2:
        q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    else:
        q1 = median = q3 = values[0]
    enough = n >= stats.MIN_RUNS
    ci = stats.order_statistic_median_ci(values) if enough else (None, None)
    return GroupStats(
        n=n,
        mean=statistics.fmean(values),
        stddev=statistics.stdev(values) if n >= 2 else None,
        minimum=min(values),
        maximum=max(values),
        q1=q1,
        median=median,
        q3=q3,
        ci_low=ci[0],
        ci_high=ci[1],
        ci_coverage=_coverage(n) if enough else None,
    )


def _coverage(n: int) -> float:
    return stats.rank_coverage(n, stats.median_ci_low_rank(n))


def group_medians(values_queryset, keys: list[str]) -> dict[tuple, tuple[int, float]]:
    """(count, median) per group: one aggregate query on PostgreSQL, so the rows read stay
    as many as the groups however many results there are; the same numbers in Python
    elsewhere (SQLite)."""
    if connection.vendor != "postgresql":
        groups: dict[tuple, list[float]] = {}
        for *key, value in values_queryset.values_list(*keys, "value"):
            groups.setdefault(tuple(key), []).append(value)
        return {key: (len(values), statistics.median(values)) for key, values in groups.items()}
    sql, params = values_queryset.values_list(*keys, "value").query.sql_with_params()
    columns = ", ".join(f"k{i}" for i in range(len(keys)))
    query = f"""
        WITH src ({columns}, v) AS ({sql})
        SELECT {columns}, count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY v)
        FROM src GROUP BY {columns}
    """
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return {tuple(row[:-2]): (row[-2], float(row[-1])) for row in cursor.fetchall()}
