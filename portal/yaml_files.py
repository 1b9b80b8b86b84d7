"""YAML documents read with libyaml's safe loader when PyYAML was built with it.

The same documents and the same errors (`yaml.YAMLError` with its line), parsed about ten
times faster than by the pure-Python parser: reading YAML was most of loading the catalogue
and the published benchmark results, which every deployment and many tests do.
"""

from typing import Any

import yaml

SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    return yaml.load(text, Loader=SafeLoader)  # noqa: S506 (a safe loader)
