"""docs/privacy.md points to code and tests for every measure (issue 21, point 15): each
file it names exists, each test it names is there, and each name given in parentheses
after a file is in that file."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parent.parent
DOC = ROOT / "docs" / "privacy.md"


def source(file: str) -> Path:
    return ROOT / file if file.startswith(("tests/", "docs/")) else ROOT / "wijkgesprek" / file


def test_every_file_test_and_name_the_privacy_statement_points_to_exists() -> None:
    text = DOC.read_text("utf-8")
    checked = 0
    for file, tests in re.findall(r"`([\w/]+\.(?:py|md))(?:::(\w+))?`", text):
        assert source(file).exists(), file
        if tests:
            assert re.search(rf"def {tests}\(", source(file).read_text("utf-8")), tests
        checked += 1
    for file, name in re.findall(r"`([\w/]+\.py)` \(`(\w+)`", text):
        assert name in source(file).read_text("utf-8"), f"{file}: {name}"
        checked += 1
    # "`tests/x.py::a`, `::b`": more tests in the file named just before
    for file, more in re.findall(r"`(tests/[\w/]+\.py)::\w+`((?:, `::\w+`)+)", text):
        for name in re.findall(r"::(\w+)", more):
            assert re.search(rf"def {name}\(", source(file).read_text("utf-8")), name
            checked += 1
    assert checked > 40
