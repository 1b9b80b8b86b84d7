"""The calculator's URL state: the query string in, a frozen estate out."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.http import QueryDict
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from .rules import OWNED_CHOICES, Estate

# The estate a scenario declares and a URL may carry (the VMware edition is a choice of its
# own, not part of a stored estate).
ESTATE_FIELDS = ("hosts", "sockets", "cores", "windows_vms", "linux_vms", "years", "support")

DEFAULTS = {
    "hosts": 4,
    "sockets": 2,
    "cores": 16,
    "windows_vms": 40,
    "linux_vms": 0,
    "years": 3,
    "support": "none",
    "vmware": "vvf",
}
SUPPORT_CHOICES = [
    ("none", _("None (community only)")),
    ("community", _("Community")),
    ("basic", _("Basic")),
    ("standard", _("Standard")),
    ("premium", _("Premium")),
]
OWNED_LABELS = {
    "windows-datacenter": _("Windows Server Datacenter for these hosts"),
    "windows-standard": _("One Windows Server Standard licence per host"),
    "vmware": _("A VMware subscription for the term"),
}


class CostForm(forms.Form):
    hosts = forms.IntegerField(label=_("Hosts"), min_value=1, max_value=10000)
    sockets = forms.IntegerField(label=_("CPU sockets per host"), min_value=1, max_value=16)
    cores = forms.IntegerField(label=_("Cores per socket"), min_value=1, max_value=512)
    windows_vms = forms.IntegerField(label=_("Windows Server VMs"), min_value=0, max_value=10**6)
    linux_vms = forms.IntegerField(label=_("Linux VMs"), min_value=0, max_value=10**6)
    years = forms.IntegerField(label=_("Years"), min_value=1, max_value=10)
    support = forms.ChoiceField(label=_("Support tier"), choices=SUPPORT_CHOICES)
    vmware = forms.ChoiceField(
        label=_("VMware edition"),
        choices=[("vvf", "vSphere Foundation (VVF)"), ("vcf", "Cloud Foundation (VCF)")],
    )
    owned = forms.MultipleChoiceField(
        label=_("Licences already owned"),
        choices=[(key, OWNED_LABELS[key]) for key in OWNED_CHOICES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    @classmethod
    def from_params(cls, params: QueryDict) -> CostForm:
        """Bound to the URL, with the defaults filling what the URL leaves out."""
        data = params.copy()
        for name, value in DEFAULTS.items():
            if not data.get(name):
                data[name] = str(value)
        return cls(data)

    def query(self) -> CostQuery:
        data = self.cleaned_data
        return CostQuery(
            hosts=data["hosts"],
            sockets=data["sockets"],
            cores=data["cores"],
            windows_vms=data["windows_vms"],
            linux_vms=data["linux_vms"],
            years=data["years"],
            support=data["support"],
            vmware=data["vmware"],
            owned=tuple(sorted(data["owned"])),
        )


@dataclass(frozen=True)
class CostQuery:
    hosts: int
    sockets: int
    cores: int
    windows_vms: int
    linux_vms: int
    years: int
    support: str = "none"
    vmware: str = "vvf"
    owned: tuple[str, ...] = ()

    @property
    def estate(self) -> Estate:
        return Estate(
            hosts=self.hosts,
            sockets=self.sockets,
            cores=self.cores,
            windows_vms=self.windows_vms,
            linux_vms=self.linux_vms,
            years=self.years,
            support=self.support,
            owned=frozenset(self.owned),
            vmware_edition=self.vmware,
        )

    def items(self) -> list[tuple[str, str]]:
        pairs = [
            ("hosts", self.hosts),
            ("sockets", self.sockets),
            ("cores", self.cores),
            ("windows_vms", self.windows_vms),
            ("linux_vms", self.linux_vms),
            ("years", self.years),
            ("support", self.support),
            ("vmware", self.vmware),
        ]
        return [(k, str(v)) for k, v in pairs] + [("owned", o) for o in self.owned]

    def querystring(self, **extra: str) -> str:
        return urlencode([*self.items(), *extra.items()])

    def without(self, *names: str) -> str:
        return urlencode([(k, v) for k, v in self.items() if k not in names])


def estate_querystring(estate: Estate) -> str:
    """The calculator URL's query for an estate (the recommendation links to it)."""
    query = CostQuery(
        hosts=estate.hosts,
        sockets=estate.sockets,
        cores=estate.cores,
        windows_vms=estate.windows_vms,
        linux_vms=estate.linux_vms,
        years=estate.years,
        support=estate.support,
        vmware=estate.vmware_edition,
        owned=tuple(sorted(estate.owned)),
    )
    return query.querystring()
