"""How often an edit cannot be spliced and the whole file is re-written (not a test).

Draws random batches of 1-4 edits (Set / Add / Remove, values including awkward strings,
multi-line text and intrinsic functions) on every real template of the shared corpus and
counts the batches that fell back to a whole-file re-write (which loses comments), per
1,000 batches, for block-style YAML, other YAML, and JSON.  The goal (issue 7): 0 on
block YAML.  Usage: ``python bench/fallback.py [BATCHES] [SEED]``.
"""

from __future__ import annotations

import random
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from app.core import pointer as jp
from app.core.document import Document
from app.core.edits import Add, Edit, Remove, Set, apply_one, copy_data
from app.core.errors import EditError, TemplateError

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
STRINGS = ["x", "", "yes", "012", "a: b", "# not a comment", "two\nlines\n", "kept\n\n", " lead", "trail ",
           "${AWS::StackName}", "arn:aws:s3:::b/*", "é", "\x7f", "\u2028", "*star", "- dash", "1e5"]


def value(rng: random.Random, depth: int = 0) -> Any:
    roll = rng.random()
    if depth < 2 and roll < 0.15:
        return {rng.choice(STRINGS) or "k": value(rng, depth + 1) for _ in range(rng.randint(0, 3))}
    if depth < 2 and roll < 0.3:
        return [value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    if roll < 0.45:
        return rng.choice([{"Ref": "AWS::Region"}, {"Fn::GetAtt": ["A", "Arn"]}, {"Fn::Sub": "${A}-x"},
                           {"Fn::Base64": {"Fn::Sub": "#!/bin/sh\necho ${A}\n"}}, {"Fn::GetAtt": "A.Arn"},
                           {"Fn::If": ["C", 1, {"Ref": "AWS::NoValue"}]}])
    return rng.choice([*STRINGS, 0, -1, 1.5, True, False, None, 10**20])


def nodes(data: Any, base: str = "") -> list[tuple[str, Any]]:
    found = []
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else []
    for token, child in items:
        pointer = jp.child(base, token)
        if pointer.count("/") >= 2:
            found.append((pointer, child))
        found.extend(nodes(child, pointer))
    return found


def batch(rng: random.Random, data: dict[str, Any]) -> list[Edit]:
    scratch = copy_data(data)
    edits: list[Edit] = []
    for _ in range(rng.randint(1, 4)):
        candidates = nodes(scratch)
        if not candidates:
            break
        pointer, current = rng.choice(candidates)
        kind = rng.choice(["set", "add", "remove"])
        if kind == "remove":
            edit: Edit = Remove(pointer)
        elif kind == "add" and isinstance(current, dict):
            edit = Add(jp.child(pointer, f"New{rng.randint(0, 10**6)}"), value(rng))
        elif kind == "add" and isinstance(current, list):
            edit = Add(jp.child(pointer, rng.choice(["-", str(rng.randint(0, len(current)))])), value(rng))
        else:
            edit = Set(pointer, value(rng))
        apply_one(scratch, edit)
        edits.append(edit)
    return edits


def kind_of(document: Document) -> str:
    if document.format == "json":
        return "json"
    flow_lines = sum(1 for line in document.text.splitlines() if line.rstrip().endswith(("{", "[", ",")))
    return "block yaml" if flow_lines < 3 else "yaml with flow style"


def main() -> None:
    batches = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 7)
    templates = [path for path in sorted(CORPUS.rglob("*"))
                 if path.suffix in (".json", ".yaml", ".yml", ".template") and "cfn-lint-bad" not in path.parts
                 and "synthetic" not in path.parts]
    totals: Counter[str] = Counter()
    fallbacks: Counter[str] = Counter()
    refused: Counter[str] = Counter()
    examples: list[str] = []
    for number in range(batches):
        path = templates[number % len(templates)]
        try:
            document = Document.open(str(path))
        except TemplateError:
            continue
        kind = kind_of(document)
        edits = batch(rng, document.data)
        if not edits:
            continue
        totals[kind] += 1
        try:
            document.apply(edits)
        except EditError:
            refused[kind] += 1
            continue
        if document.take_warnings():
            fallbacks[kind] += 1
            if len(examples) < 10:
                examples.append(f"{path.relative_to(CORPUS)}: {edits}")
    for kind in sorted(totals):
        print(f"{kind:22} {totals[kind]:6} batches, {1000 * fallbacks[kind] / totals[kind]:6.1f} whole-file "
              f"re-writes per 1,000, {refused[kind]} refused")
    for example in examples:
        print("  e.g.", example[:300])


if __name__ == "__main__":
    main()
