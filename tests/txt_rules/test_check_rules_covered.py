#!/usr/bin/env python3
"""Tests of check_rules_covered.py: each kind of gap is reported by name."""
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_rules_covered as c  # noqa: E402

DOC = """# Strict launch rules

| Rule | Reference | Must hold | `hardware` does |
|------|-----------|-----------|-----------------|
| `getsec.smxe` | SDM | CR4.SMXE = 1 | #UD |
| `sinit.heap.bios-data` | MLE guide | BiosData valid | TXT reset |

Prose mentioning `not.a.rule`.

| Error | Reference |
|-------|-----------|
| `sinit.mle.header` | MLE guide |
"""


class DocRules(unittest.TestCase):
    def test_reads_the_first_column_of_every_table(self):
        self.assertEqual(c.doc_rules(DOC), ["getsec.smxe", "sinit.heap.bios-data", "sinit.mle.header"])


class Check(unittest.TestCase):
    rules = ["getsec.smxe", "sinit.heap.bios-data"]

    def test_all_covered(self):
        s = {"txt/rules/getsec.smxe.json": ["getsec.smxe"], "txt/other.json": ["sinit.heap.bios-data"]}
        self.assertEqual(c.check(self.rules, s, {}), [])

    def test_names_an_uncovered_rule(self):
        p = c.check(self.rules, {"txt/rules/getsec.smxe.json": ["getsec.smxe"]}, {})
        self.assertEqual(len(p), 1)
        self.assertIn("no scenario breaks sinit.heap.bios-data", p[0])

    def test_allow_list_takes_an_uncovered_rule_but_not_a_covered_or_unknown_one(self):
        s = {"txt/rules/getsec.smxe.json": ["getsec.smxe"]}
        self.assertEqual(c.check(self.rules, s, {"sinit.heap.bios-data": "later"}), [])
        p = c.check(self.rules, s, {"sinit.heap.bios-data": "later", "getsec.smxe": "x", "gone.rule": "y"})
        self.assertEqual(len(p), 2, p)
        self.assertTrue(any("getsec.smxe is allowed uncovered" in x for x in p), p)
        self.assertTrue(any("gone.rule is allowed uncovered but docs/txt-rules.md does not list it" in x for x in p), p)

    def test_a_rule_not_in_the_doc(self):
        s = {"txt/x.json": ["getsec.smxe", "sinit.heap.bios-data", "getsec.made-up"]}
        p = c.check(self.rules, s, {})
        self.assertEqual(p, ["txt/x.json expects getsec.made-up broken, but docs/txt-rules.md does not list it"])

    def test_a_rules_scenario_breaks_the_rule_it_is_named_after(self):
        s = {"txt/rules/getsec.smxe.json": ["sinit.heap.bios-data"], "t.json": ["getsec.smxe"]}
        p = c.check(self.rules, s, {})
        self.assertEqual(len(p), 1, p)
        self.assertIn("must expect exactly [getsec.smxe]", p[0])


class Main(unittest.TestCase):
    def test_end_to_end_on_a_tree(self):
        with tempfile.TemporaryDirectory() as root:
            os.makedirs(os.path.join(root, "docs"))
            os.makedirs(os.path.join(root, "scenarios", "txt", "rules"))
            os.makedirs(os.path.join(root, "scenarios", "schema"))
            with open(os.path.join(root, "docs", "txt-rules.md"), "w") as f:
                f.write(DOC)
            with open(os.path.join(root, "scenarios", "txt", "rules", "getsec.smxe.json"), "w") as f:
                json.dump({"expect": {"broken_launch_rules": ["getsec.smxe"]}}, f)
            with open(os.path.join(root, "scenarios", "schema", "ignored.json"), "w") as f:
                json.dump({"expect": {"broken_launch_rules": ["not.in.doc"]}}, f)
            saved = c.ALLOWED_UNCOVERED
            try:
                c.ALLOWED_UNCOVERED = {}
                self.assertEqual(c.main(["x", root]), 1)  # sinit.heap.bios-data uncovered
                c.ALLOWED_UNCOVERED = {"sinit.heap.bios-data": "other branch", "sinit.mle.header": "same"}
                self.assertEqual(c.main(["x", root]), 0)
            finally:
                c.ALLOWED_UNCOVERED = saved


if __name__ == "__main__":
    unittest.main()
