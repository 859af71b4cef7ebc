"""Policy-engine figures on the 500-resource template (not a test).

1. Our rules in-process: median time of one analysis (document already open).
2. Whole processes, side by side: `cfn-doctor check --no-cfn-lint`, `cfn-doctor check`,
   and the `cfn-lint` command, each run several times, median wall time.
Targets (issue 3): rules under 50 ms in-process; `check --no-cfn-lint` at least 10x
faster than `cfn-lint` as whole processes.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from app.analysis import analyse
from app.core.document import Document
from rules import profiles

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "synthetic"
BIN = Path(sys.executable).parent


def median(values: list[float]) -> float:
    return statistics.median(values)


def in_process(path: Path, runs: int = 21) -> tuple[float, int]:
    document = Document.open(str(path))
    profile = profiles.load("default")
    analyse(document, profile)  # first run warms the schema cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        findings = analyse(document, profile)
        times.append(time.perf_counter() - start)
    return median(times) * 1000, len(findings)


def whole_process(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return median(times)


def main(path: Path = CORPUS / "large-500.yaml") -> None:
    rules_ms, count = in_process(path)
    print(f"{path.name}: our rules in-process {rules_ms:.1f} ms (median of 21), {count} findings")
    doctor = str(BIN / "cfn-doctor")
    own = whole_process([doctor, "check", "--no-cfn-lint", str(path)], 5)
    full = whole_process([doctor, "check", str(path)], 3)
    cfn_lint = whole_process([str(BIN / "cfn-lint"), str(path)], 3)
    print(f"{'cfn-doctor check --no-cfn-lint':<32}{own:>8.2f} s")
    print(f"{'cfn-doctor check':<32}{full:>8.2f} s")
    print(f"{'cfn-lint':<32}{cfn_lint:>8.2f} s")
    print(f"check --no-cfn-lint is {cfn_lint / own:.1f}x faster than cfn-lint")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else CORPUS / "large-500.yaml")
