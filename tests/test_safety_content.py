"""Tests for the safety section (``veiligheid``) of the conversation guide."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest

from wijkgesprek.cli import main
from wijkgesprek.content.model import OUTCOMES
from wijkgesprek.content.questions import guide_to_json, load_guide
from wijkgesprek.content.safety import SIGNAL_GROUPS
from wijkgesprek.errors import ContentError

SHIPPED_GUIDE = Path(__file__).resolve().parent.parent / "data" / "questions.yaml"
ID = re.compile(r"[a-z0-9-]+")

# The official branching of the afwegingskader: (ja, nee) for questions 1 to 5.
BRANCHING = [
    ("volgende", "afsluiten"),
    ("melden", "volgende"),
    ("volgende", "melden"),
    ("volgende", "melden"),
    ("hulp", "melden"),
]


# --- the shipped guide -------------------------------------------------------------------


def test_shipped_signals_come_in_three_groups() -> None:
    safety = load_guide(SHIPPED_GUIDE).safety
    assert tuple(group.id for group in safety.signal_groups) == SIGNAL_GROUPS
    assert SIGNAL_GROUPS == ("kind", "ouder", "gezin-en-omgeving")
    signal_ids = []
    for group in safety.signal_groups:
        assert group.titel, group.id
        assert 5 <= len(group.signals) <= 8, group.id
        for signal in group.signals:
            assert ID.fullmatch(signal.id) and signal.tekst, signal
            signal_ids.append(signal.id)
    assert len(signal_ids) == len(set(signal_ids))
    kind = {signal.id: signal.tekst for signal in safety.signal_groups[0].signals}
    assert "vertelt-over-geweld" in kind
    assert "hygiëne" in kind["verzorging-schiet-tekort"]


def test_shipped_afwegingskader_branches_as_the_framework_prescribes() -> None:
    assessment = load_guide(SHIPPED_GUIDE).safety.assessment
    assert [question.number for question in assessment] == [1, 2, 3, 4, 5]
    assert [(question.ja, question.nee) for question in assessment] == BRANCHING
    assert "stappen 1 tot en met 3" in assessment[0].vraag
    assert "acute onveiligheid en/of structurele onveiligheid" in assessment[1].vraag
    assert "kind zelf over geweld" in assessment[1].toelichting
    assert "hulp" in assessment[2].vraag
    assert "Aanvaarden de betrokkenen" in assessment[3].vraag
    assert "binnen de gewenste termijn" in assessment[4].vraag
    for question in assessment:
        assert question.vraag.endswith("?") and question.toelichting, question.number


def test_shipped_meldcode_has_five_steps() -> None:
    meldcode = load_guide(SHIPPED_GUIDE).safety.meldcode
    assert [step.number for step in meldcode] == [1, 2, 3, 4, 5]
    assert [step.titel.split()[0] for step in meldcode] == [
        "Signalen",
        "Collegiale",
        "Gesprek",
        "Wegen",
        "Beslissen:",
    ]
    assert "Veilig Thuis (0800-2000)" in meldcode[1].titel
    assert "afwegingskader" in meldcode[3].titel
    assert "melden bij Veilig Thuis" in meldcode[4].titel
    assert all(step.toelichting for step in meldcode)


def test_shipped_kindcheck_balance_and_roles() -> None:
    guide = load_guide(SHIPPED_GUIDE)
    safety = guide.safety
    kindcheck = " ".join(safety.kindcheck)
    for fragment in ("jonger dan 18", "partner", "zwangerschap", "hoe oud", "merken de kinderen"):
        assert fragment in kindcheck
    assert "zorg en veiligheid" in kindcheck and "hulp" in safety.kindcheck[-1]
    theme_ids = {theme.id for theme in guide.themes}
    assert set(safety.load_themes) <= theme_ids
    assert {"geldzorgen", "schulden", "verslaving", "psychische-klachten"} <= set(
        safety.load_themes
    )
    sides = [question.side for question in safety.balance]
    assert 3 <= sides.count("draaglast") <= 5
    assert 4 <= sides.count("draagkracht") <= 6
    assert all(question.vraag.endswith("?") for question in safety.balance)
    assert safety.roles == ("ouder", "andere ouder", "kind", "professional", "school")


def test_guide_to_json_contains_the_safety_section() -> None:
    data = guide_to_json(load_guide(SHIPPED_GUIDE))
    assert json.loads(json.dumps(data)) == data
    safety = data["veiligheid"]
    assert isinstance(safety, dict)
    assert list(safety) == [
        "kindcheck",
        "kindcheck-uitkomsten",
        "signalen",
        "balans",
        "schaalvraag",
        "afwegingskader",
        "meldcode",
    ]
    assert [group["id"] for group in safety["signalen"]] == list(SIGNAL_GROUPS)
    assert list(safety["balans"]) == ["draaglast-thema's", "draaglast", "draagkracht"]
    assert [(q["ja"], q["nee"]) for q in safety["afwegingskader"]] == BRANCHING
    assert [step["nummer"] for step in safety["meldcode"]] == [1, 2, 3, 4, 5]
    assert safety["schaalvraag"]["rollen"][0] == "ouder"


def test_check_json_on_the_command_line_prints_the_safety_section(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["controleer", "--json", str(SHIPPED_GUIDE)]) == 0
    read = json.loads(capsys.readouterr().out)
    assert len(read["veiligheid"]["afwegingskader"]) == 5


# --- a valid minimal guide, and broken variations of it ------------------------------------

MINIMAL = textwrap.dedent(
    """\
    versie: 1
    onderwerpen:
      kennismaking: {titel: Kennismaking, vragen: [Wat brengt u hier?]}
      stress: {titel: Stress, vragen: [Wat geeft spanning?]}
      netwerk: {titel: Netwerk, vragen: [Wie helpt u?]}
      dromen: {titel: Dromen, vragen: [Waar hoopt u op?]}
      veiligheid: {titel: Veiligheid, vragen: [Wonen er kinderen bij u?]}
      afspraken: {titel: Afspraken, vragen: [Wat spreken we af?]}
    thema's:
      geldzorgen: Moeite om rond te komen.
      schulden: Rekeningen die blijven liggen.
    veiligheid:
      kindcheck:
        - Wonen er kinderen bij u?
      signalen:
        kind:
          titel: Kind
          lijst: {verwondingen: Onverklaarbare verwondingen.}
        ouder:
          titel: Ouder
          lijst: {verslaving: Verslavingsproblemen.}
        gezin-en-omgeving:
          titel: Gezin en omgeving
          lijst: {armoede: Schulden en armoede.}
      balans:
        draaglast-thema's: [geldzorgen, schulden]
        draaglast: {spanning: Is er spanning tussen de ouders?}
        draagkracht: {steun: Is er iemand die helpt?}
      schaalvraag:
        rollen: [ouder, kind, professional]
      afwegingskader:
        - {vraag: Is er een vermoeden?, ja: volgende, nee: afsluiten}
        - {vraag: Is het acuut of structureel onveilig?, ja: melden, nee: volgende}
        - {vraag: Kan ik hulp bieden of organiseren?, ja: volgende, nee: melden}
        - {vraag: Werken de betrokkenen mee?, ja: volgende, nee: melden}
        - {vraag: Wordt het duurzaam veilig?, ja: hulp, nee: melden}
      meldcode:
        - titel: Signalen in kaart brengen
        - titel: Collegiale consultatie
        - titel: Gesprek met de betrokkenen
        - {titel: Wegen, toelichting: Met het afwegingskader.}
        - titel: Beslissen
    """
)
"""Line numbers: 12 veiligheid, 13 kindcheck, 15 signalen (groups on 16, 19, 22), 25 balans
(26 draaglast-thema's, 27 draaglast, 28 draagkracht), 29 schaalvraag (30 rollen),
31 afwegingskader (questions on 32-36), 37 meldcode (steps on 38-42)."""

SAFETY = MINIMAL[MINIMAL.index("veiligheid:\n  kindcheck:") :]
MELDCODE = MINIMAL[MINIMAL.index("  meldcode:") :]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "vragen.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_line_numbers_in_the_docstring_hold() -> None:
    lines = MINIMAL.splitlines()
    starts = {12: "veiligheid:", 15: "  signalen:", 25: "  balans:", 31: "  afwegingskader:"}
    for number, start in {**starts, 37: "  meldcode:", 42: "    - titel: Beslissen"}.items():
        assert lines[number - 1] == start


def test_minimal_safety_section_loads(tmp_path: Path) -> None:
    safety = load_guide(write(tmp_path, MINIMAL)).safety
    assert safety.kindcheck == ("Wonen er kinderen bij u?",)
    assert [(g.id, g.titel, [s.id for s in g.signals]) for g in safety.signal_groups] == [
        ("kind", "Kind", ["verwondingen"]),
        ("ouder", "Ouder", ["verslaving"]),
        ("gezin-en-omgeving", "Gezin en omgeving", ["armoede"]),
    ]
    assert safety.load_themes == ("geldzorgen", "schulden")
    assert [(q.id, q.side) for q in safety.balance] == [
        ("spanning", "draaglast"),
        ("steun", "draagkracht"),
    ]
    assert safety.roles == ("ouder", "kind", "professional")
    assert [(q.number, q.ja, q.nee) for q in safety.assessment] == [
        (number, ja, nee) for number, (ja, nee) in enumerate(BRANCHING, 1)
    ]
    assert all(q.ja in OUTCOMES and q.nee in OUTCOMES for q in safety.assessment)
    assert [(s.number, s.titel) for s in safety.meldcode][3] == (4, "Wegen")
    assert safety.meldcode[3].toelichting == "Met het afwegingskader."


def test_draaglast_themes_may_be_empty(tmp_path: Path) -> None:
    text = MINIMAL.replace("[geldzorgen, schulden]", "[]")
    assert load_guide(write(tmp_path, text)).safety.load_themes == ()


BAD_EDITS = [
    pytest.param(
        SAFETY, "",
        1, 1, ["verplichte sleutel 'veiligheid' ontbreekt bovenaan het bestand"],
        id="missing-veiligheid",
    ),
    pytest.param(
        "veiligheid:\n  kindcheck:", "veilgheid:\n  kindcheck:",
        12, 1, ["onbekende sleutel 'veilgheid' bovenaan het bestand", "bedoelde je 'veiligheid'?"],
        id="misspelt-veiligheid",
    ),
    pytest.param(
        "  signalen:\n", "  signaalen:\n",
        15, 3, ["onbekende sleutel 'signaalen' bij 'veiligheid'", "bedoelde je 'signalen'?"],
        id="unknown-key-in-veiligheid",
    ),
    pytest.param(
        MELDCODE, "",
        12, 1, ["verplichte sleutel 'meldcode' ontbreekt bij 'veiligheid'"],
        id="missing-meldcode",
    ),
    pytest.param(
        "  kindcheck:\n    - Wonen er kinderen bij u?\n", "  kindcheck: []\n",
        13, 3, ["'kindcheck' moet minstens één tekst bevatten"],
        id="empty-kindcheck",
    ),
    pytest.param(
        "    ouder:\n      titel: Ouder\n      lijst: {verslaving: Verslavingsproblemen.}\n", "",
        15, 3, ["signaalgroep 'ouder' ontbreekt bij 'signalen'"],
        id="missing-group",
    ),
    pytest.param(
        "    ouder:\n", "    ouders:\n",
        19, 5, ["onbekende signaalgroep 'ouders'", "bedoelde je 'ouder'?"],
        id="misspelt-group",
    ),
    pytest.param(
        "      titel: Ouder\n", "      titl: Ouder\n",
        20, 7, ["onbekende sleutel 'titl' bij signaalgroep 'ouder'", "bedoelde je 'titel'?"],
        id="misspelt-key-in-group",
    ),
    pytest.param(
        "      titel: Kind\n      lijst: {verwondingen: Onverklaarbare verwondingen.}\n",
        "      titel: Kind\n",
        16, 5, ["verplichte sleutel 'lijst' ontbreekt bij signaalgroep 'kind'"],
        id="group-without-lijst",
    ),
    pytest.param(
        "{verwondingen: Onverklaarbare verwondingen.}", "{}",
        18, 7, ["'lijst' moet minstens één signaal bevatten"],
        id="empty-signal-list",
    ),
    pytest.param(
        "{verslaving: ", "{verslaving thuis: ",
        21, 15, ["signaal-id 'verslaving thuis'", "kleine letters, cijfers en '-'"],
        id="signal-id-with-space",
    ),
    pytest.param(
        "{armoede: ", "{verslaving: ",
        24, 15, ["signaal-id 'verslaving' staat er al eerder (regel 21)"],
        id="signal-id-in-two-groups",
    ),
    pytest.param(
        "[geldzorgen, schulden]", "[geldzorgen, shulden]",
        26, 37, ["onbekend thema 'shulden' in 'draaglast-thema's'", "bedoelde je 'schulden'?"],
        id="unknown-load-theme",
    ),
    pytest.param(
        "[geldzorgen, schulden]", "[geldzorgen, geldzorgen]",
        26, 37, ["thema 'geldzorgen' staat er twee keer (eerder op regel 26)"],
        id="load-theme-twice",
    ),
    pytest.param(
        "{spanning: Is er spanning tussen de ouders?}", "{}",
        27, 5, ["'draaglast' moet minstens één vraag bevatten"],
        id="empty-draaglast",
    ),
    pytest.param(
        "    draagkracht:", "    draagkraht:",
        28, 5, ["onbekende sleutel 'draagkraht' bij 'balans'", "bedoelde je 'draagkracht'?"],
        id="unknown-key-in-balans",
    ),
    pytest.param(
        "{steun: ", "{spanning: ",
        28, 19, ["vraag-id 'spanning' staat er al eerder (regel 27)"],
        id="balance-id-on-both-sides",
    ),
    pytest.param(
        "[ouder, kind, professional]", "[ouder, kind, Ouder]",
        30, 27, ["rol 'Ouder' staat er twee keer (eerder op regel 30)"],
        id="duplicate-rol",
    ),
    pytest.param(
        "[ouder, kind, professional]", "[]",
        30, 5, ["'rollen' moet minstens één tekst bevatten"],
        id="no-roles",
    ),
    pytest.param(
        "    - {vraag: Werken de betrokkenen mee?, ja: volgende, nee: melden}\n", "",
        31, 3, ["'afwegingskader' moet precies 5 vragen hebben", "er staan er 4"],
        id="four-afweging-questions",
    ),
    pytest.param(
        "organiseren?, ja: volgende, nee: melden}", "organiseren?, ja: volgende, nee: meld}",
        34, 70, ["onbekende uitkomst 'meld' bij 'nee' van vraag 3", "bedoelde je 'melden'?"],
        id="outcome-typo",
    ),
    pytest.param(
        "ja: hulp, nee: melden}", "ja: hulp, nee: volgende}",
        36, 58, ["'nee' bij de laatste vraag van het afwegingskader kan niet naar 'volgende'"],
        id="last-question-leads-to-volgende",
    ),
    pytest.param(
        "melden", "afsluiten",
        31, 3, ["geen enkel antwoord in 'afwegingskader' leidt naar 'melden'"],
        id="no-melden-anywhere",
    ),
    pytest.param(
        "ja: hulp, nee: melden}", "ja: hulp}",
        36, 7, ["verplichte sleutel 'nee' ontbreekt bij vraag 5 van het afwegingskader"],
        id="afweging-question-without-nee",
    ),
    pytest.param(
        "{vraag: Is er een vermoeden?, ", "{vraag: Is er een vermoeden?, toelichtng: Leg vast., ",
        32, 37, ["onbekende sleutel 'toelichtng' bij vraag 1", "bedoelde je 'toelichting'?"],
        id="misspelt-toelichting",
    ),
    pytest.param(
        "    - titel: Beslissen\n", "    - titel: Beslissen\n    - titel: Nazorg\n",
        37, 3, ["'meldcode' moet precies 5 stappen hebben", "er staan er 6"],
        id="six-meldcode-steps",
    ),
    pytest.param(
        "    - titel: Gesprek met de betrokkenen\n", "    - toelichting: Met de ouders.\n",
        40, 7, ["verplichte sleutel 'titel' ontbreekt bij stap 3 van de meldcode"],
        id="meldcode-step-without-titel",
    ),
    pytest.param(
        MELDCODE, "  meldcode: Signalen in kaart brengen\n",
        37, 13, ["'meldcode' moet een lijst zijn"],
        id="meldcode-not-a-list",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "line", "column", "fragments"), BAD_EDITS)
def test_bad_safety_section_reports_file_line_column_and_key(
    tmp_path: Path, old: str, new: str, line: int, column: int, fragments: list[str]
) -> None:
    assert_reported(tmp_path, MINIMAL, old, new, (line, column), fragments)


def assert_reported(
    tmp_path: Path, text: str, old: str, new: str, at: tuple[int, int], fragments: list[str]
) -> None:
    """``text`` with ``old`` replaced by ``new`` is refused with a problem at ``at``
    (line, column) whose message holds every fragment, named as file:line:column."""
    assert old in text, "the edit must change the guide"
    path = write(tmp_path, text.replace(old, new))
    with pytest.raises(ContentError) as caught:
        load_guide(path)
    matching = [p for p in caught.value.problems if all(f in p.message for f in fragments)]
    assert matching, str(caught.value)
    problem = matching[0]
    assert problem.file == path
    assert (problem.line, problem.column) == at, str(caught.value)
    assert f"{path}:{at[0]}:{at[1]}: " in str(caught.value)


OUTCOMES_BLOCK = (
    "  kindcheck-uitkomsten:\n"
    "    geen-zorgen: Geen zorgen.\n"
    "    aandachtspunt: Een lichte zorg.\n"
    "    zorgen: Zorgen; volg de meldcode.\n"
    "    niet-gedaan: Niet gedaan.\n"
)
"""Inserted after the kindcheck (line 14): the block on 15, its outcomes on 16-19."""
WITH_OUTCOMES = MINIMAL.replace("  signalen:\n", OUTCOMES_BLOCK + "  signalen:\n", 1)


def test_kindcheck_outcomes_come_from_the_guide(tmp_path: Path) -> None:
    text = WITH_OUTCOMES.replace("Een lichte zorg.", "Let op, kijk over twee weken weer.")
    safety = load_guide(write(tmp_path, text)).safety
    assert dict(safety.kindcheck_outcomes)["aandachtspunt"] == "Let op, kijk over twee weken weer."
    assert [key for key, _ in safety.kindcheck_outcomes] == [
        "geen-zorgen",
        "aandachtspunt",
        "zorgen",
        "niet-gedaan",
    ]


def test_the_shipped_guide_has_the_middle_outcome_and_the_overload_signal() -> None:
    safety = load_guide(SHIPPED_GUIDE).safety
    assert "lichte zorg" in dict(safety.kindcheck_outcomes)["aandachtspunt"]
    parent = next(group for group in safety.signal_groups if group.id == "ouder")
    overload = [signal.tekst for signal in parent.signals if signal.id == "overbelast-of-uitgeput"]
    assert overload and "uitgeput" in overload[0]


@pytest.mark.parametrize(
    ("old", "new", "line", "column", "fragments"),
    [
        pytest.param(
            "    aandachtspunt: Een lichte zorg.\n", "    aandachtpunt: Een lichte zorg.\n",
            17, 5,
            ["onbekende kindcheck-uitkomst 'aandachtpunt'", "bedoelde je 'aandachtspunt'?"],
            id="misspelt-outcome",
        ),
        pytest.param(
            "    niet-gedaan: Niet gedaan.\n", "",
            15, 3, ["kindcheck-uitkomst 'niet-gedaan' ontbreekt bij 'kindcheck-uitkomsten'"],
            id="missing-outcome",
        ),
        pytest.param(
            "    zorgen: Zorgen; volg de meldcode.\n", "    zorgen:\n",
            18, 5, ["zorgen"],
            id="outcome-without-text",
        ),
        pytest.param(
            "  kindcheck-uitkomsten:\n", "  kindcheck-uitkomst:\n",
            15, 3, ["onbekende sleutel 'kindcheck-uitkomst' bij 'veiligheid'"],
            id="misspelt-key",
        ),
    ],
)  # fmt: skip
def test_bad_kindcheck_outcomes_report_file_line_column_and_key(
    tmp_path: Path, old: str, new: str, line: int, column: int, fragments: list[str]
) -> None:
    assert_reported(tmp_path, WITH_OUTCOMES, old, new, (line, column), fragments)


def test_a_misspelt_group_is_one_problem_not_two(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL.replace("    ouder:\n", "    ouders:\n"))
    with pytest.raises(ContentError) as caught:
        load_guide(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:19:5: onbekende signaalgroep 'ouders'; de groepen zijn 'kind', 'ouder' en "
        "'gezin-en-omgeving'; bedoelde je 'ouder'?"
    ]


def test_all_safety_problems_are_reported_in_file_order(tmp_path: Path) -> None:
    text = (
        MINIMAL.replace("  kindcheck:\n    - Wonen er kinderen bij u?\n", "  kindcheck: []\n")
        .replace("    ouder:\n", "    ouders:\n")
        .replace("[geldzorgen, schulden]", "[geldzorgen, shulden]")
        .replace("organiseren?, ja: volgende, nee: melden}", "organiseren?, ja: volgend, nee: x}")
        .replace("    - titel: Beslissen\n", "")
    )
    path = write(tmp_path, text)
    with pytest.raises(ContentError) as caught:
        load_guide(path)
    found = [(p.line, p.message.split(";")[0]) for p in caught.value.problems]
    assert found == [
        (13, "'kindcheck' moet minstens één tekst bevatten"),
        (18, "onbekende signaalgroep 'ouders'"),
        (25, "onbekend thema 'shulden' in 'draaglast-thema's'"),
        (33, "onbekende uitkomst 'volgend' bij 'ja' van vraag 3 van het afwegingskader"),
        (33, "onbekende uitkomst 'x' bij 'nee' van vraag 3 van het afwegingskader"),
        (36, "'meldcode' moet precies 5 stappen hebben, in vaste volgorde"),
    ]
