#!/usr/bin/env python3
"""The floor: what reading a knowledge base costs in Python at all.

    python benchmarks/floor.py PATH              # parse with libyaml, print the arguments as JSON
    python benchmarks/floor.py PATH --parse-only # parse only

No validation, no model, no options: PyYAML's C loader (CSafeLoader) and
json.dumps, nothing else. policyx's times are measured against this.
"""

import json
import sys

import yaml


def main() -> None:
    path = sys.argv[1]
    with open(path, encoding="utf-8") as stream:
        data = yaml.load(stream, Loader=yaml.CSafeLoader)
    if "--parse-only" not in sys.argv:
        sys.stdout.write(json.dumps(data["arguments"], ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
