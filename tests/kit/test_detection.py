"""Detection is a pure function over recorded signal sets.

Each set is what the kit's collect_signals() reads on that platform. The DMI strings are the
ones the platforms publish to their guests, as recorded in public kernel logs ("Hardware name:
<sys_vendor> <product_name>/..., BIOS <bios_version>") and tools' own fixtures:
- Hyper-V: "Microsoft Corporation Virtual Machine/Virtual Machine, BIOS Hyper-V UEFI Release
  v4.1" (Linux kernel reports from Hyper-V guests); systemd-detect-virt names it "microsoft".
- VMware ESXi: "VMware, Inc. VMware20,1 ..., BIOS VMW201.00V.24006586.B64.2406042154"
  (kernel reports and Windows `systeminfo` in ESXi guests).
- Proxmox VE: DMI "QEMU Standard PC (Q35 + ICH9, 2009)" and the UEFI firmware's vendor
  "Proxmox distribution of EDK II" (Proxmox's OVMF build; `efi: EFI v2.70 by Proxmox
  distribution of EDK II` in guest boot logs).
- Nutanix AHV: dmidecode "Manufacturer: Nutanix", "Product Name: AHV" (fixture of
  trento-project/agent's cloud detection tests).
- plain KVM/QEMU: "QEMU Standard PC (Q35 + ICH9, 2009), BIOS 1.16.2-debian-1.16.2-1"
  (SeaBIOS; syzkaller kernel reports).
- Xen (XCP-ng and other Xen): "Xen HVM domU, BIOS 4.17.1"; /sys/hypervisor/type is "xen".
- bare metal: "Dell Inc. PowerEdge R650/0Y2G81, BIOS 1.6.5" (kernel report).
- this development VM (recorded here): systemd-detect-virt says kvm, no DMI at all.
"""

import pytest


def signals(**overrides):
    base = {
        "systemd_detect_virt": None,
        "dmi": {},
        "cpu_hypervisor_flag": False,
        "hypervisor_type": "",
        "xen_control_domain": False,
        "vmbus_devices": 0,
        "vmware_traces": [],
    }
    base.update(overrides)
    return base


HYPER_V = signals(
    systemd_detect_virt="microsoft",
    dmi={
        "sys_vendor": "Microsoft Corporation",
        "product_name": "Virtual Machine",
        "bios_vendor": "Microsoft Corporation",
        "bios_version": "Hyper-V UEFI Release v4.1",
    },
    cpu_hypervisor_flag=True,
    vmbus_devices=9,
)
VMWARE = signals(
    systemd_detect_virt="vmware",
    dmi={
        "sys_vendor": "VMware, Inc.",
        "product_name": "VMware20,1",
        "bios_vendor": "VMware, Inc.",
        "bios_version": "VMW201.00V.24006586.B64.2406042154",
    },
    cpu_hypervisor_flag=True,
    vmware_traces=["vmw_balloon", "vmw_vmci"],
)
PROXMOX_OVMF = signals(
    systemd_detect_virt="kvm",
    dmi={
        "sys_vendor": "QEMU",
        "product_name": "Standard PC (Q35 + ICH9, 2009)",
        "bios_vendor": "Proxmox distribution of EDK II",
        "bios_version": "4.2023.08-4",
    },
    cpu_hypervisor_flag=True,
)
NUTANIX_AHV = signals(
    systemd_detect_virt="kvm",
    dmi={"sys_vendor": "Nutanix", "product_name": "AHV"},
    cpu_hypervisor_flag=True,
)
PLAIN_KVM = signals(
    systemd_detect_virt="kvm",
    dmi={
        "sys_vendor": "QEMU",
        "product_name": "Standard PC (Q35 + ICH9, 2009)",
        "bios_vendor": "SeaBIOS",
        "bios_version": "1.16.2-debian-1.16.2-1",
    },
    cpu_hypervisor_flag=True,
)
XEN_GUEST = signals(
    systemd_detect_virt="xen",
    dmi={"sys_vendor": "Xen", "product_name": "HVM domU", "bios_vendor": "Xen"},
    cpu_hypervisor_flag=True,
    hypervisor_type="xen",
)
BARE_METAL = signals(
    systemd_detect_virt="none",
    dmi={"sys_vendor": "Dell Inc.", "product_name": "PowerEdge R650", "bios_vendor": "Dell Inc."},
)
THIS_DEV_VM = signals(systemd_detect_virt="kvm", cpu_hypervisor_flag=True)


@pytest.mark.parametrize(
    ("recorded", "kind", "candidates", "certain"),
    [
        (HYPER_V, "guest", ("hyper-v",), True),
        (VMWARE, "guest", ("vmware-esxi",), True),
        (PROXMOX_OVMF, "guest", ("proxmox-ve",), True),
        (NUTANIX_AHV, "guest", ("nutanix-ahv",), True),
        (PLAIN_KVM, "guest", ("kvm", "proxmox-ve"), False),
        (THIS_DEV_VM, "guest", ("kvm", "proxmox-ve"), False),
        (XEN_GUEST, "guest", ("xcp-ng",), False),
        (BARE_METAL, "bare-metal", ("bare-metal",), True),
    ],
    ids=["hyper-v", "vmware", "proxmox-ovmf", "ahv", "plain-kvm", "dev-vm", "xen", "bare-metal"],
)
def test_recorded_signal_sets_are_told_apart(kit, recorded, kind, candidates, certain):
    detection = kit.detect(recorded)
    assert (detection.kind, detection.candidates, detection.certain) == (
        kind,
        candidates,
        certain,
    )
    assert detection.reasons  # it always says why


