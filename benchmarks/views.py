from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.vary import vary_on_headers
from rest_framework.throttling import ScopedRateThrottle

from . import hosts, kit, selectors
from .forms import ChartForm
from .models import Environment


def run_detail(request, pk: int):
    run = get_object_or_404(selectors.runs_for_api(), pk=pk)
    context = {"run": run, "siblings": selectors.sibling_runs(run)}
    return TemplateResponse(request, "benchmarks/run_detail.html", context)


def run_raw(request, pk: int):
    """The payload exactly as submitted, as a download."""
    run = get_object_or_404(selectors.runs_for_api(), pk=pk)
    extension = {
        "fio-json": "json",
        "iperf3-json": "json",
        "normalized": "json",
        "phoronix-composite": "xml",
    }.get(run.raw_format, "txt")
    response = HttpResponse(run.raw_payload, content_type="text/plain; charset=utf-8")
    disposition = "attachment" if request.GET.get("download") else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="run-{run.pk}.{extension}"'
    return response


def submit_guide(request):
    benchmarks = list(selectors.benchmarks_with_metrics())
    return TemplateResponse(request, "benchmarks/submit.html", {"benchmarks": benchmarks})


def benchmark_list(request):
    return TemplateResponse(
        request,
        "benchmarks/benchmark_list.html",
        {"index": selectors.benchmark_index(), "newest": selectors.newest_runs()},
    )


@vary_on_headers("HX-Request")
def benchmark_detail(request, slug: str):
    benchmark = get_object_or_404(selectors.benchmarks_with_metrics(), slug=slug)
    filters = ChartForm(request.GET).query()
    data = selectors.benchmark_chart(benchmark, filters)
    if data is None:
        raise Http404("This benchmark has no such metric.")
    template = "benchmarks/benchmark_detail.html"
    if request.htmx:
        template += "#charts"
    return TemplateResponse(request, template, data)


@vary_on_headers("HX-Request")
def host_detail(request, pk: int):
    """One host: every platform against bare metal on the same hardware (or pairing code)."""
    page = hosts.host_page(pk=pk)
    if page is None:
        raise Http404("No such host.")
    template = "benchmarks/host_detail.html"
    if request.htmx:
        template += "#host"
    return TemplateResponse(request, template, {"page": page})


def host_by_fingerprint(request, fingerprint: str):
    """Chart pages know hosts by hardware fingerprint; the host page lives at its id."""
    environment = get_object_or_404(Environment.objects.only("pk"), fingerprint=fingerprint)
    return redirect("benchmark-host", pk=environment.pk)


def _submissions_per_hour() -> int:
    count, seconds = ScopedRateThrottle().parse_rate(
        settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["submissions"]
    )
    return round(count * 3600 / seconds)


@vary_on_headers("HX-Request")
def kit_page(request):
    served = kit.kit_file()
    benchmarks = list(selectors.benchmarks_with_metrics())
    template = "benchmarks/kit.html"
    if request.htmx:
        template += "#kit"
    suites = kit.suites(benchmarks)
    context = {
        "kit": served,
        "suites": suites,
        "standard_submissions": max(s.submissions for s in suites),
        "site": request.build_absolute_uri(reverse("home")).rstrip("/"),
        "submissions_per_hour": _submissions_per_hour(),
    }
    return TemplateResponse(request, template, context)


def kit_download(request):
    """The kit file itself, byte for byte (its SHA-256 is on the kit page)."""
    served = kit.kit_file()
    response = HttpResponse(served.content, content_type="text/x-python; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{served.name}"'
    response["X-Content-SHA256"] = served.sha256
    return response
