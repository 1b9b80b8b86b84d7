"""The curator role: a group with the catalogue permissions, kept in step after migrations."""

from django.contrib.auth.models import Group, Permission

CURATORS = "Curators"
CURATED_MODELS = {
    "comparisons": [
        "claim",
        "citation",
        "source",
        "factcheck",
        "feature",
        "category",
        "scenario",
        "correction",
    ],
    "benchmarks": ["run"],
}
ACTIONS = {"comparisons": ["add", "change", "view"], "benchmarks": ["change", "view"]}


def ensure_curators_group(**kwargs) -> Group:
    group, _ = Group.objects.get_or_create(name=CURATORS)
    codenames = [
        f"{action}_{model}"
        for app, models in CURATED_MODELS.items()
        for model in models
        for action in ACTIONS[app]
    ]
    permissions = Permission.objects.filter(
        content_type__app_label__in=list(CURATED_MODELS), codename__in=codenames
    )
    group.permissions.add(*permissions)
    return group
