from django.urls import path

from openamt.backoffice import (
    case_message_views,
    case_settings_views,
    case_views,
    client_views,
    decision_views,
    endpoint_views,
    form_views,
    inbox_views,
    legal_views,
    mailbox_views,
    responsibility_views,
    rule_views,
    search_views,
    service_text_views,
    statistics_views,
    views,
)

app_name = "backoffice"
urlpatterns = [
    path("", views.home, name="home"),
    path("anmelden/", views.StaffLoginView.as_view(), name="login"),
    path("abmelden/", views.StaffLogoutView.as_view(), name="logout"),
    path("regeln/", rule_views.rule_list, name="rule-list"),
    path("zugaenge/", client_views.client_list, name="client-list"),
    path("rechtstexte/", legal_views.legal_list, name="legal-list"),
    path("rechtstexte/<slug:legal_kind>/", legal_views.legal_edit, name="legal-edit"),
    path("leistungen/", service_text_views.service_list, name="service-list"),
    path("leistungen/<str:leika_key>/", service_text_views.service_edit, name="service-edit"),
    path(
        "leistungen/<str:leika_key>/begriffe/<int:term_pk>/loeschen/",
        service_text_views.service_term_delete,
        name="service-term-delete",
    ),
    path("suche/synonyme/", search_views.synonym_list, name="search-synonyms"),
    path(
        "suche/synonyme/<int:synonym_pk>/loeschen/",
        search_views.synonym_delete,
        name="search-synonym-delete",
    ),
    path("suche/anfragen/", search_views.search_log, name="search-log"),
    path("suche/anfragen/<int:log_pk>/", search_views.search_log_entry, name="search-log-entry"),
    path(
        "suche/anfragen/<int:log_pk>/erledigt/",
        search_views.search_log_entry_dismiss,
        name="search-log-dismiss",
    ),
    path("formulare/", form_views.form_list, name="form-list"),
    path("formulare/<slug:form_key>/", form_views.form_detail, name="form-detail"),
    path("formulare/<slug:form_key>/entwurf/", form_views.draft_edit, name="form-draft"),
    path(
        "formulare/<slug:form_key>/entwurf/schritt/<int:step>/",
        form_views.step_edit,
        name="form-step",
    ),
    path(
        "formulare/<slug:form_key>/entwurf/feld/<str:position>/",
        form_views.field_edit,
        name="form-field",
    ),
    path(
        "formulare/<slug:form_key>/entwurf/veroeffentlichen/",
        form_views.draft_publish,
        name="form-publish",
    ),
    path("formulare/<slug:form_key>/entwurf/import/", form_views.draft_import, name="form-import"),
    path("formulare/<slug:form_key>/vergleich/", form_views.version_diff, name="form-diff"),
    path(
        "formulare/<slug:form_key>/versionen/<int:number>/vorschau/",
        form_views.version_preview,
        name="form-preview",
    ),
    path(
        "formulare/<slug:form_key>/versionen/<int:number>/export.json",
        form_views.version_export,
        name="form-export",
    ),
    path("behoerden/<int:pk>/", views.authority_detail, name="authority-detail"),
    path("behoerden/<int:pk>/bearbeiten/", views.authority_edit, name="authority-edit"),
    path(
        "behoerden/<int:pk>/zustaendigkeiten/",
        responsibility_views.responsibility_list,
        name="responsibility-list",
    ),
    path(
        "behoerden/<int:pk>/zustaendigkeiten/<int:entry_pk>/loeschen/",
        responsibility_views.responsibility_remove,
        name="responsibility-remove",
    ),
    path(
        "behoerden/<int:pk>/leistungstexte/",
        service_text_views.specialisation_list,
        name="specialisation-list",
    ),
    path(
        "behoerden/<int:pk>/leistungstexte/<str:leika_key>/",
        service_text_views.specialisation_edit,
        name="specialisation-edit",
    ),
    path("behoerden/<int:pk>/eingang/", inbox_views.inbox, name="inbox"),
    # Placeholder until the case page exists: the inbox links each case here.
    path("behoerden/<int:pk>/zustellpunkte/", endpoint_views.endpoint_list, name="endpoint-list"),
    # Case work set up by the authority's administrators.
    path("behoerden/<int:pk>/teams/", case_settings_views.teams, name="case-settings-teams"),
    path(
        "behoerden/<int:pk>/aktenplan/",
        case_settings_views.filing_plan,
        name="case-settings-filing-plan",
    ),
    path(
        "behoerden/<int:pk>/bescheidvorlagen/",
        case_settings_views.decision_templates,
        name="case-settings-templates",
    ),
    path(
        "behoerden/<int:pk>/fristen/", case_settings_views.deadlines, name="case-settings-deadlines"
    ),
    path("behoerden/<int:pk>/postausgang/", mailbox_views.sent_list, name="sent-list"),
    path(
        "behoerden/<int:pk>/postausgang/<uuid:public_id>/",
        mailbox_views.sent_detail,
        name="sent-detail",
    ),
    path(
        "behoerden/<int:pk>/postausgang/<uuid:public_id>/anhaenge/<int:attachment_pk>/",
        mailbox_views.reply_attachment,
        name="sent-reply-attachment",
    ),
    # A case's Postfach communication: messages, replies, Nachforderungen.
    path(
        "vorgaenge/<uuid:case_id>/nachrichten/",
        case_message_views.case_messages,
        name="case-messages",
    ),
    path(
        "vorgaenge/<uuid:case_id>/nachrichten/senden/",
        case_message_views.case_message_create,
        name="case-message-send",
    ),
    path(
        "vorgaenge/<uuid:case_id>/nachforderungen/",
        case_message_views.case_request_create,
        name="case-request-create",
    ),
    path(
        "vorgaenge/<uuid:case_id>/nachrichten/anhaenge/<int:attachment_pk>/",
        case_message_views.case_message_attachment,
        name="case-message-attachment",
    ),
    path(
        "vorgaenge/<uuid:case_id>/nachrichten/antwortanhaenge/<int:attachment_pk>/",
        case_message_views.case_reply_attachment,
        name="case-reply-attachment",
    ),
    # A case's decisions (Bescheide) and the authority's post batches.
    path(
        "vorgaenge/<uuid:case_id>/bescheide/",
        decision_views.case_decisions,
        name="case-decisions",
    ),
    path(
        "vorgaenge/<uuid:case_id>/bescheide/<uuid:decision_id>/",
        decision_views.decision_detail,
        name="case-decision",
    ),
    path(
        "vorgaenge/<uuid:case_id>/bescheide/<uuid:decision_id>/schritt/",
        decision_views.decision_action,
        name="case-decision-action",
    ),
    path(
        "vorgaenge/<uuid:case_id>/bescheide/<uuid:decision_id>/vorschau.pdf",
        decision_views.decision_preview,
        name="case-decision-preview",
    ),
    path(
        "vorgaenge/<uuid:case_id>/bescheide/<uuid:decision_id>/bescheid.pdf",
        decision_views.decision_file,
        name="case-decision-file",
    ),
    path("behoerden/<int:pk>/briefversand/", decision_views.post_batches, name="post-batches"),
    path(
        "behoerden/<int:pk>/briefversand/<int:batch_pk>/",
        decision_views.post_batch_file,
        name="post-batch-file",
    ),
]

