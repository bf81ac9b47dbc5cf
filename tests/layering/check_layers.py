#!/usr/bin/env python3
"""Checks dlsim's include graph and library link lines against the allowed
layering (README "Layout"; sim/CMakeLists.txt):

  base      errors, hex, byte reader, state codec, Device, Bus, guest memory,
            snapshots -- what every model may use
  devices, loaders, cpu (cpu_model), tpm (the TPM engine)  -> base
  frontend  scenario, checks, report, model_api            -> base
  tpm_platform (the TPM as a platform model)               -> base, frontend, tpm
  txt (TXT formats and chipset parts: txt_model/)          -> base
  txt_platform (TXT as a platform model: txt_model/{getsec,sinit,vmx,platform,vtd_platform}/)
                                                           -> base, frontend, cpu, txt
  svm (AMD formats and chipset parts: svm_model/)          -> base
  svm_platform (SVM as a platform model: svm_model/{cpu,skinit,platform}/)
                                                           -> base, frontend, cpu, svm
  models    the composition root (models/)                 -> frontend, any model
  machine   the machine and runner                         -> everything but cli and tools
  cli       what `dlsim run` and `validate` do (sim/cli)   -> base, frontend, machine

Every #include "..." of a library source (tests, tools, bench and fuzz are
front ends and not checked) must stay inside what its layer may use, and a
library's dlsim_* link line must name exactly the layers its sources include
(besides itself). A new model (txt_model/) adds its layer to LAYERS and ALLOWED.
External libraries in EXTERNAL are held to the same rule: a dlsim library
links one exactly when one of its sources includes its header.

usage: check_layers.py ROOT     exit 0 when clean, 1 with one line per violation
"""
import os
import re
import sys

# (path prefix, layer); the longest matching prefix wins.
LAYERS = [
    ("sim/", "base"),  # sim/errors.h, hex, bus, device, guest_memory, boot_state, e820, observation, acpi/
    ("sim/codec/", "base"),
    ("sim/snapshot/", "base"),
    ("sim/loaders/byte_io", "base"),
    ("sim/devices/", "devices"),
    ("sim/loaders/", "loaders"),
    ("sim/scenario/", "frontend"),
    ("sim/checks/", "frontend"),
    ("sim/report/", "frontend"),
    ("sim/model_api/", "frontend"),
    ("sim/machine/", "machine"),
    ("sim/cli/", "cli"),
    ("cpu_model/", "cpu"),
    ("tpm_model/", "tpm"),
    ("tpm_model/platform/", "tpm_platform"),
    ("txt_model/", "txt"),
    ("txt_model/getsec/", "txt_platform"),
    ("txt_model/vmx/", "txt_platform"),
    ("txt_model/sinit/", "txt_platform"),
    ("txt_model/platform/", "txt_platform"),
    ("txt_model/vtd_platform/", "txt_platform"),
    ("svm_model/", "svm"),
    ("svm_model/cpu/", "svm_platform"),
    ("svm_model/skinit/", "svm_platform"),
    ("svm_model/platform/", "svm_platform"),
    ("models/", "models"),
]

ALLOWED = {
    "base": {"base"},
    "devices": {"base"},
    "loaders": {"base"},
    "frontend": {"base"},
    "cpu": {"base"},
    "tpm": {"base"},
    "tpm_platform": {"base", "frontend", "tpm"},
    "txt": {"base"},
    "txt_platform": {"base", "frontend", "cpu", "txt"},
    "svm": {"base"},
    "svm_platform": {"base", "frontend", "cpu", "svm"},
    "models": {"base", "frontend", "tpm_platform", "txt_platform", "svm_platform"},
    "machine": {"base", "devices", "loaders", "frontend", "cpu", "models"},
    "cli": {"base", "frontend", "machine"},
}

