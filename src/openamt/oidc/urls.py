from django.urls import path
from oauth2_provider import views

from openamt.oidc.views import (
    DiscoveryView,
    IntrospectionView,
    LogoutView,
    ServicekontoAuthorizationView,
)

app_name = "oauth2_provider"  # django-oauth-toolkit reverses its own names
urlpatterns = [
    path("authorize/", ServicekontoAuthorizationView.as_view(), name="authorize"),
    path("token/", views.TokenView.as_view(), name="token"),
    path("revoke_token/", views.RevokeTokenView.as_view(), name="revoke-token"),
    path("introspect/", IntrospectionView.as_view(), name="introspect"),
    path(
        ".well-known/openid-configuration",
        DiscoveryView.as_view(),
        name="oidc-connect-discovery-info",
    ),
    path(".well-known/jwks.json", views.JwksInfoView.as_view(), name="jwks-info"),
    path("userinfo/", views.UserInfoView.as_view(), name="user-info"),
    path("logout/", LogoutView.as_view(), name="rp-initiated-logout"),
]
