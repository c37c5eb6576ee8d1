"""The netwerkkaart as plain data: who may be on it (a first name or initials at most),
changes between two visits in Dutch lines, the thin informal network, the themes no one
helps with, the veiligheidsnetwerk and where each person stands on the rings."""

from __future__ import annotations

from pathlib import Path

import pytest

from wijkgesprek.content.model import CLOSE, COSTS, FAR, GIVES
from wijkgesprek.content.questions import load_guide
from wijkgesprek.domain.network_map import (
    THIN_BELOW,
    Person,
    family_lines,
    informal_helpers,
    is_thin,
    label,
    map_changes,
    member_problem,
    name_problem,
    next_number,
    placements,
    role_problem,
    safety_network,
    summary_line,
    thin_reason,
    uncovered_themes,
    would_do_more,
)

GUIDE = load_guide(Path(__file__).resolve().parent.parent / "data" / "questions.yaml")
NETWORK = GUIDE.network

OMA = Person(1, "oma", "Ria", "familie", True, "moeder", ("praktisch",), CLOSE, GIVES)
BUURVROUW = Person(2, "buurvrouw", "F.", "buurt", True, "", ("gezelschap",), FAR, "", more=True)
HUISARTS = Person(3, "huisarts", "", "hulpverlening", False, "", ("informatie",), FAR)
VRIENDIN = Person(4, "vriendin", "Sanne", "vrienden", True, "moeder", ("emotioneel",), CLOSE)


# -- who may be on the map: third parties did not consent ---------------------------------


@pytest.mark.parametrize("name", ["", "Ria", "Anne-Marie", "J.", "J.K.", "JK", "Zoë", "D'Angelo"])
def test_a_first_name_or_initials_is_taken(name: str) -> None:
    assert name_problem(name) is None


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("Ria de Vries", "geen achternaam"),
        ("Ria Jansen", "geen achternaam"),
        ("Ria2", "geen cijfers"),
        ("06-12345678", "geen cijfers"),
        ("Dorpsstraat", "geen adres"),
        ("ria@voorbeeld.nl", "geen adres"),
        ("Kerklaan 5", "geen cijfers"),
        ("Maximiliaan-Alexander-Jan", "te lang"),
        ("(oma)", "alleen letters"),
    ],
)
def test_a_surname_an_address_or_digits_is_refused_in_dutch(name: str, fragment: str) -> None:
    problem = name_problem(name)
    assert problem is not None and fragment in problem
    assert "toestemming" in problem  # says why: the people on the map did not consent


@pytest.mark.parametrize("role", ["oma", "juf van groep 3", "voetbaltrainer", "schuldhulp"])
def test_a_role_may_be_any_description_with_a_small_number(role: str) -> None:
    assert role_problem(role) is None


@pytest.mark.parametrize(
    ("role", "fragment"),
    [
        ("", "Vul in wie"),
        ("buurvrouw 06-12345678", "telefoonnummer"),
        ("oom, Kerkstraat 12", "adres"),
        ("tante (tante@voorbeeld.nl)", "e-mailadres"),
        ("buurman 1234 AB", "telefoonnummer"),
    ],
)
def test_a_role_with_a_phone_number_address_or_mail_is_refused(role: str, fragment: str) -> None:
    problem = role_problem(role)
    assert problem is not None and fragment in problem


def test_the_household_member_is_checked_as_a_role_but_may_be_empty() -> None:
    assert member_problem("") is None and member_problem("oudste kind") is None
    problem = member_problem("moeder 06-12345678")
    assert problem is not None and "telefoonnummer" in problem


def test_a_label_shows_the_first_name_only_when_names_are_shown() -> None:
    assert label(OMA) == "oma Ria"
    assert label(OMA, names=False) == "oma"
    assert label(HUISARTS) == "huisarts"


# -- changes between two visits -------------------------------------------------------------


def test_changes_between_two_visits_are_dutch_lines() -> None:
    before = (OMA, VRIENDIN, HUISARTS)
    after = (
        OMA.replace(closeness=FAR, energy=COSTS),
        HUISARTS,
        BUURVROUW,
    )
    assert map_changes(before, after, NETWORK) == [
        "+ buurvrouw F. (buurt) helpt met gezelschap, zou meer willen doen",
        "− vriendin Sanne",
        "· oma Ria: nu verder weg, kost nu energie",
    ]


def test_changes_name_help_gained_and_lost_safety_and_more() -> None:
    before = (BUURVROUW,)
    after = (
        BUURVROUW.replace(helps=("praktisch",), more=False, safety=True, role="buurvrouw Fien"),
    )
    assert map_changes(before, after, NETWORK, names=False) == [
        "· buurvrouw: nu buurvrouw Fien, helpt nu ook met praktische hulp, helpt niet meer "
        "met gezelschap, wil niet meer doen dan nu, nu in het veiligheidsnetwerk",
    ]


def test_no_changes_and_the_first_map() -> None:
    assert map_changes((OMA,), (OMA,), NETWORK) == []
    assert map_changes(None, (OMA,), NETWORK) == ["+ oma Ria (familie) helpt met praktische hulp"]
    assert map_changes((OMA,), None, NETWORK) == []  # no map made in the later visit: no news


def test_discreet_changes_hide_first_names() -> None:
    lines = map_changes((VRIENDIN,), (BUURVROUW,), NETWORK, names=False)
    assert lines == [
        "+ buurvrouw (buurt) helpt met gezelschap, zou meer willen doen",
        "− vriendin",
    ]
    assert not any("Sanne" in line or "F." in line for line in lines)


