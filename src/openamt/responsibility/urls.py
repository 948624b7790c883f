from django.urls import path

from openamt.responsibility import routing

app_name = "routing"
urlpatterns = [
    path("routes", routing.routes, name="routes"),
    path("areas", routing.areas, name="areas"),
    path("info", routing.info, name="info"),
    path(".well-known/jwks.json", routing.jwks, name="jwks"),
]
