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
    # The heap rule on MLEHeaderBase runs first, and a page walk that succeeds
    # has found every MLE byte in RAM.
    "sinit.mle.header.unreadable": "unreachable: sinit.heap.os_sinit_data.mle_header_outside_mle (MLEHeaderBase + 0x34 <= MLESize) runs first and a page walk that succeeds has found every MLE byte in RAM",
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


def check(rules, by_scenario, allowed, other_rules=()):
    """Problems, one sentence each; empty when every rule is covered.
    `other_rules`: rules another platform's document lists (docs/svm-rules.md),
    which scenarios may break without docs/txt-rules.md listing them."""
    problems = []
    dup = sorted({r for r in rules if rules.count(r) > 1})
    for r in dup:
        problems.append(f"docs/txt-rules.md lists {r} twice")
    covered = {}
    for path, ids in by_scenario.items():
        for r in ids:
            covered.setdefault(r, []).append(path)
            if r not in rules and r not in other_rules:
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
    other_rules = []
    svm_doc = os.path.join(root, "docs", "svm-rules.md")
    if os.path.exists(svm_doc):
        with open(svm_doc, encoding="utf-8") as f:
            other_rules = doc_rules(f.read())
    by_scenario = scenario_rules(os.path.join(root, "scenarios"))
    problems = check(rules, by_scenario, ALLOWED_UNCOVERED, other_rules)
    for p in problems:
        print(p)
    covered = len({r for ids in by_scenario.values() for r in ids if r in rules})
    print(f"{covered} of {len(rules)} rules broken by a scenario; {len(ALLOWED_UNCOVERED)} allowed uncovered:"
          f" {', '.join(sorted(ALLOWED_UNCOVERED)) or 'none'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
