from django.urls import path

from openamt.portal import application_views, legal_views, services_views, views
from openamt.portal.constants import LegalPageKind

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("leistungen/", services_views.service_search, name="service-search"),
    path("leistungen/<str:leika_key>/", services_views.service_detail, name="service-detail"),
    path(
        "leistungen/<str:leika_key>/treffer/",
        services_views.service_result,
        name="service-result",
    ),
    # "Meine Anträge" keeps its address below the applications' prefix.
    path("antrag/meine/", application_views.my_applications, name="my-applications"),
    path("orte/", views.region_search, name="region-search"),
    path("orte/<str:ars>/", views.region_detail, name="region-detail"),
    *(
        path(f"{kind.value}/", legal_views.legal_page, {"kind": kind.value}, name=kind.value)
        for kind in LegalPageKind
    ),
]
