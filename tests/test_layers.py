"""The layers are enforced by import-linter's contracts in pyproject.toml (run by
`make test`); this keeps the contracts complete as modules are added."""

import tomllib

from tests.conftest import REPO


def engine_layer() -> set[str]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    (layers,) = [c["layers"] for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"]
    engine = next(layer for layer in layers if "app.analysis" in layer)
    return {name.strip() for name in engine.split(":")}


def test_every_engine_module_has_its_place_in_the_layers():
    modules = {f"app.{path.stem}" for path in (REPO / "app").glob("*.py") if path.stem not in ("__init__", "cli")}
    assert modules == engine_layer()
