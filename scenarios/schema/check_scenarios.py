#!/usr/bin/env python3
"""Validates dlsim scenario files against scenario.schema.json.

Usage: check_scenarios.py [--schema FILE] [PATH ...]
  PATH: a scenario file or a directory searched recursively for *.json
  (directories named "schema" are skipped). Default: the scenarios/
  directory this script lives in.

Prints one line per file ("ok FILE" or "FAIL FILE") and, for a failure, one
line per error with its JSON Pointer. Exits 1 when any file fails, 2 on a
usage problem. Duplicate object keys count as errors, as they do in dlsim.
"""
import argparse
import json
import os
import sys

import jsonschema

HERE = os.path.dirname(os.path.abspath(__file__))


def validator_for(schema):
    cls = getattr(jsonschema, "Draft202012Validator", None)
    if cls is None:
        sys.exit("check_scenarios.py: jsonschema %s has no Draft 2020-12 support (need >= 4.0)"
                 % getattr(jsonschema, "__version__", "?"))
    cls.check_schema(schema)
    return cls(schema)


def pointer(path):
    out = ""
    for part in path:
        out += "/" + str(part).replace("~", "~0").replace("/", "~1")
    return out or "/"


class DuplicateKey(ValueError):
    pass


def no_duplicates(pairs):
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise DuplicateKey('duplicate key "%s"' % key)
        seen[key] = value
    return seen


def load(path):
    """Returns (document, None) or (None, error line)."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as e:
        return None, "cannot read: %s" % e
    try:
        return json.loads(text, object_pairs_hook=no_duplicates), None
    except DuplicateKey as e:
        return None, str(e)
    except json.JSONDecodeError as e:
        return None, "%d:%d: malformed JSON: %s" % (e.lineno, e.colno, e.msg)


def errors_of(validator, doc):
    lines = []
    for err in sorted(validator.iter_errors(doc), key=lambda e: (list(map(str, e.absolute_path)), e.message)):
        # For oneOf/anyOf failures the most specific sub-error says more.
        best = jsonschema.exceptions.best_match([err]) or err
        message = best.message
        # Number forms are long regexes: say what is expected in words instead.
        # Number forms are long regexes and "not zero" is a "not": say in words
        # what is expected instead.
        long_pattern = best.validator == "pattern" and len(str(best.validator_value)) > 60
        if long_pattern or best.validator == "not":
            described = err.schema.get("description") if isinstance(err.schema, dict) else None
            if described:
                message = "%r is not valid; expected: %s" % (best.instance, described)
        if len(message) > 200:
            message = message[:200] + "..."
        lines.append("%s: %s" % (pointer(best.absolute_path), message))
    return lines


def scenario_files(paths):
    files = []
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if d != "schema")
                files.extend(os.path.join(root, n) for n in sorted(names) if n.endswith(".json"))
        else:
            files.append(p)
    return files


def main(argv):
    ap = argparse.ArgumentParser(description="Validate dlsim scenarios against the JSON Schema.")
    ap.add_argument("--schema", default=os.path.join(HERE, "scenario.schema.json"))
    ap.add_argument("paths", nargs="*", default=[os.path.dirname(HERE)])
    args = ap.parse_args(argv)
    try:
        with open(args.schema, encoding="utf-8") as f:
            schema = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        print("check_scenarios.py: cannot load schema %s: %s" % (args.schema, e), file=sys.stderr)
        return 2
    validator = validator_for(schema)
    files = scenario_files(args.paths)
    failed = 0
    for path in files:
        doc, problem = load(path)
        lines = [problem] if problem else errors_of(validator, doc)
        if lines:
            failed += 1
            print("FAIL %s" % path)
            for line in lines:
                print("  %s" % line)
        else:
            print("ok   %s" % path)
    print("%d scenario file(s) checked, %d failed" % (len(files), failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
