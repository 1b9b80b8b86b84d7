#!/usr/bin/env python3
"""virtcompare-bench: run VirtCompare's benchmarks on a host or in a VM, and submit the results.

One file, Python 3.8 or newer, standard library only. It runs exactly the command lines that
the portal defines for fio, sysbench and stress-ng (and iperf3 against a server you name),
keeps each tool's raw output in a local folder as soon as it finishes, detects whether it
runs on bare metal or under which hypervisor, describes the machine without any hostname,
serial number, MAC or IP address, and sends the raw outputs to the portal's API.

  python3 virtcompare_bench.py check
  python3 virtcompare_bench.py pair new
  python3 virtcompare_bench.py run --suite quick --target-dir /mnt/test [--pair CODE]
  python3 virtcompare_bench.py run --suite quick --show        # what would be sent
  python3 virtcompare_bench.py submit --server https://portal.example --token TOKEN

Exit codes: 0 done; 1 something failed, was refused or was not sent; 2 usage or setup error
(missing tool, platform not told); 130 interrupted (resume with `run --resume`).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

KIT_VERSION = "1.1.0"
USER_AGENT = "virtcompare-bench/" + KIT_VERSION
TOOLS = ("fio", "sysbench", "stress-ng", "iperf3")
DEFAULT_OUT = "virtcompare-results"

# The portal's benchmark definitions (fixtures/benchmarks/benchmarks.yaml), used when the
# server cannot be reached. A test keeps this copy equal to the fixture.
BUNDLED_BENCHMARKS = [
    {
        "slug": "fio-randread-4k",
        "name": "fio: random read, 4 KiB",
        "tool": "fio",
        "command": "fio --name=randread-4k --filename=/path/to/testfile --size=4G --rw=randread"
        " --bs=4k --ioengine=libaio --direct=1 --iodepth=32 --numjobs=1 --runtime=60"
        " --time_based --group_reporting --output-format=json",
    },
    {
        "slug": "fio-randwrite-4k",
        "name": "fio: random write, 4 KiB",
        "tool": "fio",
        "command": "fio --name=randwrite-4k --filename=/path/to/testfile --size=4G"
        " --rw=randwrite --bs=4k --ioengine=libaio --direct=1 --iodepth=32 --numjobs=1"
        " --runtime=60 --time_based --group_reporting --output-format=json",
    },
    {
        "slug": "fio-seqread-1m",
        "name": "fio: sequential read, 1 MiB",
        "tool": "fio",
        "command": "fio --name=seqread-1m --filename=/path/to/testfile --size=4G --rw=read"
        " --bs=1M --ioengine=libaio --direct=1 --iodepth=8 --numjobs=1 --runtime=60"
        " --time_based --group_reporting --output-format=json",
    },
    {
        "slug": "fio-seqwrite-1m",
        "name": "fio: sequential write, 1 MiB",
        "tool": "fio",
        "command": "fio --name=seqwrite-1m --filename=/path/to/testfile --size=4G --rw=write"
        " --bs=1M --ioengine=libaio --direct=1 --iodepth=8 --numjobs=1 --runtime=60"
        " --time_based --group_reporting --output-format=json",
    },
    {
        "slug": "fio-randrw-4k",
        "name": "fio: random read/write 70/30, 4 KiB",
        "tool": "fio",
        "command": "fio --name=randrw-4k --filename=/path/to/testfile --size=4G --rw=randrw"
        " --rwmixread=70 --bs=4k --ioengine=libaio --direct=1 --iodepth=16 --numjobs=1"
        " --runtime=60 --time_based --group_reporting --output-format=json",
    },
    {
        "slug": "iperf3-tcp",
        "name": "iperf3: TCP throughput",
        "tool": "iperf3",
        "command": "iperf3 -s (on the server), then: iperf3 -c <server> -P 1 -t 30 -J",
    },
    {
        "slug": "iperf3-udp",
        "name": "iperf3: UDP at 1 Gbit/s",
        "tool": "iperf3",
        "command": "iperf3 -s (on the server), then: iperf3 -c <server> -u -b 1G -P 1 -t 30 -J",
    },
    {
        "slug": "sysbench-cpu",
        "name": "sysbench: CPU (primes up to 10000)",
        "tool": "sysbench",
        "command": "sysbench cpu --cpu-max-prime=10000 --threads=1 --time=30 run",
    },
    {
        "slug": "sysbench-memory",
        "name": "sysbench: memory write, 1 KiB blocks",
        "tool": "sysbench",
        "command": "sysbench memory --memory-block-size=1K --memory-total-size=100G"
        " --memory-oper=write --memory-scope=global --threads=1 --time=30 run",
    },
    {
        "slug": "sysbench-fileio",
        "name": "sysbench: file I/O, random read/write",
        "tool": "sysbench",
        "command": "sysbench fileio --file-total-size=4G --file-test-mode=rndrw prepare; then"
        " sysbench fileio --file-total-size=4G --file-test-mode=rndrw --threads=1 --time=30"
        " run; then sysbench fileio --file-total-size=4G cleanup",
    },
    {
        "slug": "stress-ng",
        "name": "stress-ng: cpu, vm, matrix, memcpy",
        "tool": "stress-ng",
        "command": "stress-ng --cpu 1 --vm 1 --matrix 1 --memcpy 1 --timeout 60s --metrics"
        " --yaml stress-ng.yaml",
    },
]

# quick: one short run each of four benchmarks, about 3 minutes. standard: every local
# benchmark, repeated so that confidence intervals mean something. iperf3 joins either suite
# only with --iperf3-server. "seconds" (per tool) shortens the measuring time of the command
# lines, so that quick takes about 3 minutes and standard's five rounds 20-30 minutes; only
# --runtime/--time/--timeout change, never the workload (block size, queue depth, threads...),
# and the portal does not count fio's runtime or sysbench's and stress-ng's time as a
# different workload.
SUITES = {
    "quick": {
        "benchmarks": ["sysbench-cpu", "sysbench-memory", "fio-randread-4k", "fio-randwrite-4k"],
        "network": ["iperf3-tcp"],
        "repeat": 1,
        "seconds": {"fio": 40, "sysbench": 20},
    },
    "standard": {
        "benchmarks": [
            "fio-randread-4k",
            "fio-randwrite-4k",
            "fio-seqread-1m",
            "fio-seqwrite-1m",
            "fio-randrw-4k",
            "sysbench-cpu",
            "sysbench-memory",
            "sysbench-fileio",
            "stress-ng",
        ],
        "network": ["iperf3-tcp", "iperf3-udp"],
        "repeat": 5,
        "seconds": {"fio": 30, "sysbench": 20, "stress-ng": 30},
    },
}
# Time beyond measuring, measured with this kit on a 2-vCPU VM with a virtio disk shared
# with other work (2026-12-02, two runs): fio lays out its 4 GiB test file once, before the
# first fio run (18 s and 84 s); sysbench fileio writes its 4 GiB of files before each run
# and removes them after (41 s and 25 s); every other run took its measuring time plus about
# a second. The estimates take the mean; slower disks take longer.
FIO_LAYOUT_SECONDS = 51
SETUP_SECONDS = {"sysbench-fileio": 33}
START_SECONDS = 1
FORMATS = {"fio": "fio-json", "iperf3": "iperf3-json", "sysbench": "sysbench"}
FORMATS["stress-ng"] = "stress-ng-yaml"
EXTENSIONS = {"fio-json": "json", "iperf3-json": "json", "sysbench": "txt"}
EXTENSIONS["stress-ng-yaml"] = "yaml"
FIO_TESTFILE = "virtcompare-bench.fio"
FILEIO_DIR = "virtcompare-bench-fileio"
TEST_DATA_BYTES = 4 * 1024**3  # fio and sysbench fileio each write 4 GiB (--size=4G)

PLATFORMS = ("hyper-v", "vmware-esxi", "proxmox-ve", "xcp-ng", "nutanix-ahv", "kvm")
BASELINE = "bare-metal"
PAIR_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32: no I, L, O, U


class KitError(Exception):
    """A problem the user can fix; the message says how. Exit code 2."""


# ---------------------------------------------------------------------------------------
# Detection: a pure function over collected signals
# ---------------------------------------------------------------------------------------


class Detection:
    """Where the kit runs: kind is 'bare-metal', 'guest' or 'unknown'."""

    def __init__(self, kind, family=None, candidates=(), certain=False, reasons=()):
        self.kind = kind
        self.family = family
        self.candidates = tuple(candidates)
        self.certain = certain
        self.reasons = tuple(reasons)

    def as_dict(self):
        return {
            "kind": self.kind,
            "family": self.family,
            "candidates": list(self.candidates),
            "certain": self.certain,
            "reasons": list(self.reasons),
        }

    def describe(self):
        if self.kind == "bare-metal":
            return "bare metal (no hypervisor)"
        if self.kind == "guest":
            names = ", ".join(self.candidates)
            if self.certain:
                return f"a virtual machine on {names}"
            return f"a virtual machine on {self.family} hypervisor: {names} (cannot tell which)"
        return "cannot tell"


FAMILY_CANDIDATES = {
    "hyper-v": ("hyper-v",),
    "vmware": ("vmware-esxi",),
    "xen": ("xcp-ng",),
    "kvm": ("kvm", "proxmox-ve", "nutanix-ahv"),
}


def _dmi(signals, key):
    return (signals.get("dmi") or {}).get(key) or ""


def detect(signals):
    """Bare metal or which hypervisor, from signals gathered by collect_signals().

    signals: systemd_detect_virt (output of `systemd-detect-virt --vm`, None when absent),
    dmi {sys_vendor, product_name, product_version, bios_vendor, bios_version,
    board_vendor}, cpu_hypervisor_flag, hypervisor_type (/sys/hypervisor/type),
    xen_control_domain, vmbus_devices, vmware_traces. Never guesses: when the signals
    disagree or say too little, kind is 'unknown' or certain is False.
    """
    sdv = (signals.get("systemd_detect_virt") or "").strip().lower() or None
    sys_vendor, product = _dmi(signals, "sys_vendor"), _dmi(signals, "product_name")
    product_version, bios_vendor = _dmi(signals, "product_version"), _dmi(signals, "bios_vendor")
    bios_version, board_vendor = _dmi(signals, "bios_version"), _dmi(signals, "board_vendor")
    flag = bool(signals.get("cpu_hypervisor_flag"))
    evidence = {}

    def found(family, reason):
        evidence.setdefault(family, []).append(reason)

    if sdv == "microsoft":
        found("hyper-v", "systemd-detect-virt: microsoft")
    if signals.get("vmbus_devices"):
        found("hyper-v", "%d VMBus devices" % signals["vmbus_devices"])
    if sys_vendor == "Microsoft Corporation" and product == "Virtual Machine":
        found("hyper-v", "DMI: Microsoft Corporation Virtual Machine")
    if "Hyper-V" in bios_version or "Hyper-V" in product_version:
        found("hyper-v", "DMI firmware: %s" % (bios_version or product_version))
    if sdv == "vmware":
        found("vmware", "systemd-detect-virt: vmware")
    if sys_vendor.startswith("VMware") or product.startswith("VMware"):
        found("vmware", f"DMI: {sys_vendor} {product}")
    if signals.get("vmware_traces"):
        found("vmware", "VMware traces: {}".format(", ".join(signals["vmware_traces"])))
    if sdv == "xen":
        found("xen", "systemd-detect-virt: xen")
    if (signals.get("hypervisor_type") or "").strip() == "xen":
        found("xen", "/sys/hypervisor/type: xen")
    if sys_vendor == "Xen" or bios_vendor == "Xen":
        found("xen", f"DMI: {sys_vendor or bios_vendor} {product}")
    if sdv in ("kvm", "qemu"):
        found("kvm", f"systemd-detect-virt: {sdv}")
    if sys_vendor in ("QEMU", "Nutanix") or product.startswith("KVM"):
        found("kvm", f"DMI: {sys_vendor} {product}")

    if signals.get("xen_control_domain"):
        return Detection(
            "unknown",
            family="xen",
            reasons=["this is Xen's control domain (dom0): neither bare metal nor a guest"],
        )
    if len(evidence) > 1:
        reasons = ["signals disagree:"] + [r for rs in evidence.values() for r in rs]
        return Detection("unknown", reasons=reasons)
    if len(evidence) == 1:
        family, reasons = next(iter(evidence.items()))
        if flag:
            reasons = reasons + ["CPU flag: hypervisor"]
        if family == "kvm":
            if sys_vendor == "Nutanix" and product == "AHV":
                return Detection("guest", family, ("nutanix-ahv",), True, reasons)
            if "Proxmox" in bios_vendor:
                reasons = reasons + [f"firmware: {bios_vendor}"]
                return Detection("guest", family, ("proxmox-ve",), True, reasons)
            reasons = reasons + ["nothing tells Proxmox VE from plain KVM (or a cloud)"]
            return Detection("guest", family, ("kvm", "proxmox-ve"), False, reasons)
        if family == "xen":
            reasons = reasons + ["nothing tells XCP-ng from another Xen"]
            return Detection("guest", family, FAMILY_CANDIDATES[family], False, reasons)
        return Detection("guest", family, FAMILY_CANDIDATES[family], True, reasons)
    if flag:
        reasons = ["CPU flag: hypervisor, but no signal names the hypervisor"]
        if sdv:
            reasons.append(f"systemd-detect-virt: {sdv}")
        return Detection("unknown", reasons=reasons)
    dmi_vendor = sys_vendor or board_vendor
    if sdv == "none" or dmi_vendor:
        reasons = ["no CPU hypervisor flag"]
        if sdv == "none":
            reasons.append("systemd-detect-virt: none")
        if dmi_vendor:
            reasons.append(f"DMI: {dmi_vendor} {product}")
        return Detection("bare-metal", candidates=(BASELINE,), certain=True, reasons=reasons)
    return Detection("unknown", reasons=["no systemd-detect-virt, no DMI, no hypervisor flag"])


def parse_platform(text):
    """'slug@release' → (slug, release); bare-metal needs no release."""
    slug, _, release = (text or "").partition("@")
    slug, release = slug.strip().lower(), release.strip()
    if slug not in PLATFORMS + (BASELINE,):
        raise KitError(
            "Unknown platform {!r}; use one of: {}.".format(
                slug, ", ".join(PLATFORMS + (BASELINE,))
            )
        )
    if slug != BASELINE and not release:
        raise KitError(
            f"Say which release: --platform {slug}@RELEASE (e.g. the version shown in the "
            "hypervisor's own console); a VM cannot see it."
        )
    return slug, release or None


def resolve_platform(detection, requested, override=False):
    """The (platform, release, note) a run is recorded under, or KitError asking for more."""
    if requested:
        slug, release = parse_platform(requested)
        if detection.kind == "unknown":
            return slug, release, "platform given by the user; detection could not tell"
        allowed = set(detection.candidates)
        if slug in allowed:
            if detection.kind == "guest" and not detection.certain:
                return (
                    slug,
                    release,
                    "platform given by the user among {}".format(", ".join(detection.candidates)),
                )
            return slug, release, f"detected: {detection.describe()}"
        if override:
            return (
                slug,
                release,
                f"platform given by the user against detection ({detection.describe()})",
            )
        raise KitError(
            "You said {}, but this looks like {} ({}). Check --platform, or add "
            "--override-detection if you are sure.".format(
                slug,
                detection.describe(),
                "; ".join(detection.reasons),
            )
        )
    if detection.kind == "bare-metal":
        return BASELINE, None, "detected: bare metal"
    if detection.kind == "guest":
        examples = " or ".join(f"--platform {c}@RELEASE" for c in detection.candidates)
        raise KitError(
            "This is {} ({}). A VM cannot see the release: run again with {}.".format(
                detection.describe(), "; ".join(detection.reasons), examples
            )
        )
    raise KitError(
        "Cannot tell where this runs ({}). Run again with --platform SLUG@RELEASE, one of: {},"
        " or --platform bare-metal.".format("; ".join(detection.reasons), ", ".join(PLATFORMS))
    )


# ---------------------------------------------------------------------------------------
# Collecting signals and facts (reads only; nothing identifying is kept)
# ---------------------------------------------------------------------------------------


def _read(path, default=""):
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read().strip()
    except OSError:
        return default


def _output(argv, timeout=10):
    try:
        done = subprocess.run(
            argv,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=timeout,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip()


def _count(path):
    try:
        return len(os.listdir(path))
    except OSError:
        return 0


def collect_signals(root="/"):
    """The raw signals detect() reads. DMI serials and UUIDs are never read."""

    def at(path):
        return os.path.join(root, path.lstrip("/"))

    dmi = {}
    for key in ("sys_vendor", "product_name", "product_version", "bios_vendor"):
        dmi[key] = _read(at("/sys/class/dmi/id/" + key))
    dmi["bios_version"] = _read(at("/sys/class/dmi/id/bios_version"))
    dmi["board_vendor"] = _read(at("/sys/class/dmi/id/board_vendor"))
    sdv = None
    if root == "/" and shutil.which("systemd-detect-virt"):
        sdv = _output(["systemd-detect-virt", "--vm"])
    cpuinfo = _read(at("/proc/cpuinfo"))
    flags = set()
    for line in cpuinfo.splitlines():
        if line.startswith("flags"):
            flags = set(line.partition(":")[2].split())
            break
    vmware = [
        m
        for m in ("vmw_balloon", "vmw_vmci", "vmw_pvscsi", "vmxnet3")
        if os.path.isdir(at("/sys/module/" + m))
    ]
    if shutil.which("vmtoolsd") and root == "/":
        vmware.append("vmtoolsd")
    return {
        "systemd_detect_virt": sdv,
        "dmi": dmi,
        "cpu_hypervisor_flag": "hypervisor" in flags,
        "hypervisor_type": _read(at("/sys/hypervisor/type")),
        "xen_control_domain": "control_d" in _read(at("/proc/xen/capabilities")),
        "vmbus_devices": _count(at("/sys/bus/vmbus/devices")),
        "vmware_traces": vmware,
    }


def cpu_facts(root="/"):
    cpuinfo = _read(os.path.join(root, "proc/cpuinfo"))
    model = ""
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        if key.strip() in ("model name", "Model Name", "cpu model") and value.strip():
            model = value.strip()
            break
    if not model and root == "/" and shutil.which("lscpu"):
        for line in (_output(["lscpu"]) or "").splitlines():
            if line.startswith("Model name:"):
                model = line.partition(":")[2].strip()
                break
    packages, cores, threads = set(), set(), 0
    base = os.path.join(root, "sys/devices/system/cpu")
    try:
        names = sorted(n for n in os.listdir(base) if re.match(r"cpu\d+$", n))
    except OSError:
        names = []
    for name in names:
        topo = os.path.join(base, name, "topology")
        package = _read(os.path.join(topo, "physical_package_id"), None)
        core = _read(os.path.join(topo, "core_id"), None)
        if package is None:
            continue
        threads += 1
        packages.add(package)
        cores.add((package, core))
    numa = len(
        [
            n
            for n in _listdir(os.path.join(root, "sys/devices/system/node"))
            if re.match(r"node\d+$", n)
        ]
    )
    return {
        "model": re.sub(r"\s+", " ", model) or "unknown CPU",
        "sockets": len(packages) or None,
        "cores": len(cores) or None,
        "threads": threads or os.cpu_count(),
        "numa_nodes": numa or None,
    }


def _listdir(path):
    try:
        return os.listdir(path)
    except OSError:
        return []


def memory_gib(root="/"):
    for line in _read(os.path.join(root, "proc/meminfo")).splitlines():
        if line.startswith("MemTotal:"):
            return round(int(line.split()[1]) / 1024 / 1024, 1)
    return None


def os_facts(root="/"):
    release = {}
    for line in _read(os.path.join(root, "etc/os-release")).splitlines():
        key, _, value = line.partition("=")
        release[key] = value.strip().strip('"')
    return {
        "distribution": release.get("PRETTY_NAME") or release.get("NAME") or "unknown",
        "id": release.get("ID", ""),
        "id_like": release.get("ID_LIKE", ""),
        "kernel": os.uname().release if root == "/" else "",
    }


def governor(root="/"):
    value = _read(os.path.join(root, "sys/devices/system/cpu/cpu0/cpufreq/scaling_governor"))
    return value or "not exposed"


def mitigations(root="/"):
    """CPU vulnerability states, grouped: {'mitigated': [...], 'vulnerable': [...], ...}."""
    base = os.path.join(root, "sys/devices/system/cpu/vulnerabilities")
    groups = {}
    for name in sorted(_listdir(base)):
        state = _read(os.path.join(base, name))
        if state.startswith("Not affected"):
            group = "not affected"
        elif state.startswith("Vulnerable"):
            group = "vulnerable"
        elif state.startswith("Mitigation"):
            group = "mitigated"
        else:
            group = "other"
        groups.setdefault(group, []).append(name)
    return groups


# Drivers that say which virtual disk bus or paravirtual device a guest uses.
DISK_DRIVERS = {
    "virtio_blk": "virtio-blk",
    "virtio_scsi": "virtio-scsi",
    "storvsc": "Hyper-V SCSI (storvsc)",
    "hv_storvsc": "Hyper-V SCSI (storvsc)",
    "vmw_pvscsi": "VMware PVSCSI",
    "mptspi": "LSI Logic SPI (mptspi)",
    "mptsas": "LSI Logic SAS (mptsas)",
    "vbd": "Xen PV block (xen-blkfront)",
    "xen_blkfront": "Xen PV block (xen-blkfront)",
    "nvme": "NVMe",
    "ahci": "SATA (AHCI)",
    "ata_piix": "IDE/SATA (ata_piix)",
    "megaraid_sas": "MegaRAID SAS",
}
PARAVIRTUAL_MODULES = (
    "virtio_blk",
    "virtio_scsi",
    "virtio_net",
    "virtio_balloon",
    "hv_vmbus",
    "hv_storvsc",
    "hv_netvsc",
    "hv_balloon",
    "hv_utils",
    "vmw_pvscsi",
    "vmxnet3",
    "vmw_balloon",
    "vmw_vmci",
    "xen_blkfront",
    "xen_netfront",
)


def storage_facts(target_dir, root="/"):
    """Device, bus and filesystem of the target directory; no serials, no UUIDs."""
    fstype, source = _mount_of(target_dir, root)
    facts = {
        "filesystem": fstype or "unknown",
        "device": "",
        "model": "",
        "bus": "",
        "rotational": None,
    }
    try:
        st = os.stat(target_dir)
    except OSError:
        return facts
    sys_dev = os.path.join(root, "sys/dev/block/%d:%d" % (os.major(st.st_dev), os.minor(st.st_dev)))
    if not os.path.exists(sys_dev):
        facts["device"] = "no block device (%s)" % (fstype or "virtual filesystem")
        return facts
    path = os.path.realpath(sys_dev)
    if os.path.exists(os.path.join(path, "partition")):
        path = os.path.dirname(path)
    name = os.path.basename(path)
    facts["device"] = name
    facts["model"] = re.sub(r"\s+", " ", _read(os.path.join(path, "device/model")))
    rotational = _read(os.path.join(path, "queue/rotational"))
    facts["rotational"] = rotational == "1" if rotational else None
    walk = os.path.realpath(os.path.join(path, "device"))
    while walk and walk != "/" and walk.startswith(os.path.join(root, "sys")):
        driver = os.path.join(walk, "driver")
        if os.path.islink(driver):
            label = DISK_DRIVERS.get(os.path.basename(os.readlink(driver)))
            if label:
                facts["bus"] = label
                break
        walk = os.path.dirname(walk)
    if not facts["bus"] and name.startswith("nvme"):
        facts["bus"] = "NVMe"
    return facts


def _mount_of(target_dir, root="/"):
    best, fstype, source = "", "", ""
    target = os.path.realpath(target_dir)
    for line in _read(os.path.join(root, "proc/self/mountinfo")).splitlines():
        left, _, right = line.partition(" - ")
        parts, rest = left.split(), right.split()
        if len(parts) < 5 or len(rest) < 2:
            continue
        mount = parts[4].replace("\\040", " ")
        inside = target == mount or target.startswith(mount.rstrip("/") + "/")
        if inside and len(mount) >= len(best):
            best, fstype, source = mount, rest[0], rest[1]
    return fstype, source


VIRTUAL_BUSES = ("virtio", "Hyper-V", "VMware", "Xen")


def storage_text(facts):
    kind = ""
    if (facts.get("bus") or "").startswith(VIRTUAL_BUSES):
        pass  # a virtual disk's rotational flag says nothing about the host's storage
    elif facts.get("rotational") is True:
        kind = "HDD"
    elif facts.get("rotational") is False:
        kind = "SSD"
    parts = [p for p in (facts.get("bus"), facts.get("model"), kind) if p]
    device = " ".join(parts) or facts.get("device") or "unknown device"
    return "{}, {}".format(device, facts.get("filesystem") or "unknown filesystem")


def loaded_paravirtual(root="/"):
    return [m for m in PARAVIRTUAL_MODULES if os.path.isdir(os.path.join(root, "sys/module", m))]


def nic_facts(root="/"):
    """Driver and speed of the interface that carries the default route (no MAC, no IP)."""
    interface = ""
    for line in _read(os.path.join(root, "proc/net/route")).splitlines()[1:]:
        fields = line.split()
        if len(fields) > 2 and fields[1] == "00000000":
            interface = fields[0]
            break
    if not interface:
        return {}
    base = os.path.join(root, "sys/class/net", interface)
    driver = ""
    if os.path.islink(os.path.join(base, "device/driver")):
        driver = os.path.basename(os.readlink(os.path.join(base, "device/driver")))
    speed = _read(os.path.join(base, "speed"))
    gbps = None
    if speed.isdigit() and int(speed) > 0:
        gbps = int(speed) / 1000.0
    return {"driver": driver or "unknown driver", "speed_gbps": gbps}


# ---------------------------------------------------------------------------------------
# Pairing and the environment sent with each run
# ---------------------------------------------------------------------------------------


def new_pair_code():
    raw = "".join(secrets.choice(PAIR_ALPHABET) for _ in range(10))
    return raw[:5] + "-" + raw[5:]


def normalize_pair_code(code):
    text = (code or "").upper().replace("-", "").replace(" ", "")
    text = text.replace("O", "0").replace("I", "1").replace("L", "1")
    if len(text) != 10 or any(c not in PAIR_ALPHABET for c in text):
        raise KitError(
            "A pairing code has 10 letters and digits, like 7KQ2M-9XD4T (from `pair new`)."
        )
    return text


def pair_tag(code):
    """What the portal sees of a pairing code: a hash, so the code itself stays private."""
    digest = hashlib.sha256(("virtcompare-pair:" + normalize_pair_code(code)).encode()).hexdigest()
    return digest[:12]


def build_environment(facts, kind, tag=None):
    """The environment and vm objects of the API, from collected facts.

    Unpaired bare metal: the host's own hardware. A guest sees only its own virtual
    hardware, so it sends the CPU model it sees as the host, and its shape under vm.
    Paired runs (bare metal and guests alike) send one host identity derived from the
    pairing code: the portal groups runs by the hash of these fields, so every run with
    the same code lands on the same host whatever the VM can see. What each side sees
    goes into the run's notes.
    """
    cpu, mem = facts["cpu"], facts["memory_gib"]
    if tag:
        environment = {"cpu_model": f"Paired host {tag}", "name": f"Paired host {tag}"}
        if kind == "bare-metal":
            environment["bios_notes"] = _host_summary(facts)
    elif kind == "bare-metal":
        environment = {
            "cpu_model": cpu["model"],
            "sockets": cpu["sockets"],
            "cores": cpu["cores"],
            "threads": cpu["threads"],
            "memory_gb": mem,
            "storage": storage_text(facts["storage"]),
        }
        if facts.get("nic"):
            environment["nic"] = facts["nic"]["driver"]
            environment["nic_speed_gbps"] = facts["nic"]["speed_gbps"]
    else:
        environment = {"cpu_model": cpu["model"]}
    vm = {}
    if kind != "bare-metal":
        vm = {
            "vcpus": cpu["threads"],
            "memory_gb": mem,
            "guest_os": facts["os"]["distribution"],
            "guest_kernel": facts["os"]["kernel"],
            "disk_type": storage_text(facts["storage"]),
            "paravirtual_drivers": ", ".join(facts["paravirtual"]),
        }
        if facts.get("nic"):
            vm["network_type"] = facts["nic"]["driver"]
    return _fit(environment, ENVIRONMENT_LIMITS), _fit(vm, VM_LIMITS)


# The portal's column sizes: longer text would be refused, so it is cut here.
ENVIRONMENT_LIMITS = {"name": 120, "cpu_model": 200, "storage": 200, "nic": 200}
ENVIRONMENT_LIMITS["bios_notes"] = 200
VM_LIMITS = {"guest_os": 120, "guest_kernel": 120, "disk_type": 80, "network_type": 80}
VM_LIMITS["paravirtual_drivers"] = 200


def _fit(values, limits):
    fitted = {}
    for key, value in values.items():
        if value in (None, "", []):
            continue
        if isinstance(value, str) and key in limits:
            value = value[: limits[key]]
        fitted[key] = value
    return fitted


def _host_summary(facts):
    cpu = facts["cpu"]
    parts = [cpu["model"]]
    if cpu["sockets"]:
        parts.append("{} socket(s)".format(cpu["sockets"]))
    if cpu["cores"]:
        parts.append("{} cores".format(cpu["cores"]))
    if cpu["threads"]:
        parts.append("{} threads".format(cpu["threads"]))
    if facts["memory_gib"]:
        parts.append("{} GiB".format(facts["memory_gib"]))
    parts.append(storage_text(facts["storage"]))
    return " · ".join(parts)


def notes_text(session, item):
    """The notes sent with one run: what the kit saw, in plain lines (no identifiers)."""
    facts = session["facts"]
    cpu = facts["cpu"]
    lines = [
        "virtcompare-bench %s · suite %s · repetition %d of %d"
        % (session["kit_version"], session["suite"], item["repetition"], session["repeat"]),
        "where: {}".format(session["platform_note"]),
    ]
    if session.get("pair_tag"):
        lines.append("paired host: {}".format(session["pair_tag"]))
    lines.append(
        "cpu seen: {} · sockets {} · cores {} · threads {} · NUMA nodes {}".format(
            cpu["model"],
            cpu["sockets"] or "?",
            cpu["cores"] or "?",
            cpu["threads"] or "?",
            cpu["numa_nodes"] or "?",
        )
    )
    lines.append("memory seen: %s GiB" % (facts["memory_gib"] or "?"))
    lines.append("os: {} · kernel {}".format(facts["os"]["distribution"], facts["os"]["kernel"]))
    lines.append("cpu governor: {}".format(facts["governor"]))
    groups = facts["mitigations"]
    if groups:
        lines.append(
            "cpu vulnerabilities: "
            + "; ".join("{}: {}".format(g, ", ".join(names)) for g, names in sorted(groups.items()))
        )
    lines.append("target storage: {}".format(storage_text(facts["storage"])))
    if facts.get("nic"):
        lines.append("network: {}".format(facts["nic"]["driver"]))
    return "\n".join(lines)


def collect_facts(target_dir, with_network=False):
    facts = {
        "cpu": cpu_facts(),
        "memory_gib": memory_gib(),
        "os": os_facts(),
        "governor": governor(),
        "mitigations": mitigations(),
        "storage": storage_facts(target_dir),
        "paravirtual": loaded_paravirtual(),
    }
    if with_network:
        facts["nic"] = nic_facts()
    return facts


# ---------------------------------------------------------------------------------------
# Scrubbing raw outputs: hostnames, IP addresses and local paths never leave the machine
# ---------------------------------------------------------------------------------------

REDACTED = "redacted"


def scrub(raw, fmt, target_dir=None):
    """The raw output as it will be sent: identifying values replaced, numbers untouched."""
    if fmt == "stress-ng-yaml":
        return re.sub(
            r"^(\s*(?:hostname|nodename|run-by):\s*).*$", r"\g<1>" + REDACTED, raw, flags=re.M
        )
    if fmt == "iperf3-json":
        try:
            document = json.loads(raw)
        except ValueError:
            return _scrub_addresses(raw)
        start = document.get("start") if isinstance(document, dict) else None
        if isinstance(start, dict):
            info = start.get("system_info")
            if isinstance(info, str) and len(info.split(" ")) > 1:
                words = info.split(" ")
                words[1] = REDACTED  # `uname -a`: the second word is the hostname
                start["system_info"] = " ".join(words)
            for connection in start.get("connected") or []:
                if isinstance(connection, dict):
                    for key in ("local_host", "remote_host"):
                        if key in connection:
                            connection[key] = REDACTED
            if isinstance(start.get("connecting_to"), dict):
                start["connecting_to"]["host"] = REDACTED
            start.pop("cookie", None)
        return _scrub_addresses(json.dumps(document, indent=2))
    if fmt == "fio-json" and target_dir:
        return raw.replace(os.path.realpath(target_dir).rstrip("/") + "/", "<target-dir>/").replace(
            target_dir.rstrip("/") + "/", "<target-dir>/"
        )
    return raw


def _scrub_addresses(text):
    text = re.sub(r"\b(?:\d{1,3}\.){3}\d{1,3}\b", REDACTED, text)
    return re.sub(r"\b(?:[0-9a-fA-F]{1,4}:){2,7}[0-9a-fA-F]{1,4}\b", REDACTED, text)


# ---------------------------------------------------------------------------------------
# Plans: the exact command lines of a benchmark definition, placeholders filled in
# ---------------------------------------------------------------------------------------


class Step:
    def __init__(self, argv, cwd, keep=False, always=False):
        self.argv = argv
        self.cwd = cwd
        self.keep = keep  # this step's standard output is the result
        self.always = always  # run even when an earlier step failed (cleanup)


class Plan:
    def __init__(self, slug, tool, fmt, steps, result_file=None, seconds=0):
        self.slug = slug
        self.tool = tool
        self.fmt = fmt
        self.steps = steps
        self.result_file = result_file  # stress-ng writes its YAML to a file
        self.seconds = seconds  # the measuring time the command line asks for


DURATION_FLAGS = (r"(--runtime=)\d+()", r"(--time=)\d+()", r"(--timeout )\d+(s)", r"( -t )\d+()")


def with_seconds(command, seconds):
    """The command line measuring for `seconds` instead (None or 0: as defined)."""
    if not seconds:
        return command
    for pattern in DURATION_FLAGS:
        command = re.sub(pattern, lambda m: m.group(1) + str(int(seconds)) + m.group(2), command)
    return command


def measured_seconds(command):
    total = 0
    for pattern in (r"--runtime=(\d+)", r"--time=(\d+)", r"--timeout (\d+)s", r" -t (\d+)"):
        match = re.search(pattern, command)
        if match:
            total = max(total, int(match.group(1)))
    return total


def plan_for(definition, target_dir, work_dir, iperf3_server=None, seconds=None):
    """Steps for one benchmark: its command line as defined, with only the placeholders
    (/path/to/testfile, <server>) replaced and, when the suite says so, the measuring time."""
    slug, tool = definition["slug"], definition["tool"]
    command = with_seconds(definition["command"], seconds)
    fmt = FORMATS.get(tool)
    if fmt is None:
        raise KitError(f"The portal defines {slug} with tool {tool!r}, which this kit cannot run.")
    seconds = measured_seconds(command)
    if tool == "fio":
        argv = [
            a.replace("/path/to/testfile", os.path.join(target_dir, FIO_TESTFILE))
            for a in shlex.split(command)
        ]
        return Plan(slug, tool, fmt, [Step(argv, target_dir, keep=True)], seconds=seconds)
    if tool == "iperf3":
        if not iperf3_server:
            raise KitError(f"{slug} needs --iperf3-server HOST (a machine running `iperf3 -s`).")
        client = command.split("then:", 1)[-1].strip()
        argv = [a.replace("<server>", iperf3_server) for a in shlex.split(client)]
        return Plan(slug, tool, fmt, [Step(argv, work_dir, keep=True)], seconds=seconds)
    if tool == "sysbench":
        parts = [p.strip() for p in re.split(r";\s*then\s*", command) if p.strip()]
        if len(parts) == 1:
            return Plan(
                slug, tool, fmt, [Step(shlex.split(parts[0]), work_dir, keep=True)], seconds=seconds
            )
        files = os.path.join(target_dir, FILEIO_DIR)
        steps = []
        for part in parts:
            argv = shlex.split(part)
            last = argv[-1]
            steps.append(Step(argv, files, keep=last == "run", always=last == "cleanup"))
        return Plan(slug, tool, fmt, steps, seconds=seconds)
    argv = shlex.split(command)
    result_file = None
    if "--yaml" in argv:
        result_file = os.path.join(work_dir, argv[argv.index("--yaml") + 1])
    return Plan(
        slug, tool, fmt, [Step(argv, work_dir, keep=result_file is None)], result_file, seconds
    )


def run_estimate(slug, seconds):
    """Expected wall-clock seconds of one run measuring for `seconds`."""
    return seconds + SETUP_SECONDS.get(slug, START_SECONDS)


def suite_seconds(suite, definitions, repeat=None, with_network=False):
    """Expected wall-clock seconds of a whole suite: measuring time as the suite runs it,
    plus laying out the test files."""
    spec = SUITES[suite]
    tools = {d["slug"]: d["tool"] for d in definitions}
    by_slug = {d["slug"]: d["command"] for d in definitions}
    items = suite_items(suite, repeat or spec["repeat"], definitions, with_network)
    total = sum(
        run_estimate(
            slug, measured_seconds(with_seconds(by_slug[slug], spec["seconds"].get(tools[slug])))
        )
        for slug, _ in items
    )
    if any(tools[slug] == "fio" for slug, _ in items):
        total += FIO_LAYOUT_SECONDS
    return total


def suite_help():
    """The suites and how long each takes, for `run --help`."""
    parts = []
    for name in sorted(SUITES):
        spec = SUITES[name]
        parts.append(
            "%s: %d benchmarks x %d, about %d min"
            % (
                name,
                len(spec["benchmarks"]),
                spec["repeat"],
                round(suite_seconds(name, BUNDLED_BENCHMARKS) / 60),
            )
        )
    return "; ".join(parts) + " (measured on a 2-vCPU VM; slower disks take longer)"


def suite_items(suite, repeat, definitions, with_network):
    """(slug, repetition) in run order: whole rounds, so drift touches every benchmark alike."""
    spec = SUITES[suite]
    slugs = list(spec["benchmarks"]) + (list(spec["network"]) if with_network else [])
    known = {d["slug"] for d in definitions}
    missing = [s for s in slugs if s not in known]
    if missing:
        raise KitError(
            "The portal no longer defines {}; update the kit.".format(", ".join(missing))
        )
    return [(slug, k) for k in range(1, repeat + 1) for slug in slugs]


def result_name(slug, repetition, fmt):
    return "%s.%d.%s" % (slug, repetition, EXTENSIONS[fmt])


# ---------------------------------------------------------------------------------------
# Talking to the portal
# ---------------------------------------------------------------------------------------


def http_json(method, url, body=None, headers=None, timeout=60):
    """(status, parsed body or text, response headers); network errors raise OSError."""
    data = None
    all_headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
    all_headers.update(headers or {})
    if body is not None:
        data = json.dumps(body).encode()
        all_headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, headers=all_headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, payload, got = response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        status, payload, got = error.code, error.read(), dict(error.headers or {})
    text = payload.decode("utf-8", errors="replace")
    try:
        return status, json.loads(text), got
    except ValueError:
        return status, text, got


def fetch_definitions(server):
    """The portal's benchmark definitions, or None when it cannot be reached."""
    url = server.rstrip("/") + "/api/v1/benchmarks/?page_size=500"
    try:
        status, body, _ = http_json("GET", url, timeout=20)
    except OSError:
        return None
    if status != 200:
        return None
    rows = body.get("results") if isinstance(body, dict) else body
    if not isinstance(rows, list):
        return None
    return [{k: r.get(k, "") for k in ("slug", "name", "tool", "command")} for r in rows]


