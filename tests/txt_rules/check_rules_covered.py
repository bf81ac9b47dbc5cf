#!/usr/bin/env python3
"""Every strict launch rule docs/txt-rules.md lists is broken by at least one
scenario, and every rule a scenario expects broken is in the document
(issue 18: "each has a scenario that breaks it, so no rule is untested").

A scenario breaks a rule when its `expect.broken_launch_rules` names it (the
run's report must then list exactly those rules). Scenarios under
scenarios/txt/rules/ are named after the one rule they break.

Usage: check_rules_covered.py REPO_ROOT
"""
import json
import os
import re
import sys

# Rules no scenario breaks yet, each with the reason. Keep it short: a rule
# that gains a scenario must leave this list (the check fails otherwise).
ALLOWED_UNCOVERED = {
    # The shipped profiles report no SENTER function controls (PARAMETERS
    # type 4 = 0), so getsec.senter.edx-supported refuses any EDX that could
    # ask for a function IA32_FEATURE_CONTROL does not enable.
    "getsec.senter.feature-control-local-enables": "needs a profile reporting SENTER function controls",
    # WAKEUP checks SENTERFLAG before the chipset (SDM order) and a measured
    # environment implies a TXT chipset: unreachable as the model stands.
    "getsec.wakeup.chipset": "unreachable: a measured environment implies a TXT chipset",
    # Not yet broken by a scenario of their own (issue 18 is open on this):
    # the ENTERACCS/EXITAC rules are tested in txt_tests (GetsecEnteraccs.*,
    # GetsecExitac.*), the SINIT rules in txt_tests (SinitModel.*) and some in
    # scenarios/txt/launch-error-*.json, which name them in expect.txt
    # rather than expect.broken_launch_rules.
    "sinit.acm.readable": "scenario to come (tested in txt_tests)",
    "sinit.acm.format": "scenario to come (tested in txt_tests)",
    "sinit.acm.type": "scenario to come (tested in txt_tests)",
    "sinit.acm.memory-type": "scenario to come (tested in txt_tests)",
    "sinit.acm.public-key": "scenario to come (tested in txt_tests)",
    "sinit.acm.signature": "scenario to come (tested in txt_tests)",
    "sinit.measure.acm": "scenario to come (tested in txt_tests)",
    "sinit.platform.chipset-id": "scenario to come (tested in txt_tests)",
    "sinit.platform.processor-id": "scenario to come (tested in txt_tests)",
    "sinit.platform.sinit-region": "scenario to come (tested in txt_tests)",
    "sinit.platform.heap-readable": "scenario to come (tested in txt_tests)",
    "sinit.heap.table_beyond_heap": "scenario to come (tested in txt_tests)",
    "sinit.heap.table_size_too_small": "scenario to come (tested in txt_tests)",
    "sinit.heap.element_truncated": "scenario to come (tested in txt_tests)",
    "sinit.heap.element_list_no_end": "scenario to come (tested in txt_tests)",
    "sinit.heap.element_malformed": "scenario to come (tested in txt_tests)",
    "sinit.heap.sinit_mle_data.table_outside": "scenario to come (tested in txt_tests)",
    "sinit.heap.bios_data.version_unsupported": "scenario to come (tested in txt_tests)",
    "sinit.heap.bios_data.no_processors": "scenario to come (tested in txt_tests)",
    "sinit.heap.os_sinit_data.version_unsupported": "scenario to come (tested in txt_tests)",
    "sinit.heap.os_sinit_data.size_mismatch": "scenario to come (tested in txt_tests)",
    "sinit.heap.os_sinit_data.mle_size_zero": "scenario to come (tested in txt_tests)",
    "sinit.heap.os_sinit_data.mle_header_outside_mle": "scenario to come (tested in txt_tests)",
    "sinit.heap.os_sinit_data.page_table_unaligned": "scenario to come (tested in txt_tests)",
    "sinit.heap.os_sinit_data.pmr_unaligned": "scenario to come (tested in txt_tests)",
    "sinit.heap.os_sinit_data.pmr_overflow": "scenario to come (tested in txt_tests)",
    "sinit.heap.os_sinit_data.pmr_low_above_4g": "scenario to come (tested in txt_tests)",
    "sinit.heap.os_sinit_data.pmr_overlap": "scenario to come (tested in txt_tests)",
    "sinit.heap.os_sinit_data.no_rlp_wake_method": "scenario to come (tested in txt_tests)",
    "sinit.heap.os_sinit_data.capability_unsupported": "scenario to come (tested in txt_tests)",
    "sinit.heap.os_sinit_data.event_log_element_missing": "scenario to come (tested in txt_tests)",
    "sinit.heap.os_sinit_data.event_log_pointer_invalid": "scenario to come (tested in txt_tests)",
    "sinit.heap.os_sinit_data.event_log_outside_ram": "scenario to come (tested in txt_tests)",
    "sinit.heap.os_sinit_data.event_log_overlaps_heap_tables": "scenario to come (tested in txt_tests)",
    "sinit.heap.bios_data.acm_address_invalid": "scenario to come (tested in txt_tests)",
    "sinit.mle.header.unreadable": "scenario to come (tested in txt_tests)",
    "sinit.mle.header.bad_uuid": "scenario to come (tested in txt_tests)",
    "sinit.mle.header.version_unsupported": "scenario to come (tested in txt_tests)",
    "sinit.mle.header.length_too_small": "scenario to come (tested in txt_tests)",
    "sinit.mle.header.outside_mle": "scenario to come (tested in txt_tests)",
    "sinit.mle.header.entry_outside_mle": "scenario to come (tested in txt_tests)",
    "sinit.mle.header.size_mismatch": "scenario to come (tested in txt_tests)",
    "sinit.mle.header.capability_not_in_header": "scenario to come (tested in txt_tests)",
    "sinit.mle.header.cmdline_window_invalid": "scenario to come (tested in txt_tests)",
    "sinit.mle.page_table.bad_size": "scenario to come (tested in txt_tests)",
    "sinit.mle.page_table.unreadable": "scenario to come (tested in txt_tests)",
    "sinit.mle.page_table.not_present": "scenario to come (tested in txt_tests)",
    "sinit.mle.page_table.large_page": "scenario to come (tested in txt_tests)",
    "sinit.mle.page_table.not_increasing": "scenario to come (tested in txt_tests)",
    "sinit.mle.page_table.mapping_beyond_mle": "scenario to come (tested in txt_tests)",
    "sinit.mle.page_table.overlaps_forbidden_region": "scenario to come (tested in txt_tests)",
    "sinit.pmr.covers-mle": "scenario to come (tested in txt_tests)",
    "sinit.dpr.covers-heap-sinit": "scenario to come (tested in txt_tests)",
    "sinit.mtrr.default-uc": "scenario to come (tested in txt_tests)",
    "sinit.mtrr.only-sinit-cached": "scenario to come (tested in txt_tests)",
    "sinit.measure.launch": "scenario to come (tested in txt_tests)",
    "sinit.heap.room-for-sinit-mle-data": "scenario to come (tested in txt_tests)",
}

