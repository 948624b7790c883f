"""Filters of the case-work settings pages."""

from django import template

register = template.Library()


@register.filter
def euros(cents: int) -> str:
    """`3050` → "30,50 €" (German notation)."""
    whole, rest = divmod(int(cents), 100)
    return f"{whole:,}".replace(",", ".") + f",{rest:02d} €"
