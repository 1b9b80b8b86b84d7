"""Benchmark and metric names a reader sees, in English and Simplified Chinese
(django-modeltranslation; the Chinese comes from fixtures/benchmarks/benchmarks_zh.yaml)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Benchmark, Metric


@register(Benchmark)
class BenchmarkTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Metric)
class MetricTranslation(TranslationOptions):
    fields = ("name",)
