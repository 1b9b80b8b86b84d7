import csv
import io
import time
from dataclasses import replace

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers
from rest_framework.throttling import BaseThrottle

from costs.forms import estate_querystring
from portal.downloads import csv_response

from . import (
    aliases,
    corrections,
    factcheck_filters,
    matrix,
    platform_filters,
    selectors,
    services,
)
from .conditional import catalog_and_results_conditional, catalog_conditional
from .forms import CompareForm, CorrectionForm, ScenarioWeightsForm
from .models import Claim, Platform, Scenario
from .selectors import recommend_for

POPULAR_PAIRS = [
    ("hyper-v", "vmware-esxi"),
    ("vmware-esxi", "proxmox-ve"),
    ("proxmox-ve", "xcp-ng"),
    ("vmware-esxi", "nutanix-ahv"),
    ("hyper-v", "proxmox-ve"),
    ("proxmox-ve", "kvm"),
]


def home(request):
    platforms = list(selectors.platforms_for_home())
    names = {p.slug: p.name for p in platforms}
    pairs = [
        (f"{a}-vs-{b}", names[a], names[b]) for a, b in POPULAR_PAIRS if a in names and b in names
    ]
    return TemplateResponse(
        request,
        "comparisons/home.html",
        {"platforms": platforms, "pairs": pairs, "dates": selectors.catalogue_dates()},
    )


@require_GET
@vary_on_headers("HX-Request")
@catalog_and_results_conditional  # its performance section shows benchmark results
def compare(request):
    form = CompareForm(request.GET)
    query = form.query()
    canonical = selectors.without_aliases(query)
    if (form.from_plain_form or canonical != query) and not request.htmx:
        return HttpResponseRedirect(f"{reverse('compare')}?{canonical.querystring()}")
    page = selectors.compare_page(query=canonical)
    template = "comparisons/compare.html"
    if request.htmx and not request.htmx.boosted:
        template += "#matrix"
    response = TemplateResponse(request, template, page.context(), status=page.status)
    if request.htmx:
        response["HX-Push-Url"] = f"{reverse('compare')}?{query.querystring()}"
    return response


def compare_pair(request, pair: str):
    """Readable entry point: /compare/hyper-v-vs-vmware-esxi/ (aliases and more than two
    names too: /compare/hyperv-vs-esxi-vs-pve/) → the matrix."""
    known = selectors.platform_aliases()
    names = aliases.split_pair(pair)
    slugs = [aliases.resolve(name, known) for name in names]
    if None in slugs:
        unknown = names[slugs.index(None)]
        raise Http404(f"Unknown platform {unknown!r} in this comparison.")
    return HttpResponseRedirect(f"{reverse('compare')}?platforms={','.join(slugs)}")


def _export_rows(grid: matrix.Matrix):
    for block in grid.blocks:
        for row in block.rows:
            yield block, row


@require_GET
@catalog_conditional
def compare_export(request, fmt: str):
    if fmt not in {"csv", "json"}:
        raise Http404("Export as .csv or .json.")
    page = selectors.matrix_page(selectors.without_aliases(CompareForm(request.GET).query()))
    if page.matrix is None:
        return JsonResponse(
            {"detail": " ".join(page.errors) or "Choose 2 to 8 platforms."}, status=400
        )
    grid = page.matrix
    if fmt == "json":
        data = matrix.to_json(grid)
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
        response["Content-Disposition"] = 'attachment; filename="virtcompare-matrix.json"'
        return response
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    header = ["category", "feature"]
    for col in grid.columns:
        header += [f"{col.param} support", f"{col.param} value", f"{col.param} sources"]
    writer.writerow(header)
    for block, row in _export_rows(grid):
        line = [block.name, row.feature.name]
        for cell in row.cells:
            line += [cell.support, cell.display_value, " ".join(s.url for s in cell.sources)]
        writer.writerow(line)
    return csv_response(buffer.getvalue(), "virtcompare-matrix.csv")


@vary_on_headers("HX-Request")
@catalog_conditional
def claim_detail(request, pk: int):
    try:
        claim, history = selectors.claim_detail(pk)
    except Claim.DoesNotExist as exc:
        raise Http404("No such claim.") from exc
    template = "comparisons/claim_detail.html"
    if request.htmx:
        template += "#panel"
    context = {
        "claim": claim,
        "history": history,
        "fact_checks": selectors.fact_checks_about(claim),
    }
    return TemplateResponse(request, template, context)


def _client_ident(request) -> str:
    # The same client identity as the API's throttles (NUM_PROXIES decides whether
    # X-Forwarded-For is trusted), so a deployment configures it once.
    return BaseThrottle().get_ident(request)


