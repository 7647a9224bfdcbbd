"""The architecture contracts of pyproject.toml (import-linter) hold: domain imports no Django and no app,
audit and notify import no feature app, and every app sits in its layer, importing only the layers below it
(see docs/architecture.md). CI runs the same check (`make lint`); here it fails the suite too, with the
offending imports in the message."""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Written by hand: the contracts the project must have, by name.
CONTRACTS = [
    "domain: pure Python rules, no Django, no app",
    "core, audit, notify: no feature app, no reference data, no API",
    "layers: each imports only the layers below it",
]


def test_every_architecture_contract_is_kept():
    lint_imports = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    result = subprocess.run([lint_imports, "--no-cache"], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    for name in CONTRACTS:
        assert f"{name} KEPT" in result.stdout, name


def test_the_layers_have_no_exceptions():
    """Every import follows the layers: the layers contract lists no `ignore_imports` (issue 10 removed the last
    ones: the admin base classes, the Prometheus counters, the demo data command)."""
    with open(ROOT / "pyproject.toml", "rb") as file:
        contracts = tomllib.load(file)["tool"]["importlinter"]["contracts"]
    layers = next(contract for contract in contracts if contract["id"] == "layers")
    assert layers.get("ignore_imports", []) == []