RULE_ROW = re.compile(r"^\|\s*`([a-z0-9][a-z0-9._-]*)`\s*\|")


def doc_rules(doc_text):
    """Rule ids of the document's table rows "| `id` | ...", in order (the
    rows TxtRulesDoc in txt_tests reads, whatever the table)."""
    return [m.group(1) for m in map(RULE_ROW.match, doc_text.splitlines()) if m]


def scenario_rules(scenarios_dir):
    """{scenario path (relative): [rule ids its expect.broken_launch_rules names]}."""
    found = {}
    for root, dirs, files in os.walk(scenarios_dir):
        dirs[:] = sorted(d for d in dirs if d != "schema")
        for name in sorted(files):
            if not name.endswith(".json"):
                continue
            path = os.path.join(root, name)
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
            broken = (doc.get("expect") or {}).get("broken_launch_rules")
            if broken:
                found[os.path.relpath(path, scenarios_dir)] = list(broken)
    return found


def check(rules, by_scenario, allowed):
    """Problems, one sentence each; empty when every rule is covered."""
    problems = []
    dup = sorted({r for r in rules if rules.count(r) > 1})
    for r in dup:
        problems.append(f"docs/txt-rules.md lists {r} twice")
    covered = {}
    for path, ids in by_scenario.items():
        for r in ids:
            covered.setdefault(r, []).append(path)
            if r not in rules:
                problems.append(f"{path} expects {r} broken, but docs/txt-rules.md does not list it")
        # A scenario of scenarios/txt/rules/ breaks exactly the rule it is named after.
        if os.path.dirname(path) == os.path.join("txt", "rules"):
            want = os.path.basename(path)[: -len(".json")]
            if ids != [want]:
                problems.append(f"{path} must expect exactly [{want}] broken (it expects {ids})")
    for r in rules:
        if r not in covered and r not in allowed:
            problems.append(f"no scenario breaks {r} (add scenarios/txt/rules/{r}.json)")
    for r, why in sorted(allowed.items()):
        if r in covered:
            problems.append(f"{r} is allowed uncovered ({why}) but {covered[r][0]} breaks it: drop it from ALLOWED_UNCOVERED")
        elif r not in rules:
            problems.append(f"{r} is allowed uncovered but docs/txt-rules.md does not list it: drop it from ALLOWED_UNCOVERED")
    return problems


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    root = argv[1]
    with open(os.path.join(root, "docs", "txt-rules.md"), encoding="utf-8") as f:
        rules = doc_rules(f.read())
    if not rules:
        print("docs/txt-rules.md: no rule tables found", file=sys.stderr)
        return 1
    by_scenario = scenario_rules(os.path.join(root, "scenarios"))
    problems = check(rules, by_scenario, ALLOWED_UNCOVERED)
    for p in problems:
        print(p)
    covered = len({r for ids in by_scenario.values() for r in ids if r in rules})
    print(f"{covered} of {len(rules)} rules broken by a scenario; {len(ALLOWED_UNCOVERED)} allowed uncovered:"
          f" {', '.join(sorted(ALLOWED_UNCOVERED)) or 'none'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
