import datetime

import factory

from comparisons.models import (
    Category,
    Citation,
    Claim,
    Feature,
    Platform,
    Release,
    Source,
    Vendor,
)


class VendorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vendor
        django_get_or_create = ["slug"]

    slug = "acme"
    name = "Acme"


class PlatformFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Platform

    slug = factory.Sequence(lambda n: f"platform-{n}")
    name = factory.Sequence(lambda n: f"Platform {n}")
    vendor = factory.SubFactory(VendorFactory)
    kind = Platform.Kind.TYPE1
    position = factory.Sequence(int)


class ReleaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Release

    platform = factory.SubFactory(PlatformFactory)
    version = factory.Sequence(lambda n: f"{n}.0")
    released = datetime.date(2024, 1, 1)
    is_current = True
    position = 1


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    slug = factory.Sequence(lambda n: f"category-{n}")
    name = factory.Sequence(lambda n: f"Category {n}")
    position = factory.Sequence(int)


class FeatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feature

    slug = factory.Sequence(lambda n: f"feature-{n}")
    name = factory.Sequence(lambda n: f"Feature {n}")
    category = factory.SubFactory(CategoryFactory)
    position = factory.Sequence(int)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    key = factory.Sequence(lambda n: f"source-{n}")
    url = factory.Sequence(lambda n: f"https://example.org/doc/{n}")
    title = factory.Sequence(lambda n: f"Doc {n}")
    publisher = "Acme"
    kind = Source.Kind.VENDOR_DOC
    checked = datetime.date(2026, 11, 26)


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    platform = factory.SelfAttribute("release_from.platform")
    release_from = factory.SubFactory(ReleaseFactory)
    feature = factory.SubFactory(FeatureFactory)
    support = Claim.Support.FULL
    status = Claim.Status.DRAFT


class CitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Citation

    claim = factory.SubFactory(ClaimFactory)
    source = factory.SubFactory(SourceFactory)
    locator = "Section 1"
    quote = "It is supported."
