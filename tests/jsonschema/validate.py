#!/usr/bin/env python3
"""Validate JSON or YAML documents against a JSON Schema (any draft the schema declares).

Usage: validate.py SCHEMA.json DOCUMENT...   (documents ending in .yaml/.yml are read as YAML)
Prints one line per document ("ok PATH" or "FAIL PATH: reason") and exits 1 if any fails.
Used by the Rust tests (SARIF output, archflow.schema.json); `.ci/run` installs requirements.txt.
"""
import json
import sys

import jsonschema


def load(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if path.endswith((".yaml", ".yml")):
        import yaml  # PyYAML; only needed for YAML documents

        return yaml.safe_load(text)
    return json.loads(text)


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    schema = load(argv[1])
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
    failed = 0
    for path in argv[2:]:
        errors = sorted(validator.iter_errors(load(path)), key=lambda e: list(e.absolute_path))
        if errors:
            failed += 1
            first = errors[0]
            where = "/".join(str(p) for p in first.absolute_path) or "(root)"
            print(f"FAIL {path}: {len(errors)} error(s); first at {where}: {first.message}")
        else:
            print(f"ok {path}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