# Case work: one case's page, its actions and documents, a case opened by hand.
_CASE = "vorgaenge/<uuid:case_id>/"
urlpatterns += [
    path(_CASE, case_views.case_detail, name="case"),
    path(_CASE + "mir-zuweisen/", case_views.case_assign_self, name="case-assign-self"),
    path(_CASE + "zuweisen/", case_views.case_assign, name="case-assign"),
    path(_CASE + "status/", case_views.case_transition, name="case-transition"),
    path(_CASE + "merkmale/", case_views.case_update, name="case-update"),
    path(_CASE + "vermerk/", case_views.case_note, name="case-note"),
    path(_CASE + "dokumente/", case_views.case_document_add, name="case-document-add"),
    path(
        _CASE + "dokumente/<uuid:document_id>/",
        case_views.case_document,
        name="case-document",
    ),
    path(
        _CASE + "dokumente/<uuid:document_id>/herunterladen/",
        case_views.case_document_download,
        name="case-document-download",
    ),
    path("behoerden/<int:pk>/vorgaenge/neu/", case_views.case_new, name="case-new"),
    # Statistics of case work: the authority's staff, the Land's roles.
    path(
        "behoerden/<int:pk>/statistik/",
        statistics_views.authority_statistics,
        name="authority-statistics",
    ),
    path(
        "behoerden/<int:pk>/statistik/csv/",
        statistics_views.authority_statistics_csv,
        name="authority-statistics-csv",
    ),
    path("statistik/", statistics_views.land_statistics, name="land-statistics"),
    path("statistik/csv/", statistics_views.land_statistics_csv, name="land-statistics-csv"),
]

# Every staff page refuses a Servicekonto session, whichever decorator it has.
for _pattern in urlpatterns:
    if _pattern.name not in ("login", "logout"):
        _pattern.callback = views.staff_only(_pattern.callback)