# ---------------------------------------------------------------------------------------
# Running, with progress, resume and a clean stop on Ctrl-C
# ---------------------------------------------------------------------------------------


class Progress:
    def __init__(self, total_seconds, stream=None):
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.total = max(total_seconds, 1)
        self.started = time.time()
        self.done_estimate = 0.0

    def eta(self, current_estimate, current_elapsed):
        elapsed = time.time() - self.started
        spent = self.done_estimate + min(current_elapsed, current_estimate)
        remaining = max(self.total - spent, 0)
        if self.done_estimate > 0:
            # Scale the remaining estimate by how real runs compared with their estimates.
            finished_time = elapsed - current_elapsed
            remaining *= max(finished_time / self.done_estimate, 0.5)
        return elapsed, remaining

    def show(self, index, count, label, current_estimate, current_elapsed):
        elapsed, remaining = self.eta(current_estimate, current_elapsed)
        if not self.tty:
            return
        spent = self.done_estimate + min(current_elapsed, current_estimate)
        width = 24
        filled = int(width * min(spent / self.total, 1))
        line = "[%s%s] %d/%d %s · elapsed %s · ETA %s" % (
            "#" * filled,
            "-" * (width - filled),
            index,
            count,
            label,
            clock(elapsed),
            clock(remaining),
        )
        self.stream.write("\r" + line[:150].ljust(150))
        self.stream.flush()

    def line(self, text):
        if self.tty:
            self.stream.write("\r" + " " * 150 + "\r")
        self.stream.write(text + "\n")
        self.stream.flush()

    def finished(self, estimate):
        self.done_estimate += estimate