# -- the thin informal network ----------------------------------------------------------------


def test_a_network_is_thin_with_fewer_than_two_informal_people_who_help() -> None:
    assert THIN_BELOW == 2
    assert is_thin(())
    assert is_thin((OMA, HUISARTS))  # the huisarts is no informal help
    assert not is_thin((OMA, VRIENDIN))
    assert is_thin((OMA, VRIENDIN.replace(helps=())))  # knowing someone is not help
    assert is_thin((OMA, VRIENDIN.replace(energy=COSTS)))  # a tie that costs energy
    assert informal_helpers((OMA, HUISARTS, VRIENDIN)) == (OMA, VRIENDIN)


def test_the_reason_for_a_thin_network_counts_the_helpers() -> None:
    assert thin_reason((OMA,)) == "Dun informeel netwerk: 1 persoon uit de eigen kring helpt."
    assert thin_reason(()).startswith("Dun informeel netwerk: niemand uit de eigen kring helpt")
    assert thin_reason((OMA, VRIENDIN)) == ""


# -- what the map feeds ------------------------------------------------------------------------


def test_themes_no_one_helps_with() -> None:
    themes = ("eenzaamheid", "geldzorgen", "kinderopvang")
    assert uncovered_themes(themes, (OMA,), NETWORK) == ("eenzaamheid", "geldzorgen")
    assert uncovered_themes(themes, (OMA, BUURVROUW, HUISARTS), NETWORK) == ()
    assert uncovered_themes(("onbekend-thema",), (), NETWORK) == ()  # no kind of help for it


def test_the_safety_network_and_who_would_do_more() -> None:
    people = (OMA.replace(safety=True), BUURVROUW, HUISARTS.replace(safety=True))
    assert [p.role for p in safety_network(people)] == ["oma", "huisarts"]
    assert would_do_more(people) == (BUURVROUW,)


def test_summary_line() -> None:
    assert summary_line((), NETWORK) == "nog niemand op de kaart"
    people = (OMA.replace(safety=True), BUURVROUW, HUISARTS)
    assert summary_line(people, NETWORK) == (
        "3 mensen, 2 uit de eigen kring · 1 zou meer willen doen · veiligheidsnetwerk: 1"
    )
    assert (
        summary_line((OMA,), NETWORK) == "1 persoon, 1 uit de eigen kring · dun informeel netwerk"
    )


def test_the_family_version_in_plain_words() -> None:
    people = (OMA, BUURVROUW, HUISARTS.replace(helps=()))
    assert family_lines(people, NETWORK) == [
        "Oma Ria helpt met praktische hulp.",
        "Buurvrouw F. helpt met gezelschap, en wil graag meer doen.",
        "Huisarts hoort bij de mensen om u heen.",
    ]


def test_next_number_never_reuses_one_of_the_household() -> None:
    assert next_number((), used=0) == 1
    assert next_number((OMA, VRIENDIN), used=2) == 5  # 4 is on the map, 3 was removed


# -- the drawing: rings, closest inside -----------------------------------------------------------


def test_placements_put_close_people_inside_spread_round_the_ring_grouped() -> None:
    people = (HUISARTS, OMA, BUURVROUW, VRIENDIN)
    placed = placements(people, NETWORK)
    rings = {p.person.role: p.ring for p in placed}
    assert rings == {"oma": 1, "vriendin": 1, "huisarts": 2, "buurvrouw": 2}
    inner = [p for p in placed if p.ring == 1]
    assert [p.person.role for p in inner] == ["oma", "vriendin"]  # in the guide's group order
    assert [p.angle for p in inner] == [-90.0, 90.0]  # the first at the top, evenly spread
    outer = [p for p in placed if p.ring == 2]
    assert [p.person.role for p in outer] == ["buurvrouw", "huisarts"]
    assert outer[0].angle != -90.0  # the outer ring turns a little: labels do not line up


def test_discreet_changes_leave_out_the_safety_network() -> None:
    lines = map_changes((OMA,), (OMA.replace(safety=True), VRIENDIN.replace(safety=True)), NETWORK)
    assert lines == [
        "+ vriendin Sanne (vrienden) helpt met een luisterend oor, in het veiligheidsnetwerk",
        "· oma Ria: nu in het veiligheidsnetwerk",
    ]
    discreet = map_changes(
        (OMA,), (OMA.replace(safety=True), VRIENDIN.replace(safety=True)), NETWORK, safety=False
    )
    assert discreet == ["+ vriendin Sanne (vrienden) helpt met een luisterend oor"]


def test_import_numbers_keep_one_number_per_person_in_the_household() -> None:
    from wijkgesprek.domain.network_map import import_numbers

    oma, juf, buurman = Person(1, "oma"), Person(1, "juf"), Person(2, "buurman")
    # Another household's file: its 1 is someone else here, its 2 is free.
    assert import_numbers({"a": (oma,)}, {"b": (juf, buurman)}) == {1: 3, 2: 2}
    # A visit both have: the same person, also under another number, keeps ours.
    assert import_numbers({"a": (oma, Person(5, "juf"))}, {"a": (oma, Person(2, "juf"))}) == {
        1: 1,
        2: 5,
    }
    # Nothing here yet: the file's numbers stay.
    assert import_numbers({}, {"b": (juf, buurman)}) == {1: 1, 2: 2}
