"""`{% case_messages_panel case %}`: a case's Postfach communication, for the
case page (which includes `backoffice/case_messages.html`) and the messages page."""

from typing import Any

from django import template

from openamt.backoffice.case_message_views import panel_context
from openamt.cases.models import Case

register = template.Library()


@register.inclusion_tag("backoffice/_messages_panel.html", takes_context=True)
def case_messages_panel(context: template.Context, case: Case) -> dict[str, Any]:
    return panel_context(case=case, user=context["request"].user)
