"""`{% case_decisions_panel case user %}`: a case's decisions (Bescheide) with
their Bekanntgabe and "Bescheid entwerfen", for the case page and the page
of the case's decisions. Renders `backoffice/case_decisions.html`."""

from typing import Any

from django import template

from openamt.backoffice.decision_forms import DraftForm
from openamt.backoffice.decision_views import panel_context
from openamt.cases.models import Case

register = template.Library()


@register.inclusion_tag("backoffice/case_decisions.html", takes_context=True)
def case_decisions_panel(context: template.Context, case: Case, user: Any) -> dict[str, Any]:
    panel = panel_context(case=case, user=user)
    # A page that shows the draft form with errors hands it in; else an empty one.
    panel["draft_form"] = context.get("draft_form") or DraftForm(case=case)
    panel["csrf_token"] = context.get("csrf_token")
    return panel
