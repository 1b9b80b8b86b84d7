from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from . import views

urlpatterns = [
    path("", include("comparisons.urls")),
    path("", include("benchmarks.urls")),
    path("", include("migration_paths.urls")),
    path("", include("costs.urls")),
    path("api/v1/", include("portal.api_urls")),
    path("accounts/", include("accounts.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("language/", views.switch_language, name="switch-language"),
    path("i18n/", include("django.conf.urls.i18n")),  # Django's POST form view, kept for old links
]

handler404 = "portal.views.not_found"
handler500 = "portal.views.server_error"