# The CMake library of each layer.
LIBRARY = {
    "base": "dlsim_base",
    "devices": "dlsim_devices",
    "loaders": "dlsim_loaders",
    "frontend": "dlsim_frontend",
    "cpu": "dlsim_cpu",
    "tpm": "dlsim_tpm",
    "tpm_platform": "dlsim_tpm_platform",
    "txt": "dlsim_txt",
    "txt_platform": "dlsim_txt_platform",
    "svm": "dlsim_svm",
    "svm_platform": "dlsim_svm_platform",
    "models": "dlsim_models",
    "machine": "dlsim_machine",
    "cli": "dlsim_cli",
}

# External library target -> the system header that needs it.
EXTERNAL = {
    "ZLIB::ZLIB": "zlib.h",
}

SKIP_DIRS = {"tests", "build", ".git"}
SYSTEM_INCLUDE = re.compile(r'^\s*#\s*include\s+<([^>]+)>', re.M)
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def layer_of(path):
    best = None
    for prefix, layer in LAYERS:
        if path.startswith(prefix) and (best is None or len(prefix) > len(best[0])):
            best = (prefix, layer)
    return best[1] if best else None


def sources(root):
    for top in sorted({p.split("/")[0] for p, _ in LAYERS}):
        base = os.path.join(root, top)
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
            for f in sorted(filenames):
                if f.endswith((".h", ".cpp")):
                    yield os.path.relpath(os.path.join(dirpath, f), root).replace(os.sep, "/")


def link_lines(root):
    """{library: set of dlsim_* libraries on its target_link_libraries lines}"""
    links = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in SKIP_DIRS and not d.startswith("build")]
        if "CMakeLists.txt" not in filenames:
            continue
        text = open(os.path.join(dirpath, "CMakeLists.txt"), encoding="utf-8").read()
        for m in re.finditer(r"target_link_libraries\(\s*(\S+)([^)]*)\)", text):
            links.setdefault(m.group(1), set()).update(re.findall(r"\bdlsim_\w+", m.group(2)))
            for target in EXTERNAL:
                if re.search(r"(?<![\w:])" + re.escape(target) + r"(?![\w:])", m.group(2)):
                    links[m.group(1)].add(target)
    return links


def check(root):
    problems = []
    used = {}
    external = {}  # layer -> external targets its sources' includes need
    for path in sources(root):
        layer = layer_of(path)
        if layer is None:
            continue
        text = open(os.path.join(root, path), encoding="utf-8", errors="replace").read()
        for header in SYSTEM_INCLUDE.findall(text):
            for target, h in EXTERNAL.items():
                if header == h:
                    external.setdefault(layer, set()).add(target)
        for target in INCLUDE.findall(text):
            if not os.path.exists(os.path.join(root, target)):
                continue  # a system or generated header
            tl = layer_of(target)
            if tl is None or tl == layer:
                continue
            used.setdefault(layer, set()).add(tl)
            if tl not in ALLOWED[layer]:
                problems.append(f"{path}: includes {target} ({layer} may not use {tl})")
    links = link_lines(root)
    layers_with_sources = {layer_of(p) for p in sources(root)}
    for layer, lib in LIBRARY.items():
        if lib not in links or layer not in layers_with_sources:
            continue  # not built in this tree
        have_ext = {l for l in links[lib] if l in EXTERNAL}
        want_ext = external.get(layer, set())
        for extra in sorted(have_ext - want_ext):
            problems.append(f"{lib}: links {extra}, which none of its sources includes")
        for missing in sorted(want_ext - have_ext):
            problems.append(f"{lib}: its sources include <{EXTERNAL[missing]}> but it does not link {missing}")
        have = {l for l in links[lib] if l != lib and l not in EXTERNAL}
        want = {LIBRARY[l] for l in used.get(layer, set())}
        for extra in sorted(have - want):
            problems.append(f"{lib}: links {extra}, which none of its sources includes")
        for missing in sorted(want - have):
            problems.append(f"{lib}: its sources include {missing} headers but it does not link it")
    return problems


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    problems = check(sys.argv[1])
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} layering violation(s)")
        return 1
    print("layering ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
