"""Safety rules as plain functions: afwegingskader routes, kindcheck, follow-up, trail."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import product

import pytest

from wijkgesprek.content.model import (
    AssessmentQuestion,
    BalanceQuestion,
    MeldcodeStep,
    SafetyGuide,
    Signal,
    SignalGroup,
)
from wijkgesprek.domain.follow_up import follow_up_label, follow_up_order
from wijkgesprek.domain.household import Children, parse_children
from wijkgesprek.domain.safety import (
    ASSESS,
    BALANCE,
    CONSULT,
    KINDCHECK,
    SCALE,
    SIGNAL,
    STEP,
    SafetyEntry,
    assess,
    balance,
    current,
    draft_dossier,
    end_problems,
    has_concerns,
    kindcheck_problem,
    scale_problem,
)
from wijkgesprek.store import repo
from wijkgesprek.store.engine import Store

QUESTIONS = (
    AssessmentQuestion(1, "Vermoeden?", ja="volgende", nee="afsluiten"),
    AssessmentQuestion(2, "Acuut of structureel onveilig?", ja="melden", nee="volgende"),
    AssessmentQuestion(3, "Kan ik effectieve hulp bieden?", ja="volgende", nee="melden"),
    AssessmentQuestion(4, "Werken zij mee?", ja="volgende", nee="melden"),
    AssessmentQuestion(5, "Duurzaam veilig?", ja="hulp", nee="melden"),
)
GUIDE = SafetyGuide(
    kindcheck=("Wonen er kinderen bij u?",),
    signal_groups=(SignalGroup("kind", "Kind", (Signal("verwonding", "Verwondingen"),)),),
    load_themes=("geldzorgen", "schulden"),
    balance=(
        BalanceQuestion("spanning", "Spanning tussen ouders?", "draaglast"),
        BalanceQuestion("steun", "Iemand die helpt?", "draagkracht"),
    ),
    roles=("ouder", "kind", "professional"),
    assessment=QUESTIONS,
    meldcode=tuple(MeldcodeStep(n, f"Stap {n}") for n in range(1, 6)),
)
T0 = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def entry(kind: str, key: str = "", value: str = "", note: str = "", n: int = 0) -> SafetyEntry:
    return SafetyEntry(n, 1, kind, key, value, note, T0 + timedelta(minutes=n))


# Every route through the five questions, with what the framework prescribes.
ROUTES = [
    ((False,), "afsluiten"),
    ((True, True), "melden"),
    ((True, False, False), "melden"),
    ((True, False, True, False), "melden"),
    ((True, False, True, True, False), "melden"),
    ((True, False, True, True, True), "hulp"),
]


@pytest.mark.parametrize(("answers", "outcome"), ROUTES)
def test_every_route_of_the_afwegingskader(answers: tuple[bool, ...], outcome: str) -> None:
    given = {n: (yes, f"reden {n}") for n, yes in enumerate(answers, start=1)}
    route = assess(QUESTIONS, given)
    assert route.outcome == outcome
    assert route.question is None
    assert [q.number for q, _, _ in route.path] == list(range(1, len(answers) + 1))
    assert [reason for _, _, reason in route.path] == [f"reden {n}" for n in given]


def test_all_32_answer_sets_end_in_one_of_the_outcomes() -> None:
    for answers in product((True, False), repeat=5):
        route = assess(QUESTIONS, {n: (a, "r") for n, a in enumerate(answers, 1)})
        assert route.outcome in {"afsluiten", "melden", "hulp"}


def test_route_waits_for_the_next_question_and_ignores_answers_off_the_route() -> None:
    route = assess(QUESTIONS, {1: (True, "r"), 3: (True, "r")})
    assert route.question is QUESTIONS[1] and route.outcome is None
    corrected = assess(QUESTIONS, {1: (False, "toch niet"), 2: (True, "r"), 3: (True, "r")})
    assert corrected.outcome == "afsluiten" and len(corrected.path) == 1


@pytest.mark.parametrize(
    ("outcome", "reason", "ok"),
    [
        ("geen-zorgen", "", True),
        ("zorgen", "", True),
        ("niet-gedaan", "", False),
        ("niet-gedaan", "vader wilde niet", True),
        ("misschien", "x", False),
    ],
)
def test_kindcheck_outcome_rules(outcome: str, reason: str, ok: bool) -> None:
    assert (kindcheck_problem(outcome, reason) is None) == ok


@pytest.mark.parametrize(
    ("groups", "entries", "next_contact", "problems"),
    [
        ("", [], None, 0),
        ("2024", [], None, 1),
        ("0-4", [], None, 1),  # an old age group
        ("zwanger", [], None, 1),
        ("elders", [], None, 1),
        ("2018", [entry(KINDCHECK, "", "geen-zorgen")], None, 0),
        ("2018", [entry(KINDCHECK, "", "zorgen")], None, 1),
        ("2018", [entry(KINDCHECK, "", "zorgen")], date(2026, 12, 1), 0),
        ("", [entry(SIGNAL, "kind/verwonding", "aan")], None, 1),
        (
            "",
            [entry(SIGNAL, "kind/verwonding", "aan"), entry(SIGNAL, "kind/verwonding", "uit", n=1)],
            None,
            0,
        ),
    ],
)
def test_a_visit_ends_only_with_kindcheck_and_follow_up(
    groups: str, entries: list[SafetyEntry], next_contact: date | None, problems: int
) -> None:
    children = parse_children(groups)
    found = end_problems(children=children, entries=entries, next_contact=next_contact, guide=GUIDE)
    assert len(found) == problems


@pytest.mark.parametrize(
    ("days", "label", "group"),
    [
        (-3, "3 dagen over tijd", 0),
        (-1, "1 dag over tijd", 0),
        (0, "vandaag", 1),
        (1, "over 1 dag", 1),
        (14, "over 14 dagen", 1),
        (15, "over 15 dagen", 2),
    ],
)
def test_follow_up_with_a_fixed_clock(days: int, label: str, group: int) -> None:
    today = date(2026, 11, 25)
    assert follow_up_label(today + timedelta(days=days), today) == label
    assert follow_up_order(today + timedelta(days=days), today)[0] == group
    assert follow_up_order(None, today)[0] == 3


def test_overdue_come_first_longest_overdue_first() -> None:
    today = date(2026, 11, 25)
    dates = [today + timedelta(days=d) for d in (20, -1, 3, -10, 0)] + [None]
    ordered = sorted(dates, key=lambda d: follow_up_order(d, today))
    assert ordered == [
        today - timedelta(days=10),
        today - timedelta(days=1),
        today,
        today + timedelta(days=3),
        today + timedelta(days=20),
        None,
    ]


def test_balance_uses_tagged_load_themes_and_answers() -> None:
    entries = [
        entry(BALANCE, "spanning", "ja"),
        entry(BALANCE, "steun", "nee", n=1),
        entry(BALANCE, "steun", "ja", n=2),
    ]
    view = balance(
        GUIDE, tagged=["schulden", "wonen"], theme_names={"schulden": "Schulden"}, entries=entries
    )
    assert view.load == ("Schulden", "Spanning tussen ouders?")
    assert view.capacity == ("Iemand die helpt?",)


@pytest.mark.parametrize(
    ("text", "ok"),
    [("0", True), ("10", True), ("11", False), ("-1", False), ("zes", False), ("", False)],
)
def test_scaling_figures(text: str, ok: bool) -> None:
    assert (scale_problem(text) is None) == ok


def test_dossier_draft_is_factual_and_follows_the_trail() -> None:
    entries = [
        entry(KINDCHECK, "", "zorgen", "kind vertelt over slaan", 1),
        entry(SIGNAL, "kind/verwonding", "aan", "blauwe plek op arm", 2),
        entry(SCALE, "ouder", "4", "", 3),
        entry(STEP, "2", "gedaan", "", 4),
        entry(CONSULT, "1", "aandachtsfunctionaris", "advies Veilig Thuis vragen", 5),
        entry(ASSESS, "1", "ja", "signalen en verhaal kind", 6),
        entry(ASSESS, "2", "ja", "kind vertelt over geweld", 7),
    ]
    text = draft_dossier(GUIDE, entries, visit_date=date(2026, 11, 25))
    assert text.startswith("Huisbezoek van 25-11-2026.")
    for part in (
        "Kindcheck: zorgen → meldcode (kind vertelt over slaan).",
        "Verwondingen (in eigen woorden: “blauwe plek op arm”)",
        "ouder 4",
        "Meldcode stap 2 (Stap 2): gedaan",
        "Overleg met aandachtsfunctionaris",
        "vraag 2: ja, omdat kind vertelt over geweld",
        "Besluit: Melden bij Veilig Thuis (0800-2000).",
    ):
        assert part in text
    assert has_concerns(entries)


def test_the_trail_keeps_every_entry_and_links_corrections(store: Store) -> None:
    visit_id = store.run(
        repo.start_visit,
        code="GZ-001",
        wijk="Noord",
        children=Children(birth_years=(2024,)),
        now=T0,
    )
    first = store.run(
        repo.add_safety_entry, visit_id=visit_id, kind=KINDCHECK, value="geen-zorgen", now=T0
    )
    second = store.run(
        repo.add_safety_entry,
        visit_id=visit_id,
        kind=KINDCHECK,
        value="zorgen",
        note="na gesprek met kind",
        now=T0 + timedelta(hours=1),
    )
    consults = [
        store.run(
            repo.add_safety_entry,
            visit_id=visit_id,
            kind=CONSULT,
            value=role,
            note="advies",
            now=T0,
        )
        for role in ("collega", "Veilig Thuis")
    ]
    trail = store.run(repo.safety_entries, visit_id=visit_id)
    assert [e.id for e in trail] == [first.id, consults[0].id, consults[1].id, second.id]
    assert second.corrects == first.id and first.corrects is None
    assert current(trail, KINDCHECK)[""].value == "zorgen"
    assert [c.key for c in consults] == ["1", "2"] and consults[1].corrects is None
