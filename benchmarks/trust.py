"""Trusted submitters: accounts a curator vouches for. Their runs are stored as accepted
without the plausibility screening that every other account's runs go through."""

from django.contrib.auth.models import Group

# A group, not a model field: curators manage it in the admin (user list filter and
# actions, or the user's groups) and it needs no table of its own.
TRUSTED_GROUP = "Trusted submitters"


def is_trusted(user) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.groups.filter(name=TRUSTED_GROUP).exists()


def trusted_group() -> Group:
    group, _created = Group.objects.get_or_create(name=TRUSTED_GROUP)
    return group