def clock(seconds):
    seconds = int(seconds)
    if seconds >= 3600:
        return "%d:%02d:%02d" % (seconds // 3600, seconds % 3600 // 60, seconds % 60)
    return "%02d:%02d" % (seconds // 60, seconds % 60)


class Interrupted(Exception):
    pass


def _raise_interrupt(signum, frame):
    raise Interrupted()


def run_step(step, progress, index, count, label, estimate, started):
    """Run one command; its standard output, or raise Interrupted / return (code, out, err)."""
    os.makedirs(step.cwd, exist_ok=True)
    child = subprocess.Popen(
        step.argv,
        cwd=step.cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # Ctrl-C reaches the kit, which stops the tool itself
    )
    try:
        out, err = _communicate(child, progress, index, count, label, estimate, started)
    except BaseException:
        _stop(child)
        raise
    return child.returncode, out, err


def _communicate(child, progress, index, count, label, estimate, started):
    import threading

    chunks = {"out": [], "err": []}

    def pump(stream, key):
        for block in iter(lambda: stream.read(65536), b""):
            chunks[key].append(block)

    readers = [
        threading.Thread(target=pump, args=(child.stdout, "out"), daemon=True),
        threading.Thread(target=pump, args=(child.stderr, "err"), daemon=True),
    ]
    for reader in readers:
        reader.start()
    while child.poll() is None:
        progress.show(index, count, label, estimate, time.time() - started)
        # The progress line every half second; done as soon as the tool is.
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=0.5)
    for reader in readers:
        reader.join()
    return b"".join(chunks["out"]), b"".join(chunks["err"])


def _stop(child):
    if child.poll() is not None:
        return
    with contextlib.suppress(OSError):
        os.killpg(child.pid, signal.SIGTERM)
    try:
        child.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(OSError):
            os.killpg(child.pid, signal.SIGKILL)
        child.wait()


def write_atomic(path, data):
    temporary = path + ".partial"
    with open(temporary, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def load_session(out):
    path = os.path.join(out, "session.json")
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except OSError:
        return None
    except ValueError:
        raise KitError(f"{path} is damaged; start again with another --out.") from None


def save_session(out, session):
    os.makedirs(out, exist_ok=True)
    write_atomic(os.path.join(out, "session.json"), json.dumps(session, indent=2).encode())


def finished_items(out, session):
    raw = os.path.join(out, "raw")
    done = []
    for item in session["items"]:
        if os.path.exists(os.path.join(raw, item["file"])):
            done.append(item["file"])
    return done


def new_session(args, definitions, detection, facts, platform, release, note, tag):
    spec = SUITES[args.suite]
    repeat = args.repeat or spec["repeat"]
    with_network = bool(args.iperf3_server)
    by_slug = {d["slug"]: d for d in definitions}
    kind = "bare-metal" if platform == BASELINE else "guest"
    environment, vm = build_environment(facts, kind, tag)
    items = []
    for slug, repetition in suite_items(args.suite, repeat, definitions, with_network):
        fmt = FORMATS[by_slug[slug]["tool"]]
        items.append(
            {
                "slug": slug,
                "repetition": repetition,
                "file": result_name(slug, repetition, fmt),
                "format": fmt,
            }
        )
    return {
        "kit_version": KIT_VERSION,
        "suite": args.suite,
        "repeat": repeat,
        "target_dir": os.path.abspath(args.target_dir),
        "iperf3_server": args.iperf3_server or "",
        "seconds": dict(spec.get("seconds", {})),
        "definitions": [by_slug[s] for s in dict.fromkeys(i["slug"] for i in items)],
        "platform": platform,
        "release": release,
        "platform_note": note,
        "pair_tag": tag or "",
        "detection": detection.as_dict(),
        "facts": facts,
        "environment": environment,
        "vm": vm,
        "items": items,
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def execute(session, out, stream=None):
    """Run every unfinished item of a session; returns the number that failed."""
    raw_dir = os.path.join(out, "raw")
    work_dir = os.path.join(out, "work")
    failed_dir = os.path.join(out, "failed")
    os.makedirs(raw_dir, exist_ok=True)
    by_slug = {d["slug"]: d for d in session["definitions"]}
    target = session["target_dir"]
    todo = [i for i in session["items"] if not os.path.exists(os.path.join(raw_dir, i["file"]))]
    seconds = session.get("seconds", {})  # absent in sessions of kit 1.0.0: as defined
    plans = {
        slug: plan_for(
            by_slug[slug],
            target,
            work_dir,
            session.get("iperf3_server"),
            seconds.get(by_slug[slug]["tool"]),
        )
        for slug in dict.fromkeys(i["slug"] for i in todo)
    }
    estimates = {slug: run_estimate(slug, plan.seconds) for slug, plan in plans.items()}
    layout = FIO_LAYOUT_SECONDS if any(p.tool == "fio" for p in plans.values()) else 0
    progress = Progress(sum(estimates[i["slug"]] for i in todo) + layout, stream)
    skipped = len(session["items"]) - len(todo)
    if skipped:
        progress.line(
            "resuming: %d of %d already finished, not repeated" % (skipped, len(session["items"]))
        )
    progress.line(
        "%d runs to do, about %s with laying out the test files"
        % (len(todo), clock(progress.total))
    )
    failures = 0
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        for index, item in enumerate(todo, start=1 + skipped):
            plan = plans[item["slug"]]
            label = "%s (%d/%d)" % (item["slug"], item["repetition"], session["repeat"])
            progress.line(f"start  {label}")
            started = time.time()
            ok, output, message = _run_plan(
                plan, progress, index, len(session["items"]), label, estimates[plan.slug], started
            )
            seconds = time.time() - started
            if ok:
                write_atomic(os.path.join(raw_dir, item["file"]), output)
                progress.line(f"done   {label} in {clock(seconds)}")
            else:
                failures += 1
                os.makedirs(failed_dir, exist_ok=True)
                write_atomic(os.path.join(failed_dir, item["file"] + ".log"), message.encode())
                progress.line(
                    "FAILED {}: {}".format(
                        label, message.strip().splitlines()[-1] if message.strip() else "no output"
                    )
                )
            progress.finished(estimates[plan.slug])
    finally:
        signal.signal(signal.SIGTERM, previous)
        _cleanup(target, work_dir)
    return failures


def _run_plan(plan, progress, index, count, label, estimate, started):
    kept, message, ok = b"", "", True
    if plan.result_file and os.path.exists(plan.result_file):
        os.remove(plan.result_file)
    for step in plan.steps:
        if not ok and not step.always:
            continue
        code, out, err = run_step(step, progress, index, count, label, estimate, started)
        if code != 0:
            if ok:
                message = "%s exited with %d\n%s\n%s" % (
                    " ".join(step.argv),
                    code,
                    out.decode("utf-8", "replace")[-2000:],
                    err.decode("utf-8", "replace")[-2000:],
                )
            ok = False
        elif step.keep:
            kept = out
    if ok and plan.result_file:
        try:
            with open(plan.result_file, "rb") as handle:
                kept = handle.read()
        except OSError:
            return False, b"", f"{plan.tool} wrote no {plan.result_file}"
    if ok and not kept.strip():
        return False, b"", f"{plan.tool} printed nothing"
    return ok, kept, message


def _cleanup(target, work_dir):
    for path in (os.path.join(target, FIO_TESTFILE),):
        with contextlib.suppress(OSError):
            os.remove(path)
    shutil.rmtree(os.path.join(target, FILEIO_DIR), ignore_errors=True)
    shutil.rmtree(work_dir, ignore_errors=True)


# ---------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------


def tool_versions():
    found = {}
    for tool in TOOLS:
        path = shutil.which(tool)
        if not path:
            found[tool] = None
            continue
        text = _output([tool, "--version"]) or ""
        found[tool] = text.splitlines()[0].strip() if text else "version unknown"
    return found


def install_command(os_info, missing):
    ids = ("{} {}".format(os_info.get("id", ""), os_info.get("id_like", ""))).split()
    packages = " ".join(missing)
    if any(i in ("debian", "ubuntu") for i in ids):
        return "sudo apt-get install -y " + packages
    if any(i in ("fedora", "rhel", "centos", "rocky", "almalinux") for i in ids):
        return "sudo dnf install -y " + packages
    if any(i.startswith("opensuse") or i in ("suse", "sles") for i in ids):
        return "sudo zypper install -y " + packages
    return None


def cmd_check(args):
    versions = tool_versions()
    info = os_facts()
    print(
        "virtcompare-bench {} on {}, Python {}".format(
            KIT_VERSION, info["distribution"], sys.version.split()[0]
        )
    )
    for tool in TOOLS:
        note = "" if tool != "iperf3" else "  (only with --iperf3-server)"
        print("  %-10s %s%s" % (tool, versions[tool] or "MISSING", note))
    print(
        "  %-10s %s"
        % (
            "detection",
            "systemd-detect-virt present"
            if shutil.which("systemd-detect-virt")
            else "systemd-detect-virt absent: DMI and CPU flags only",
        )
    )
    missing = [t for t in TOOLS if not versions[t]]
    if not missing:
        print("All tools present.")
        return 0
    command = install_command(info, missing)
    if command:
        print("Install what is missing with:\n  " + command)
        print(
            "(Package names as the tools are called; a distribution may keep one"
            " in an extra repository.)"
        )
    else:
        print("Install {} with your distribution's package manager.".format(", ".join(missing)))
    needed = [t for t in missing if t != "iperf3"]
    return 1 if needed else 0


def cmd_detect(args):
    signals = collect_signals()
    detection = detect(signals)
    print(json.dumps({"detection": detection.as_dict(), "signals": signals}, indent=2))
    print(f"\nThis is {detection.describe()}.")
    return 0


def cmd_pair(args):
    code = new_pair_code()
    print(code)
    sys.stderr.write(
        f"Use this code with `run --pair {code}` on the bare-metal OS of this machine\n"
        "and in every VM you run on it. The portal sees only its hash "
        f"({pair_tag(code)}), and groups those runs as one host.\n"
    )
    return 0


def _definitions(args, stream):
    if getattr(args, "server", None):
        fetched = fetch_definitions(args.server)
        if fetched:
            return fetched, f"the portal at {args.server}"
        stream.write(
            f"Could not read the definitions from {args.server}; using the copy in this kit.\n"
        )
    return [dict(d) for d in BUNDLED_BENCHMARKS], "the copy bundled in this kit"


def cmd_run(args):
    out = args.out
    stream = sys.stderr
    session = load_session(out)
    if args.resume:
        if session is None:
            raise KitError(f"Nothing to resume in {out} (no session.json).")
    else:
        if session is not None:
            left = len(session["items"]) - len(finished_items(out, session))
            if left:
                raise KitError(
                    "%s holds an unfinished run (%d to go): add --resume, or choose another --out."
                    % (out, left)
                )
            raise KitError(f"{out} holds a finished run: submit it, or choose another --out.")
        if not os.path.isdir(args.target_dir):
            raise KitError(f"--target-dir {args.target_dir} is not a directory.")
        definitions, origin = _definitions(args, stream)
        signals = collect_signals()
        detection = detect(signals)
        platform, release, note = resolve_platform(
            detection, args.platform, args.override_detection
        )
        tag = pair_tag(args.pair) if args.pair else None
        if platform != BASELINE and not tag:
            stream.write(
                "Not paired: these runs will not be compared with bare metal on their host."
                " Use one --pair CODE (from `pair new`) here and on the host's bare-metal OS.\n"
            )
        facts = collect_facts(args.target_dir, with_network=bool(args.iperf3_server))
        session = new_session(args, definitions, detection, facts, platform, release, note, tag)
        session["definitions_from"] = origin
        if args.show:
            print(json.dumps(what_is_sent(session), indent=2, ensure_ascii=False))
            return 0
    if args.show:
        print(json.dumps(what_is_sent(session), indent=2, ensure_ascii=False))
        return 0
    needed = sorted({d["tool"] for d in session["definitions"]})
    missing = [t for t in needed if not shutil.which(t)]
    if missing:
        command = install_command(os_facts(), missing) or "your package manager"
        raise KitError("Missing {}: install with {}".format(", ".join(missing), command))
    _check_space(session, out)
    save_session(out, session)
    stream.write(
        "Platform: {}{} ({}). Results go to {}\n".format(
            session["platform"],
            "@" + session["release"] if session["release"] else "",
            session["platform_note"],
            os.path.abspath(out),
        )
    )
    try:
        failures = execute(session, out, stream)
    except (KeyboardInterrupt, Interrupted):
        done = len(finished_items(out, session))
        stream.write(
            "\nInterrupted. %d of %d runs are finished and kept. Resume with:\n"
            "  %s run --resume --out %s\n"
            % (done, len(session["items"]), sys.argv[0], shlex.quote(out))
        )
        return 130
    done = len(finished_items(out, session))
    stream.write("%d of %d runs finished.\n" % (done, len(session["items"])))
    if failures:
        stream.write(
            "%d failed (logs in %s); `run --resume` tries them again.\n"
            % (failures, os.path.join(out, "failed"))
        )
        return 1
    stream.write(
        f"Send them with:\n  {sys.argv[0]} submit --server URL --token TOKEN {shlex.quote(out)}\n"
    )
    return 0


def _check_space(session, out):
    if not any(d["tool"] == "fio" or "fileio" in d["slug"] for d in session["definitions"]):
        return
    free = shutil.disk_usage(session["target_dir"]).free
    if free < TEST_DATA_BYTES + 512 * 1024**2:
        raise KitError(
            "{} has {:.1f} GiB free; the disk benchmarks need 4.5 GiB: choose another"
            " --target-dir.".format(session["target_dir"], free / 1024**3)
        )


def what_is_sent(session):
    """Everything a run's submission carries besides the (scrubbed) raw output."""
    first = session["items"][0] if session["items"] else {"repetition": 1}
    body = {"platform": session["platform"]}
    if session["release"]:
        body["release"] = session["release"]
    body["environment"] = session["environment"]
    if session["vm"]:
        body["vm"] = session["vm"]
    body["notes"] = notes_text(session, first)
    return {
        "every submission carries": body,
        "raw outputs": "each tool's output; hostnames and IP addresses replaced by "
        f"'{REDACTED}', the target directory by '<target-dir>'",
        "runs": [i["file"] for i in session["items"]],
    }


def submission_body(session, item, raw_text):
    body = {"format": item["format"], "platform": session["platform"]}
    if session["release"]:
        body["release"] = session["release"]
    body["environment"] = session["environment"]
    if session["vm"]:
        body["vm"] = session["vm"]
    body["raw"] = scrub(raw_text, item["format"], session["target_dir"])
    body["notes"] = notes_text(session, item)
    return body


def body_key(body):
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def load_ledger(out):
    try:
        with open(os.path.join(out, "sent.json"), encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return {}


def cmd_submit(args):
    out = args.dir
    session = load_session(out)
    if session is None:
        raise KitError(f"{out} holds no run (no session.json).")
    token = args.token or os.environ.get("VIRTCOMPARE_TOKEN", "")
    if not args.dry_run and (not args.server or not token):
        raise KitError("submit needs --server URL and --token TOKEN (or VIRTCOMPARE_TOKEN).")
    server = (args.server or "").rstrip("/")
    url = (server or "https://SERVER") + "/api/v1/runs/"
    ledger = load_ledger(out)
    sent = ledger.setdefault(server, {})
    ready = [i for i in session["items"] if os.path.exists(os.path.join(out, "raw", i["file"]))]
    if not ready:
        raise KitError(f"{out} has no finished run to send.")
    if args.dry_run:
        with open(args.dry_run, "w", encoding="utf-8") as handle:
            for item in ready:
                body = _body_for(out, session, item)
                request = {
                    "method": "POST",
                    "url": url,
                    "headers": {
                        "Authorization": "Token <your token>",
                        "Content-Type": "application/json",
                        "Idempotency-Key": "vcb-" + body_key(body)[:40],
                    },
                    "body": body,
                }
                handle.write(json.dumps(request, ensure_ascii=False) + "\n")
        print("Wrote %d requests to %s; nothing was sent." % (len(ready), args.dry_run))
        return 0
    counts = {"accepted": 0, "flagged": 0, "already": 0, "refused": 0, "not sent": 0}
    for item in ready:
        body = _body_for(out, session, item)
        key = body_key(body)
        record = sent.get(item["file"])
        if record and record.get("body") == key and not args.again:
            counts["already"] += 1
            print("already sent  %-28s %s" % (item["file"], record.get("url", "")))
            continue
        outcome, message, record = _post(url, token, body, key)
        if record:
            record["body"] = key
            sent[item["file"]] = record
            _save_ledger(out, ledger)
        # A run the portal had already (sent from another copy of the folder, or --again)
        # counts as already sent: nothing new was stored.
        stored_before = record is not None and not record.get("created", True)
        counts["already" if stored_before else outcome] += 1
        print("%-13s %-28s %s" % (outcome, item["file"], message))
        if outcome == "refused" and message[:3] in ("401", "403"):
            print("The server refused the token; stopping.")
            break
    print(
        "%d accepted, %d flagged for review, %d already sent, %d refused, %d not sent."
        % (
            counts["accepted"],
            counts["flagged"],
            counts["already"],
            counts["refused"],
            counts["not sent"],
        )
    )
    return 1 if counts["refused"] or counts["not sent"] else 0


def _body_for(out, session, item):
    with open(os.path.join(out, "raw", item["file"]), encoding="utf-8", errors="replace") as handle:
        return submission_body(session, item, handle.read())


def _save_ledger(out, ledger):
    write_atomic(os.path.join(out, "sent.json"), json.dumps(ledger, indent=2).encode())


def _post(url, token, body, key, attempts=4):
    """('accepted'|'flagged'|'refused'|'not sent', message, ledger record or None)."""
    headers = {"Authorization": "Token " + token, "Idempotency-Key": "vcb-" + key[:40]}
    for attempt in range(attempts):
        try:
            status, answer, got = http_json("POST", url, body, headers)
        except OSError as error:
            return "not sent", f"network error: {error}", None
        if status == 429 and attempt + 1 < attempts:
            wait = got.get("Retry-After") or got.get("retry-after") or "5"
            time.sleep(min(float(wait) if str(wait).replace(".", "", 1).isdigit() else 5, 60))
            continue
        break
    if status in (200, 201) and isinstance(answer, dict):
        run_status = answer.get("status", "accepted")
        base = url.split("/api/")[0]
        record = {
            "id": answer.get("id"),
            "url": base + str(answer.get("url", "")),
            "status": run_status,
            "created": status == 201,
        }
        again = "" if status == 201 else " (already stored)"
        reason = answer.get("status_reason") or ""
        outcome = (
            "flagged"
            if run_status == "flagged"
            else "accepted"
            if run_status == "accepted"
            else "refused"
        )
        message = record["url"] + again + (" · " + reason if reason else "")
        if outcome == "refused":
            return outcome, f"{run_status}: {reason}", None
        return outcome, message, record
    if status == 429:
        return "not sent", "429: the server is throttling submissions; run submit again later", None
    if status >= 500 or status == 0:
        return "not sent", "%d: server error; run submit again later" % status, None
    return "refused", "%d: %s" % (status, _explain(answer)), None


def _explain(answer):
    if isinstance(answer, dict):
        errors = answer.get("errors")
        if isinstance(errors, dict) and errors:
            return "; ".join(
                "{}: {}".format(k, " ".join(map(str, v)) if isinstance(v, list) else v)
                for k, v in errors.items()
            )
        if answer.get("detail"):
            return str(answer["detail"])
    return str(answer)[:300]


# ---------------------------------------------------------------------------------------


def parser():
    top = argparse.ArgumentParser(
        prog="virtcompare_bench.py",
        description="Run VirtCompare's benchmarks here and submit the raw outputs.",
        epilog="Exit codes: 0 done, 1 something failed or was refused, 2 usage or setup,"
        " 130 interrupted.",
    )
    top.add_argument("--version", action="version", version="virtcompare-bench " + KIT_VERSION)
    commands = top.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    check = commands.add_parser(
        "check", help="which tools are present, and how to install the rest"
    )
    check.set_defaults(func=cmd_check)
    detect_cmd = commands.add_parser(
        "detect", help="bare metal or which hypervisor, with the signals"
    )
    detect_cmd.set_defaults(func=cmd_detect)
    pair = commands.add_parser("pair", help="pairing codes for same-host comparisons")
    pair.add_argument("action", choices=["new"], help="new: print a fresh pairing code")
    pair.set_defaults(func=cmd_pair)

    run = commands.add_parser("run", help="run a suite; raw outputs are kept as each finishes")
    run.add_argument("--suite", choices=sorted(SUITES), default="quick", help=suite_help())
    run.add_argument(
        "--target-dir",
        default=".",
        help="where fio and sysbench write their 4 GiB test files (default: .)",
    )
    run.add_argument(
        "--repeat", type=int, help="runs of each benchmark (default: 1 quick, 5 standard)"
    )
    run.add_argument("--resume", action="store_true", help="finish an interrupted run in --out")
    run.add_argument("--out", default=DEFAULT_OUT, help=f"results folder (default: {DEFAULT_OUT})")
    run.add_argument(
        "--pair",
        metavar="CODE",
        help="pairing code from `pair new`, the same on the host and its VMs",
    )
    run.add_argument(
        "--platform", metavar="SLUG@RELEASE", help="e.g. proxmox-ve@9.2, hyper-v@2025, bare-metal"
    )
    run.add_argument(
        "--override-detection",
        action="store_true",
        help="accept --platform even where detection disagrees",
    )
    run.add_argument(
        "--iperf3-server", metavar="HOST", help="also run iperf3 against this `iperf3 -s` server"
    )
    run.add_argument(
        "--server", metavar="URL", help="read the benchmark definitions from this portal"
    )
    run.add_argument("--show", action="store_true", help="print what would be sent, run nothing")
    run.set_defaults(func=cmd_run)

    submit = commands.add_parser("submit", help="send the raw outputs of a run to the portal")
    submit.add_argument(
        "dir", nargs="?", default=DEFAULT_OUT, help=f"results folder (default: {DEFAULT_OUT})"
    )
    submit.add_argument("--server", metavar="URL")
    submit.add_argument("--token", metavar="TOKEN", help="API token (or set VIRTCOMPARE_TOKEN)")
    submit.add_argument(
        "--dry-run", metavar="FILE", help="write the exact requests to FILE, send nothing"
    )
    submit.add_argument("--again", action="store_true", help="send runs already recorded as sent")
    submit.set_defaults(func=cmd_submit)
    return top


def main(argv=None):
    args = parser().parse_args(argv)
    if getattr(args, "repeat", None) is not None and args.repeat < 1:
        sys.stderr.write("--repeat must be 1 or more.\n")
        return 2
    try:
        return args.func(args)
    except KitError as error:
        sys.stderr.write(f"{error}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("\nInterrupted.\n")
        return 130


if __name__ == "__main__":
    sys.exit(main())
