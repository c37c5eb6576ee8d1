"""Hostile input: whatever the bytes, the loaders answer with a Dutch ContentError or a
result, never with another exception (Hypothesis)."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wijkgesprek.content.questions import load_guide
from wijkgesprek.content.yamlsource import parse_document
from wijkgesprek.errors import ContentError
from wijkgesprek.exchange.handover import parse_handover
from wijkgesprek.paths import shipped_questions

FILE = Path("fuzz.yaml")
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

YAMLISH = st.text(
    alphabet=st.sampled_from(list("abc: -[]{}\"'#&*!|>%@`\t\n 0123456789ëé\x00\x1b\\")),
    max_size=200,
)


@SETTINGS
@given(YAMLISH)
def test_yaml_reader_never_raises_anything_else(text: str) -> None:
    try:
        parse_document(text, FILE)
    except ContentError as error:
        assert all(str(FILE) in str(problem) for problem in error.problems)


@SETTINGS
@given(st.binary(max_size=300))
def test_guide_loader_with_any_bytes(tmp_path_factory: object, data: bytes) -> None:
    path = Path(tmp_path_factory.mktemp("gids")) / "vragen.yaml"  # type: ignore[attr-defined]
    path.write_bytes(data)
    try:
        load_guide(path)
    except ContentError as error:
        assert error.problems and all(p.file == path for p in error.problems)


SHIPPED = shipped_questions().read_text("utf-8")


@SETTINGS
@given(st.integers(min_value=0, max_value=len(SHIPPED) - 1), st.text(max_size=5))
def test_a_damaged_guide_gets_problems_not_a_traceback(
    tmp_path_factory: object, position: int, junk: str
) -> None:
    path = Path(tmp_path_factory.mktemp("gids")) / "vragen.yaml"  # type: ignore[attr-defined]
    path.write_text(SHIPPED[:position] + junk + SHIPPED[position + 1 :], encoding="utf-8")
    try:
        load_guide(path)  # parsing and the whole validation, safety section included
    except ContentError as error:
        assert error.problems and all(p.line >= 1 and p.column >= 1 for p in error.problems)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5)
    ),
    max_leaves=25,
)


@SETTINGS
@given(JSON)
def test_hand_over_reader_with_any_json(value: object) -> None:
    try:
        parse_handover(json.dumps(value), source=Path("overdracht.json"))
    except ContentError as error:
        assert error.problems


@SETTINGS
@given(st.text(max_size=300))
def test_hand_over_reader_with_any_text(text: str) -> None:
    try:
        parse_handover(text, source=Path("overdracht.json"))
    except ContentError as error:
        assert error.problems
