"""Template-core figures on the 500-resource synthetic template (not a test).

Prints, as medians over several runs: our load beside a bare parse of the same text
(``json.loads`` / PyYAML's ``CSafeLoader``), one edit + save, and export to the other
format.  Targets (issue 2): load within 3x of the bare parse; one YAML edit + save
under 150 ms.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from app.core.document import Document
from app.core.edits import Set

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "synthetic"
RUNS = 21


class _CfnLoader(yaml.CSafeLoader):
    """CSafeLoader that accepts CloudFormation's tags, as the bare baseline."""


_CfnLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


def median_ms(action: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def figures(path: Path, out: Path) -> str:
    """One row of the table: the template at ``path``, its saves and exports in ``out``."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        bare = median_ms(lambda: json.loads(text))
    else:
        bare = median_ms(lambda: yaml.load(text, Loader=_CfnLoader))
    load = median_ms(lambda: Document.open(str(path)))
    document = Document.open(str(path))
    target = out / path.name
    document.save(str(target))
    # A different resource each run, so no run is an undo of the one before.
    with_policy = iter([n for n, r in document.data["Resources"].items() if r.get("DeletionPolicy") == "Retain"])

    def edit_and_save() -> None:
        document.apply([Set(f"/Resources/{next(with_policy)}/DeletionPolicy", "Snapshot")])
        document.save(str(target))

    edit_save = median_ms(edit_and_save)
    other = "yaml" if path.suffix == ".json" else "json"
    export = median_ms(lambda: document.save(str(out / f"export.{other}"), other))
    return f"{path.name:<16}{bare:>10.1f}ms{load:>8.1f}ms{load / bare:>6.2f}x{edit_save:>9.1f}ms{export:>7.1f}ms"


def main(corpus: Path = CORPUS) -> None:
    out = Path(tempfile.mkdtemp())
    print(f"{'file':<16}{'bare parse':>12}{'our load':>10}{'ratio':>7}{'edit+save':>11}{'export':>9}")
    for name in ("large-500.json", "large-500.yaml"):
        print(figures(corpus / name, out))
    print(f"(median of {RUNS} runs; Python {sys.version.split()[0]}, PyYAML libyaml={yaml.__with_libyaml__})")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else CORPUS)
