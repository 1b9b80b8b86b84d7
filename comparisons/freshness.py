"""When claims need their sources read again: pure, rows in, groups out.

A claim is stale once its newest source check is more than STALE_AFTER_DAYS old (one re-read
source keeps it fresh). The monthly reminder groups claims by the month they fall due, so a
curator can work through one month's list at a time.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .matrix import STALE_AFTER_DAYS


def due_date(newest_check: datetime.date) -> datetime.date:
    """The first day the claim counts as stale."""
    return newest_check + datetime.timedelta(days=STALE_AFTER_DAYS + 1)


def month_start(day: datetime.date, months_ahead: int = 0) -> datetime.date:
    month = day.month - 1 + months_ahead
    return datetime.date(day.year + month // 12, month % 12 + 1, 1)


@dataclass(frozen=True)
class Month:
    start: datetime.date  # first day of the month
    items: tuple[Any, ...]


@dataclass(frozen=True)
class Reminder:
    overdue: tuple[Any, ...]  # already stale before this month, oldest check first
    months: tuple[Month, ...]  # this month and the next ones, each with what falls due
    never_checked: tuple[Any, ...]  # claims without any source


def reminders(
    rows: Iterable[tuple[Any, datetime.date | None]], today: datetime.date, months: int = 3
) -> Reminder:
    """rows: (item, newest source check). Months: this one and the next `months - 1`."""
    this_month = month_start(today)
    bounds = [month_start(today, n) for n in range(months + 1)]
    overdue: list[tuple[datetime.date, Any]] = []
    buckets: list[list[tuple[datetime.date, Any]]] = [[] for _ in range(months)]
    never: list[Any] = []
    for item, checked in rows:
        if checked is None:
            never.append(item)
            continue
        due = due_date(checked)
        if due < this_month:
            overdue.append((checked, item))
            continue
        for index in range(months):
            if bounds[index] <= due < bounds[index + 1]:
                buckets[index].append((due, item))
                break
    key = lambda pair: pair[0]  # noqa: E731 - the date, never the item
    return Reminder(
        overdue=tuple(item for _d, item in sorted(overdue, key=key)),
        months=tuple(
            Month(bounds[i], tuple(item for _d, item in sorted(bucket, key=key)))
            for i, bucket in enumerate(buckets)
        ),
        never_checked=tuple(never),
    )
