from django.template.response import TemplateResponse

from . import selectors

POPULAR_PAIRS = [
    ("hyper-v", "vmware-esxi"),
    ("vmware-esxi", "proxmox-ve"),
    ("proxmox-ve", "xcp-ng"),
    ("vmware-esxi", "nutanix-ahv"),
    ("hyper-v", "proxmox-ve"),
]


def home(request):
    platforms = list(selectors.platforms_for_home())
    names = {p.slug: p.name for p in platforms}
    pairs = [(a, b, names[a], names[b]) for a, b in POPULAR_PAIRS if a in names and b in names]
    return TemplateResponse(
        request, "comparisons/home.html", {"platforms": platforms, "pairs": pairs}
    )
