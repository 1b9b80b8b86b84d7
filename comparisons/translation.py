"""Catalogue texts a reader sees, in English and Simplified Chinese (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Category, Claim, Edition, FactCheck, Feature, Platform, Scenario


@register(Category)
class CategoryTranslation(TranslationOptions):
    fields = ("name",)


@register(Feature)
class FeatureTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Platform)
class PlatformTranslation(TranslationOptions):
    # Vendors' product names stay as they are (no name_zh); the bare-metal baseline is not
    # a product and has a Chinese name.
    fields = ("name", "summary")


@register(Edition)
class EditionTranslation(TranslationOptions):
    fields = ("description",)


@register(Claim)
class ClaimTranslation(TranslationOptions):
    # The Chinese comes from claims_zh/<platform>.yaml, used while its hash matches the English.
    fields = ("text", "note")


@register(FactCheck)
class FactCheckTranslation(TranslationOptions):
    # original_zh is not translated: it quotes the original (Chinese) answer on every page.
    fields = ("statement", "explanation")


@register(Scenario)
class ScenarioTranslation(TranslationOptions):
    fields = ("name", "description", "rationale")
