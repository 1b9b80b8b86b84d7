"""Migration path texts a reader sees, in English and Simplified Chinese
(django-modeltranslation; the Chinese is the *_zh key beside each text in the YAML)."""

from modeltranslation.translator import TranslationOptions, register

from .models import MigrationPath, MigrationStatement


@register(MigrationPath)
class MigrationPathTranslation(TranslationOptions):
    fields = ("summary",)


@register(MigrationStatement)
class MigrationStatementTranslation(TranslationOptions):
    fields = ("text",)