@never_cache  # the form carries a CSRF token: never a shared, cached page
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def claim_correction(request, pk: int):
    claim = get_object_or_404(
        Claim.objects.select_related("platform", "feature", "release_from", "release_until"),
        pk=pk,
    )
    template = "comparisons/claim_correction.html"
    if request.htmx:
        template += "#correction"
    context = {"claim": claim, "sent": None}
    status = 200
    if request.method == "GET":
        form = CorrectionForm(claim=claim)
    else:
        form = CorrectionForm(request.POST, claim=claim)
        rate = corrections.parse_rate(settings.CORRECTION_RATE)
        if not corrections.allow(cache, _client_ident(request), rate, time.time()):
            context["refused"] = _("Too many corrections from your address; try again later.")
            status = 429
        elif form.is_bot():
            context["refused"] = _("This form could not be accepted.")
            status = 400
        elif form.is_valid():
            context["sent"] = services.submit_correction(claim=claim, form=form)
            status = 201
        else:
            status = 400
    context["form"] = form
    return TemplateResponse(request, template, context, status=status)


@catalog_conditional
def fact_checks(request):
    names = selectors.concern_names()
    checks = list(selectors.fact_checks())
    form = factcheck_filters.FactCheckFilterForm(
        request.GET,
        platforms=factcheck_filters.platforms_concerned(checks, names["platforms"]),
    )
    valid = form.is_valid()
    shown = factcheck_filters.apply(checks, **form.cleaned_data) if valid else checks
    return TemplateResponse(
        request,
        "comparisons/fact_checks.html",
        {
            "fact_checks": shown,
            "total": len(checks),
            "form": form,
            "names": names,
            "claims": selectors.concerned_claims(checks),
        },
        status=200 if valid else 400,
    )


@catalog_conditional
def platform_detail(request, slug: str):
    platform = Platform.objects.select_related("vendor").filter(slug=slug).first()
    if platform is None:
        return _platform_alias_redirect(slug)
    data = selectors.platform_page(platform)
    form = platform_filters.PlatformFilterForm(request.GET)
    valid = form.is_valid()
    shown = platform_filters.apply(data["blocks"], **form.cleaned_data) if valid else []
    data |= {"form": form, "all_blocks": data["blocks"], "blocks": shown}
    status = 200 if valid else 400
    return TemplateResponse(request, "comparisons/platform_detail.html", data, status=status)


def _platform_alias_redirect(name: str) -> HttpResponseRedirect:
    """/platforms/hyperv/ → /platforms/hyper-v/; a name no platform has is a 404."""
    slug = aliases.resolve(name, selectors.platform_aliases())
    if slug is None or slug == name:
        raise Http404("No such platform.")
    return HttpResponseRedirect(reverse("platform-detail", args=[slug]))


@vary_on_headers("HX-Request")
@catalog_conditional
def platform_changes(request, slug: str):
    platform = get_object_or_404(Platform, slug=slug)
    data = selectors.release_changes(platform, request.GET.get("from"), request.GET.get("to"))
    template = "comparisons/platform_changes.html"
    if request.htmx:
        template += "#changes"
    return TemplateResponse(request, template, data, status=400 if data["error"] else 200)


def _recommendation_context(scenario, query) -> dict:
    spec, result, evidence, estimate = recommend_for(scenario, query)
    # Names come with the evidence (already in the request's language): no second query.
    items = [item for per_platform in evidence.values() for item in per_platform.values()]
    categories = {item.category: item.category_name for item in items}
    features = {item.feature: item.feature_name for item in items}
    return {
        "scenario": scenario,
        "spec": spec,
        "result": result,
        "categories": categories,
        "weights": [
            (slug, categories[slug], spec.category_weights.get(slug, 0)) for slug in categories
        ],
        "must_choices": [
            (slug, features[slug]) for slug in _must_choices(scenario, spec) if slug in features
        ],
        "query": query.querystring(),
        "estimate": estimate,
        "costs": {c.platform: c for c in estimate.platforms} if estimate else {},
        "estimate_query": _estimate_query(estimate),
        "suggested_policy_query": replace(query, unknown=scenario.unknown_policy).querystring(),
    }


def _estimate_query(estimate) -> str:
    return estate_querystring(estimate.estate) if estimate is not None else ""


COMMON_MUST_HAVES = (
    "live-migration",
    "ha-restart",
    "automatic-load-balancing",
    "hyperconverged-storage",
    "gpu-passthrough",
    "vtpm",
    "windows-guests",
    "open-source",
)


def _must_choices(scenario, spec) -> list[str]:
    """The scenario's own must-haves, the user's, then common ones: toggles on the page."""
    seen: list[str] = []
    for slug in (*scenario.must_have, *spec.must_have, *COMMON_MUST_HAVES):
        if slug not in seen:
            seen.append(slug)
    return seen


def recommend_index(request):
    scenarios = selectors.scenarios()
    chosen = request.GET.get("scenario")
    if chosen:
        return HttpResponseRedirect(reverse("recommend-scenario", args=[chosen]))
    return TemplateResponse(request, "comparisons/recommend_index.html", {"scenarios": scenarios})


@vary_on_headers("HX-Request")
def recommend_scenario(request, slug: str):
    scenario = get_object_or_404(Scenario, slug=slug)
    context = _recommendation_context(scenario, ScenarioWeightsForm(request.GET).query())
    context["scenarios"] = selectors.scenarios()
    template = "comparisons/recommend.html"
    if request.htmx:
        template += "#result"
    return TemplateResponse(request, template, context)
