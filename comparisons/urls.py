from django.urls import path, register_converter

from . import feeds, views


class PairConverter:
    regex = r"[A-Za-z0-9-]+-vs-[A-Za-z0-9-]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(PairConverter, "pair")

urlpatterns = [
    path("", views.home, name="home"),
    path("compare/", views.compare, name="compare"),
    path("compare/export.<str:fmt>", views.compare_export, name="compare-export"),
    path("compare/<pair:pair>/", views.compare_pair, name="compare-pair"),
    path("claims/<int:pk>/", views.claim_detail, name="claim-detail"),
    path("claims/<int:pk>/correction/", views.claim_correction, name="claim-correction"),
    path("fact-checks/", views.fact_checks, name="fact-checks"),
    path("platforms/<slug:slug>/", views.platform_detail, name="platform-detail"),
    path("platforms/<slug:slug>/changes/", views.platform_changes, name="platform-changes"),
    path("changes.atom", feeds.ClaimChangesFeed(), name="changes-feed"),
    path("platforms/<slug:slug>/changes.atom", feeds.PlatformChangesFeed(), name="platform-feed"),
    path("features/<slug:slug>/changes.atom", feeds.FeatureChangesFeed(), name="feature-feed"),
    path("recommend/", views.recommend_index, name="recommend"),
    path("recommend/<slug:slug>/", views.recommend_scenario, name="recommend-scenario"),
]