def test_hyper_v_is_found_from_vmbus_alone_when_systemd_and_dmi_are_missing(kit):
    detection = kit.detect(signals(cpu_hypervisor_flag=True, vmbus_devices=4))
    assert detection.candidates == ("hyper-v",)


def test_a_hypervisor_flag_with_no_name_cannot_tell(kit):
    detection = kit.detect(signals(cpu_hypervisor_flag=True))
    assert detection.kind == "unknown"
    assert "no signal names the hypervisor" in detection.reasons[0]


def test_signals_that_disagree_cannot_tell(kit):
    # KVM's CPUID with a VMware DMI: nested or disguised; the kit refuses to pick one.
    mixed = signals(
        systemd_detect_virt="kvm",
        dmi={"sys_vendor": "VMware, Inc.", "product_name": "VMware20,1"},
        cpu_hypervisor_flag=True,
    )
    detection = kit.detect(mixed)
    assert detection.kind == "unknown"
    assert detection.reasons[0] == "signals disagree:"


def test_no_signals_at_all_cannot_tell(kit):
    assert kit.detect(signals()).kind == "unknown"


def test_xen_control_domain_is_neither_bare_metal_nor_a_guest(kit):
    dom0 = signals(hypervisor_type="xen", xen_control_domain=True, systemd_detect_virt="none")
    detection = kit.detect(dom0)
    assert detection.kind == "unknown"
    assert "dom0" in detection.reasons[0]


def test_a_guest_must_name_its_release(kit):
    with pytest.raises(kit.KitError, match=r"--platform hyper-v@RELEASE"):
        kit.resolve_platform(kit.detect(HYPER_V), None)


def test_kvm_that_cannot_be_told_apart_asks_which(kit):
    with pytest.raises(kit.KitError, match=r"kvm@RELEASE or --platform proxmox-ve@RELEASE"):
        kit.resolve_platform(kit.detect(PLAIN_KVM), None)


def test_cannot_tell_asks_for_platform(kit):
    with pytest.raises(kit.KitError, match="Cannot tell where this runs"):
        kit.resolve_platform(kit.detect(signals()), None)


def test_a_named_candidate_is_accepted_and_the_note_says_who_chose(kit):
    assert kit.resolve_platform(kit.detect(PLAIN_KVM), "proxmox-ve@9.2") == (
        "proxmox-ve",
        "9.2",
        "platform given by the user among kvm, proxmox-ve",
    )
    slug, release, note = kit.resolve_platform(kit.detect(HYPER_V), "hyper-v@2025")
    assert (slug, release, note) == ("hyper-v", "2025", "detected: a virtual machine on hyper-v")


def test_a_platform_against_detection_is_refused_unless_overridden(kit):
    with pytest.raises(kit.KitError, match="You said vmware-esxi"):
        kit.resolve_platform(kit.detect(HYPER_V), "vmware-esxi@8.0")
    with pytest.raises(kit.KitError, match="You said bare-metal"):
        kit.resolve_platform(kit.detect(VMWARE), "bare-metal")
    slug, _, note = kit.resolve_platform(kit.detect(HYPER_V), "vmware-esxi@8.0", override=True)
    assert slug == "vmware-esxi"
    assert "against detection" in note


def test_bare_metal_needs_no_flag_and_no_release(kit):
    assert kit.resolve_platform(kit.detect(BARE_METAL), None) == (
        "bare-metal",
        None,
        "detected: bare metal",
    )


def test_when_detection_cannot_tell_the_users_platform_is_recorded_as_theirs(kit):
    slug, release, note = kit.resolve_platform(kit.detect(signals()), "xcp-ng@8.3")
    assert (slug, release) == ("xcp-ng", "8.3")
    assert note == "platform given by the user; detection could not tell"


@pytest.mark.parametrize("text", ["esx@8", "hyper-v", "proxmox-ve@"])
def test_bad_platform_arguments_say_what_is_wrong(kit, text):
    with pytest.raises(kit.KitError):
        kit.parse_platform(text)


def test_signals_are_collected_from_a_recorded_tree(kit, tmp_path):
    (tmp_path / "sys/class/dmi/id").mkdir(parents=True)
    for name, value in {"sys_vendor": "Nutanix", "product_name": "AHV"}.items():
        (tmp_path / "sys/class/dmi/id" / name).write_text(value + "\n")
    (tmp_path / "proc").mkdir()
    (tmp_path / "proc/cpuinfo").write_text("model name\t: X\nflags\t\t: fpu hypervisor sse\n")
    (tmp_path / "sys/bus/vmbus/devices").mkdir(parents=True)
    collected = kit.collect_signals(str(tmp_path))
    assert collected["dmi"]["sys_vendor"] == "Nutanix"
    assert collected["cpu_hypervisor_flag"] is True
    assert collected["vmbus_devices"] == 0
    assert collected["systemd_detect_virt"] is None  # only asked on the real root
    assert kit.detect(collected).candidates == ("nutanix-ahv",)
