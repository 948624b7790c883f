from django import template
from django.forms import BoundField
from django.http import HttpRequest

from openamt.core import blocks
from openamt.core.blocks import Block

register = template.Library()


@register.filter
def query_without_page(request: HttpRequest, param: str = "seite") -> str:
    """The current query string without the page number, ending in "&" when not empty,
    so that page links keep the search and its filters (and other lists' pages)."""
    query = request.GET.copy()
    query.pop(param or "seite", None)
    encoded = query.urlencode()
    return f"{encoded}&" if encoded else ""


@register.filter
def text_blocks(text: str) -> list[Block]:
    """Staff-written text as paragraphs, subheadings and lists (see core.blocks)."""
    return blocks.text_blocks(text or "")


@register.filter
def first_input_id(field: BoundField) -> str:
    """The id of the field's (first) input, which the error summary links to:
    a radio or checkbox group has no id of its own, its options end in _0, _1, …"""
    return field.id_for_label or (f"{field.auto_id}_0" if field.auto_id else "")
