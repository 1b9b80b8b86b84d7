from rest_framework import serializers

from .models import Citation, Claim, Edition, Feature, Platform, Release, Scenario, Source


class ReleaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Release
        fields = ["version", "released", "end_of_support", "is_current", "notes"]


class EditionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Edition
        fields = ["name", "description"]


class PlatformSerializer(serializers.ModelSerializer):
    vendor = serializers.CharField(source="vendor.name")
    releases = ReleaseSerializer(many=True)
    editions = EditionSerializer(many=True)

    class Meta:
        model = Platform
        fields = [
            "slug",
            "name",
            "vendor",
            "kind",
            "summary",
            "homepage",
            "is_baseline",
            "releases",
            "editions",
        ]


class FeatureSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.slug")
    category_name = serializers.CharField(source="category.name")

    class Meta:
        model = Feature
        fields = [
            "slug",
            "name",
            "description",
            "kind",
            "unit",
            "better",
            "aliases",
            "importance",
            "category",
            "category_name",
        ]


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = [
            "key",
            "url",
            "title",
            "publisher",
            "kind",
            "archive_of",
            "published",
            "checked",
        ]


class CitationSerializer(serializers.ModelSerializer):
    source = SourceSerializer()

    class Meta:
        model = Citation
        fields = ["source", "locator", "quote", "stance"]


class ClaimSerializer(serializers.ModelSerializer):
    platform = serializers.CharField(source="platform.slug")
    feature = serializers.CharField(source="feature.slug")
    category = serializers.CharField(source="feature.category.slug")
    release_from = serializers.CharField(source="release_from.version")
    release_until = serializers.CharField(source="release_until.version", allow_null=True)
    edition = serializers.CharField(source="edition.name", allow_null=True)
    unit = serializers.CharField(source="feature.unit")
    url = serializers.CharField(source="get_absolute_url")
    citations = CitationSerializer(many=True)

    class Meta:
        model = Claim
        fields = [
            "id",
            "url",
            "platform",
            "feature",
            "category",
            "release_from",
            "release_until",
            "edition",
            "support",
            "value",
            "unit",
            "text",
            "note",
            "status",
            "confidence",
            "reviewed_at",
            "updated_at",
            "citations",
        ]


class ScenarioSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url")
    # In the language of the request (Accept-Language), English when there is no translation
    # (modeltranslation); name_zh is the Chinese name whatever the language.
    name = serializers.CharField()
    description = serializers.CharField()
    rationale = serializers.CharField()
    name_zh = serializers.CharField(source="name_zh_hans", max_length=160, required=False)

    class Meta:
        model = Scenario
        fields = [
            "slug",
            "url",
            "name",
            "name_zh",
            "description",
            "rationale",
            "version",
            "category_weights",
            "feature_weights",
            "must_have",
            "unknown_policy",
            "cost_weight",
            "performance_weight",
        ]
