"""Time `validate` on the August file against loading it with PyYAML and validating with jsonschema.

Run: python benchmarks/validate.py [--repeat N]
Both sides get a compiled validator and a warm cache; each figure is the median of N runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hearings.files.workspace import PACKAGED_SCHEMA as SCHEMA_FILE  # noqa: E402
from hearings.month.validate import validate_file  # noqa: E402

AUGUST = ROOT / "data" / "2020-08.yaml"


def _median_ms(run, repeat: int) -> float:
    run()  # warm up: reference data, compiled schema
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=200)
    repeat = parser.parse_args().repeat

    validator = Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))

    def baseline(loader) -> None:
        data = yaml.load(AUGUST.read_text(encoding="utf-8"), Loader=loader)
        data["period"] = str(data["period"])
        validator.validate(data)

    def ours() -> None:
        assert validate_file(AUGUST).valid()

    rows = [
        ("hearings validate (positions, schema, all checks)", _median_ms(ours, repeat)),
        ("baseline: yaml.safe_load + jsonschema", _median_ms(lambda: baseline(yaml.SafeLoader),
                                                             repeat)),
    ]
    if hasattr(yaml, "CSafeLoader"):
        rows.append(("baseline: yaml CSafeLoader + jsonschema",
                     _median_ms(lambda: baseline(yaml.CSafeLoader), repeat)))
    ours_name, ours_ms = rows[0]
    print(f"August 2020 file, median of {repeat} runs")
    print(f"  {ours_name:<52} {ours_ms:7.2f} ms")
    for name, ms in rows[1:]:
        print(f"  {name:<52} {ms:7.2f} ms   hearings / baseline = {ours_ms / ms:4.2f}")


if __name__ == "__main__":
    main()
