"""Update-impact figures on the 500-resource template (not a test).

OLD is the synthetic large-500.yaml; NEW an edited copy of it: the shared DB subnet group
gets a name (a create-only property: it is replaced, and with it every Aurora cluster and
each cluster's writer, two levels of cascade), a table is renamed, a bucket removed, a
queue made FIFO, the Environment parameter's default changed and every function's memory
raised.  Prints the median time of `impact()` on the two open documents, and of opening
both and computing it.  Target (issue 10): under 0.5 s.
"""

from __future__ import annotations

import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from app.core.document import Document
from app.impact import impact
from rules import profiles

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "synthetic"
TARGET_SECONDS = 0.5


def edited(text: str) -> str:
    """The large template with the edits the module docstring lists."""
    text = text.replace("      SubnetIds: !Ref 'PrivateSubnetIds'",
                        "      DBSubnetGroupName: aurora-subnets-v2\n      SubnetIds: !Ref 'PrivateSubnetIds'", 1)
    text = text.replace("Svc000Table", "Svc000OrdersTable")
    text = re.sub(r"\n  Svc002Bucket:\n(    .*\n|      .*\n)+", "\n", text, count=1)
    text = text.replace("  Svc001Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n",
                        "  Svc001Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      FifoQueue: true\n", 1)
    text = text.replace("    Default: dev\n", "    Default: staging\n", 1)
    return re.sub(r"MemorySize: (\d+)", lambda match: f"MemorySize: {int(match.group(1)) * 2}", text)


def median_seconds(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(path: Path = CORPUS / "large-500.yaml") -> None:
    old_text = path.read_text(encoding="utf-8")
    new_text = edited(old_text)
    profile = profiles.load("default")
    old, new = Document.from_text(old_text, str(path)), Document.from_text(new_text, "edited.yaml")
    found = impact(old, new, profile)  # warms the schema cache, as a long-running editor has it
    counts = Counter(f"{change.action}/{change.data}" for change in found.changes)
    in_process = median_seconds(lambda: impact(old, new, profile), 21)
    with_loading = median_seconds(lambda: impact(Document.from_text(old_text, "old.yaml"),
                                                 Document.from_text(new_text, "new.yaml"), profile), 5)
    print(f"{path.name} ({len(old.data['Resources'])} resources) against an edited copy: "
          f"{len(found.changes)} changes ({', '.join(f'{n} {kind}' for kind, n in sorted(counts.items()))})")
    print(f"impact() on the open documents: {in_process * 1000:.0f} ms (median of 21)")
    print(f"opening both and impact():      {with_loading * 1000:.0f} ms (median of 5)")
    verdict = "within" if in_process < TARGET_SECONDS else "OVER"
    print(f"target {TARGET_SECONDS * 1000:.0f} ms: {verdict}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else CORPUS / "large-500.yaml")
