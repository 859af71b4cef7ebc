from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests get a fixed budget and the same examples on every run, so that CI is
# repeatable; `HYPOTHESIS_PROFILE=explore` searches wider and at random.
settings.register_profile("ci", max_examples=150, deadline=None, derandomize=True, print_blob=True)
settings.register_profile("explore", max_examples=3000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CFN_DOCTOR_SHARED", REPO.parent / "shared"))
CORPUS = SHARED / "corpus"
TEMPLATE_SUFFIXES = (".json", ".yaml", ".yml", ".template")


def corpus_files(*, bad: bool = False) -> list[Path]:
    """Every template of the shared corpus (the malformed cfn-lint fixtures only when
    ``bad``).  A missing corpus is an error, not a reason to skip."""
    if not CORPUS.is_dir():
        raise RuntimeError(f"the shared corpus is missing at {CORPUS}; set CFN_DOCTOR_SHARED")
    files = sorted(path for path in CORPUS.rglob("*") if path.suffix in TEMPLATE_SUFFIXES and path.is_file())
    bad_root = CORPUS / "cfn-lint-bad"
    return [path for path in files if (bad_root in path.parents) == bad]


def corpus_id(path: Path) -> str:
    return str(path.relative_to(CORPUS))


@pytest.fixture
def write(tmp_path: Path):
    """Write text (or bytes) to a file in a temporary folder and return its path."""

    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path

    return _write
