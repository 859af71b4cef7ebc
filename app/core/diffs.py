"""Unified diffs that ``git apply`` and ``patch`` accept for any text.

:func:`difflib.unified_diff` writes a last line without its newline straight into the next
one (no ``\\ No newline at end of file`` marker) and splits lines on characters that
neither tool treats as line ends (form feed, U+2028, a lone CR ...).  Here a line is
what ends in ``\\n``: CRLF files keep their CR as part of each line, which both tools
apply byte for byte.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections import Counter
from collections.abc import Sequence

CONTEXT_LINES = 3
NO_NEWLINE_MARKER = "\\ No newline at end of file\n"
_LINE = re.compile(r"[^\n]*\n|[^\n]+\Z")
# Characters git quotes in a path (C-style, inside double quotes); GNU patch reads them back.
_NEEDS_QUOTING = re.compile(r'[\x00-\x1f"\\\x7f]')
_C_ESCAPES = {"\a": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\v": "\\v", "\f": "\\f", "\r": "\\r",
              '"': '\\"', "\\": "\\\\"}


def unified_diff(before: str, after: str, old_label: str, new_label: str) -> str:
    """The changes from ``before`` to ``after`` as a unified diff; empty when they are equal."""
    old_lines, new_lines = _split_lines(before), _split_lines(after)
    hunks = _AnchoredMatcher(old_lines, new_lines).get_grouped_opcodes(CONTEXT_LINES)
    body = [line for group in hunks for line in _hunk(group, old_lines, new_lines)]
    if not body:
        return ""
    return f"--- {_header_name(old_label)}\n+++ {_header_name(new_label)}\n" + "".join(body)


def _split_lines(text: str) -> list[str]:
    """Lines ending in ``\\n`` (the last one may not), and only there."""
    return _LINE.findall(text)


class _AnchoredMatcher(difflib.SequenceMatcher[str]):
    """A SequenceMatcher that first pins, in order, the lines found once on each side (as
    ``git diff --patience`` does) and leaves difflib only the stretches between them: its
    own search is quadratic in the repeated lines of a large template (seconds for a
    20,000-line JSON file with a fix in each of 500 resources)."""

    def __init__(self, old: Sequence[str], new: Sequence[str]) -> None:
        super().__init__(None, old, new)
        self._blocks = [*_merged(_anchored_blocks(old, new)), difflib.Match(len(old), len(new), 0)]

    def get_matching_blocks(self) -> list[difflib.Match]:
        return self._blocks


def _anchored_blocks(old: Sequence[str], new: Sequence[str]) -> list[tuple[int, int, int]]:
    """Matching runs ``(old start, new start, length)``, in order."""
    blocks: list[tuple[int, int, int]] = []
    stretches = [(0, len(old), 0, len(new))]
    while stretches:
        old_start, old_end, new_start, new_end = stretches.pop()
        if old_start == old_end or new_start == new_end:
            continue
        anchors = _unique_common_lines(old[old_start:old_end], new[new_start:new_end])
        if not anchors:
            matcher = difflib.SequenceMatcher(None, old[old_start:old_end], new[new_start:new_end])
            blocks.extend((old_start + i, new_start + j, size) for i, j, size in matcher.get_matching_blocks() if size)
            continue
        previous_old, previous_new = old_start, new_start
        for i, j in anchors:
            blocks.append((old_start + i, new_start + j, 1))
            stretches.append((previous_old, old_start + i, previous_new, new_start + j))
            previous_old, previous_new = old_start + i + 1, new_start + j + 1
        stretches.append((previous_old, old_end, previous_new, new_end))
    return sorted(blocks)


def _unique_common_lines(old: Sequence[str], new: Sequence[str]) -> list[tuple[int, int]]:
    """The longest in-order chain of ``(old index, new index)`` of lines that occur once
    in each side (patience sorting)."""
    old_counts, new_counts = Counter(old), Counter(new)
    new_index = {line: j for j, line in enumerate(new) if new_counts[line] == 1}
    pairs = [(i, new_index[line]) for i, line in enumerate(old) if old_counts[line] == 1 and line in new_index]
    pile_tops: list[int] = []  # new index on top of each pile
    top_pair: list[int] = []  # index into pairs of each pile's top
    back: list[int] = []  # the pair each pair was placed on, -1 for the first pile
    for number, (_, j) in enumerate(pairs):
        pile = bisect.bisect_left(pile_tops, j)
        back.append(top_pair[pile - 1] if pile else -1)
        if pile == len(pile_tops):
            pile_tops.append(j)
            top_pair.append(number)
        else:
            pile_tops[pile], top_pair[pile] = j, number
    chain: list[tuple[int, int]] = []
    number = top_pair[-1] if top_pair else -1
    while number >= 0:
        chain.append(pairs[number])
        number = back[number]
    return chain[::-1]


def _merged(blocks: list[tuple[int, int, int]]) -> list[difflib.Match]:
    """Adjacent runs joined, as SequenceMatcher.get_matching_blocks returns them."""
    merged: list[difflib.Match] = []
    for i, j, size in blocks:
        if merged and merged[-1].a + merged[-1].size == i and merged[-1].b + merged[-1].size == j:
            merged[-1] = difflib.Match(merged[-1].a, merged[-1].b, merged[-1].size + size)
        else:
            merged.append(difflib.Match(i, j, size))
    return merged


def _hunk(group: list[tuple[str, int, int, int, int]], old_lines: list[str], new_lines: list[str]) -> list[str]:
    first, last = group[0], group[-1]
    lines = [f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@\n"]
    for tag, old_start, old_end, new_start, new_end in group:
        if tag == "equal":
            lines.extend(_marked(" ", old_lines[old_start:old_end]))
            continue
        lines.extend(_marked("-", old_lines[old_start:old_end]))
        lines.extend(_marked("+", new_lines[new_start:new_end]))
    return lines


def _marked(prefix: str, lines: list[str]) -> list[str]:
    return [prefix + line if line.endswith("\n") else f"{prefix}{line}\n{NO_NEWLINE_MARKER}" for line in lines]


def _range(start: int, stop: int) -> str:
    """A hunk range as GNU diff writes it: an empty range names the line before it."""
    length = stop - start
    if length == 1:
        return str(start + 1)
    return f"{start + 1 if length else start},{length}"


def _header_name(label: str) -> str:
    """A file name for a ``---``/``+++`` line, written as git writes it: C-quoted when it
    holds control characters, quotes or backslashes, and followed by a tab when it holds
    a space, so that neither tool takes part of the name for a timestamp."""
    if _NEEDS_QUOTING.search(label):
        escaped = "".join(_C_ESCAPES.get(char, f"\\{ord(char):03o}") if _NEEDS_QUOTING.match(char) else char
                          for char in label)
        return f'"{escaped}"'
    return label + "\t" if " " in label else label
