from django.urls import path

from openamt.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("orte/", views.region_search, name="region-search"),
    path("orte/<str:ars>/", views.region_detail, name="region-detail"),
]
