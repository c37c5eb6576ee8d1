"""The layers hold: the import contracts in pyproject.toml, and a start that does not
load the database or YAML libraries before the first frame (issue 20, point 8)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_the_import_contracts_are_kept() -> None:
    linter = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    result = subprocess.run(
        [linter], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize("module", ["wijkgesprek.app", "wijkgesprek.domain.safety"])
def test_importing_loads_no_database_or_yaml_library(module: str) -> None:
    """The first frame waits for these imports: SQLAlchemy, SQLModel and PyYAML are loaded
    after it (docs/architecture.md, start-up)."""
    probe = (
        f"import sys, {module}; "
        "print(','.join(m for m in ('sqlalchemy', 'sqlmodel', 'yaml') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == ""


def test_the_store_has_no_import_circles() -> None:
    """Every module of the store imports only downwards (issue 20, point 5: the schema
    and the backups imported each other); deferred imports count too."""
    import grimp

    graph = grimp.build_graph("wijkgesprek", exclude_type_checking_imports=True)
    store = sorted(m for m in graph.modules if m.startswith("wijkgesprek.store."))
    circles = [
        f"{a} <-> {b}"
        for i, a in enumerate(store)
        for b in store[i + 1 :]
        if graph.chain_exists(importer=a, imported=b) and graph.chain_exists(importer=b, imported=a)
    ]
    assert circles == []
