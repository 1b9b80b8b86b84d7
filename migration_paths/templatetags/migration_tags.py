from django import template
from django.utils.translation import gettext_lazy as _

from migration_paths.models import MigrationMethod, MigrationStatement, Mode

register = template.Library()

SHORT_MODES = {
    "live": _("Live"),
    "warm": _("Warm"),
    "cold": _("Cold"),
    "unknown": _("Mode not documented"),
}


@register.filter
def mode_label(mode):
    """Short label for a grid cell; the long one is on the pair page."""
    return SHORT_MODES.get(mode, mode)


@register.filter
def mode_long(mode):
    return dict(Mode.choices).get(mode, mode)


@register.filter
def kind_label(kind):
    return dict(MigrationMethod.Kind.choices).get(kind, kind)


@register.filter
def topic_label(topic):
    return dict(MigrationStatement.Topic.choices).get(topic, topic)
