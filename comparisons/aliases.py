"""Other names readers type for a platform (hyperv, esxi, vsphere, pve, ahv, qemu). Pure.

The names are data: each platform's `aliases` in fixtures/catalog/platforms/<slug>.yaml.
Names are compared by `key`, so case, spaces, dashes and dots do not matter
("Hyper-V", "hyperv" and "hyper v" are one name).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def key(name: str) -> str:
    return _NOT_ALNUM.sub("", name.casefold())


def alias_map(platforms: Iterable[tuple[str, Iterable[str]]]) -> dict[str, str]:
    """{key of a slug or alias: slug}; a slug wins over another platform's alias."""
    found: dict[str, str] = {}
    platforms = list(platforms)
    for slug, names in platforms:
        for name in names:
            found.setdefault(key(name), slug)
    found.update({key(slug): slug for slug, _ in platforms})
    return found


def clashes(platforms: Iterable[tuple[str, Iterable[str]]]) -> list[str]:
    """Names that would point to two platforms, as messages for the catalogue check."""
    owner: dict[str, str] = {}
    problems = []
    for slug, names in platforms:
        for name in (slug, *names):
            other = owner.setdefault(key(name), slug)
            if other != slug:
                problems.append(f"alias {name!r} of {slug} also names {other}")
    return problems


def resolve(name: str, aliases: dict[str, str]) -> str | None:
    return aliases.get(key(name))


def canonical_platforms(param: str, aliases: dict[str, str]) -> str:
    """The `platforms` value with each alias replaced by its slug (`esxi@8.0` →
    `vmware-esxi@8.0`); unknown names stay as typed so the page can say which one is wrong."""
    items = []
    for item in param.split(","):
        name, at, release = item.strip().partition("@")
        items.append(f"{resolve(name, aliases) or name.strip()}{at}{release}")
    return ",".join(items)


def split_pair(path: str) -> list[str]:
    """The names in a readable comparison URL: `hyper-v-vs-esxi-vs-pve` → three names."""
    return [name for name in path.split("-vs-") if name]
