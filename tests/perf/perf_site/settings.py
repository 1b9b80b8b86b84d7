"""Settings for the performance harness only: the product's settings plus the baseline
views (perf_site.urls). Never used by the product."""

import os

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "perf_site.urls"
# The static baseline page is written by the harness into this directory.
TEMPLATES[0]["DIRS"] = [os.environ["PERF_TEMPLATE_DIR"], *TEMPLATES[0]["DIRS"]]  # noqa: F405
