from django.contrib import admin
from django.urls import include, path

from openamt.api.v1 import api
from openamt.core import views as core_views

urlpatterns = [
    path("", include("openamt.portal.urls")),
    path("verwaltung/", include("openamt.backoffice.urls")),
    path("antrag/", include("openamt.submissions.urls")),
    path("konto/postfach/", include("openamt.mailbox.urls")),
    path("konto/", include("openamt.accounts.urls")),
    path("oidc/", include("openamt.oidc.urls")),
    path("api/v1/", api.urls),
    path("routing/v1/", include("openamt.responsibility.urls")),
    path("health/live", core_views.live, name="health-live"),
    path("health/ready", core_views.ready, name="health-ready"),
    path("admin/", admin.site.urls),
]

handler500 = "openamt.core.views.server_error"
