#!/usr/bin/env python3
"""Validate JSON or YAML documents against a JSON Schema (any draft the schema declares).

Usage: validate.py SCHEMA.json DOCUMENT...   (documents ending in .yaml/.yml are read as YAML)
Prints one line per document ("ok PATH" or "FAIL PATH: reason") and exits 1 if any fails.
Used by the Rust tests (SARIF output, archflow.schema.json); `.ci/run` installs requirements.txt.
"""
import json
import re
import sys

import jsonschema


def load(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if path.endswith((".yaml", ".yml")):
        return yaml12_load(text)
    return json.loads(text)


def yaml12_load(text):
    """Read YAML 1.2, as yaml-language-server and archflow do: PyYAML follows YAML 1.1, where
    `off`, `no`, `on` and `yes` are booleans, so the rule level in `A010: off` would be `false`."""
    import yaml  # PyYAML; only needed for YAML documents

    class Loader(yaml.SafeLoader):
        pass

    bool_tag = "tag:yaml.org,2002:bool"
    Loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != bool_tag]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    Loader.add_implicit_resolver(
        bool_tag, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
    )
    return yaml.load(text, Loader=Loader)


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
