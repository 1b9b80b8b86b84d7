"""The |number filter: portal.numbers.tidy in templates."""

from django import template

from portal.numbers import tidy

register = template.Library()


@register.filter
def number(value, digits: int = 3) -> str:
    return tidy(value, int(digits))
