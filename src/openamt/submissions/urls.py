from django.urls import path

from openamt.submissions import applicant_views, views

app_name = "submissions"
urlpatterns = [
    path("<slug:key>/", views.start, name="start"),
    path("entwurf/<uuid:public_id>/schritt/<slug:step>/", views.step, name="step"),
    path("entwurf/<uuid:public_id>/pruefen/", views.summary, name="summary"),
    path("entwurf/<uuid:public_id>/speichern/", applicant_views.resume_link, name="resume-link"),
    path("entwurf/<uuid:public_id>/loeschen/", applicant_views.draft_delete, name="draft-delete"),
    path("fortsetzen/<str:token>/", applicant_views.resume, name="resume"),
    path("eingang/<uuid:public_id>/", applicant_views.submitted, name="submitted"),
    path("eingang/<uuid:public_id>/quittung.pdf", applicant_views.receipt, name="receipt"),
]
