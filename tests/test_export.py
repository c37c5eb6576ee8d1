"""Exports: the Markdown dossier, the family version (B1) and `wijkgesprek export`."""

from __future__ import annotations

import html
import json
import re
import stat
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from household_data import (
    ADDITION,
    CODE,
    CONSULT_ADVICE,
    DOSSIER_TEXT,
    KINDCHECK_REASON,
    NOTE_INTRO,
    NOTE_LATER,
    NOTE_STRESS,
    REFERRAL_CONTACT,
    SCALE_WORDS,
    SECRETS,
    SIGNAL_WORDS,
    T0,
    T1,
    build,
    dump,
)
from markdown_it import MarkdownIt

from wijkgesprek import paths
from wijkgesprek.cli import main
from wijkgesprek.content.model import Guide
from wijkgesprek.domain.household import Children
from wijkgesprek.domain.visit import HouseholdHistory
from wijkgesprek.export.markdown import dossier, family_version, inline, literal
from wijkgesprek.store import repo
from wijkgesprek.store.engine import Store

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
JARGON = ("meldcode", "signalen", "signaal", "afwegingskader", "kindcheck", "draaglast", "dossier")
MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])


@pytest.fixture
def history(store: Store) -> HouseholdHistory:
    build(store)
    return store.run(repo.get_household, code=CODE)


def day(value: object) -> str:
    assert hasattr(value, "astimezone")
    return str(value.astimezone().strftime("%d-%m-%Y"))


def render(markdown: str) -> str:
    return str(MARKDOWN.render(markdown))


def text_of(rendered: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", rendered))


# --- the dossier -------------------------------------------------------------------------


def test_dossier_of_the_household(history: HouseholdHistory, guide: Guide) -> None:
    text = dossier(history, guide)
    assert text.startswith("# Dossier GZ-001\n")
    assert "- Wijk: Noord" in text
    assert re.search(r"\n- Kinderen: \d+ en \d+ jaar \(", text)  # their ages today
    changes = text.index("## Wijzigingen van het huishouden")
    assert changes < text.index("## Bezoek 1")
    when = (T0 + timedelta(days=3)).astimezone().strftime("%d-%m-%Y %H:%M")
    assert f"- {when} · kinderen: 2 jaar, zwanger → 0 en 2 jaar\n" in text
    assert f"## Bezoek 1 — {day(T0)}" in text and f"## Bezoek 2 — {day(T1)}" in text
    assert text.index("## Bezoek 1") < text.index("## Bezoek 2")
    shown = text_of(render(text))
    for note in (NOTE_INTRO, NOTE_LATER, *NOTE_STRESS.split("\n")):
        assert note in shown
    # topics under the guide's titles, in the guide's order
    assert text.index("### Kennismaking en vraag") < text.index("### Stress en zorgen")
    assert "**Thema's:** Geldzorgen, Schulden" in text
    made = "Belt de budgetcoach — wie: moeder — wanneer: voor vrijdag (06-03-2026) — stand: open"
    assert made in text
    assert f"Afspraak “Belt de budgetcoach” uit bezoek 1: gedaan (gemarkeerd op {day(T1)})" in text
    assert "wanneer: 16 maart — stand: open" in text
    assert f"Budgetcoach Noord (dienst): besproken op {day(T0)} → aangemeld op {day(T0)}" in text
    assert "Geen aanbod voor Eenzaamheid in Noord." in text
    assert "**Volgend contact:** 09-03-2026" in text
    assert "**Volgend contact:** 23-03-2026" in text


def test_dossier_keeps_the_whole_safety_part(history: HouseholdHistory, guide: Guide) -> None:
    shown = text_of(render(dossier(history, guide)))
    assert f"Kindcheck: zorgen → meldcode ({KINDCHECK_REASON})" in shown
    assert "Signaal: Schulden en armoede" in shown and SIGNAL_WORDS in shown
    assert f"Schaalvraag ouder: 5 — “{SCALE_WORDS}”" in shown  # the corrected figure
    assert "Schaalvraag ouder: 4" not in shown
    assert "Draaglast: Geldzorgen; Schulden" in shown
    assert "Meldcode stap 2 (Collegiale consultatie" in shown and "bezig op" in shown
    assert f"Overleg met aandachtsfunctionaris ({day(T0)}): {CONSULT_ADVICE}" in shown
    assert "Afwegingskader vraag 1" in shown and "ja, omdat signalen over geld en slaap" in shown
    assert "nee, omdat geen direct gevaar" in shown
    assert DOSSIER_TEXT in shown
    assert "Kindcheck: geen zorgen" in shown  # the second visit


def test_an_addition_follows_the_original_note_with_its_own_time(
    history: HouseholdHistory, guide: Guide
) -> None:
    text = dossier(history, guide)
    stress = text.index("Huur twee maanden achter.")
    addition = text.index("*Aanvulling van 04-03-2026")
    assert stress < addition < text.index(ADDITION) < text.index("## Bezoek 2")
    assert NOTE_STRESS.split("\n")[0] in text  # the original is untouched


def test_dossier_of_one_visit(history: HouseholdHistory, guide: Guide) -> None:
    second = history.visits[1].record.id
    text = dossier(history, guide, visit_id=second)
    assert text.startswith(f"# Dossier GZ-001 — bezoek 2 van {day(T1)}\n")
    assert "## Bezoek 2" in text and "## Bezoek 1" not in text
    assert NOTE_LATER in text and NOTE_INTRO not in text and KINDCHECK_REASON not in text
    with pytest.raises(LookupError):
        dossier(history, guide, visit_id=9999)


HOSTILE = (
    "# kop\n"
    "*vet* en _schuin_ en **heel vet**\n"
    "[link](x) en ![plaatje](y.png)\n"
    "<script>alert(1)</script>\n"
    "1. lijst\n"
    "- punt\n"
    "+ punt\n"
    "> citaat\n"
    "    vier spaties\n"
    "---\n"
    "=====\n"
    "`code` en ~~doorgehaald~~\n"
    "| a | b |\n"
    "&amp; en \\*\n"
    "<https://example.org>"
)


def test_user_text_stays_literal(store: Store, guide: Guide) -> None:
    visit = store.run(repo.start_visit, code="GZ-002", wijk="Oost", children=Children(), now=T0)
    store.run(repo.save_note, visit_id=visit, topic="stress", text=HOSTILE, now=T0)
    store.run(
        repo.add_agreement,
        visit_id=visit,
        wat="# kop *vet*",
        wie="[link](x)",
        wanneer="<b>",
        now=T0,
    )
    history = store.run(repo.get_household, code="GZ-002")
    rendered = render(dossier(history, guide))
    assert rendered.count("<h1>") == 1  # the title only
    for structure in ("<em>", "<strong>vet", "<a ", "<img", "<script", "<ol", "<blockquote",
                      "<pre", "<code", "<hr", "<table", "<s>", "<b>"):  # fmt: skip
        assert structure not in rendered, structure
    shown = text_of(rendered)
    for line in HOSTILE.split("\n"):
        assert line.strip() in shown, line
    assert "# kop *vet* — wie: [link](x) — wanneer: <b>" in shown


def test_literal_renders_exactly_the_typed_lines() -> None:
    rendered = render(literal(HOSTILE))
    assert rendered.startswith("<p>") and rendered.count("<p>") == 1
    assert set(re.findall(r"<[^>]+>", rendered)) == {"<p>", "</p>", "<br />"}
    lines = [line.replace("\u00a0", " ") for line in text_of(rendered).strip().split("\n")]
    assert lines == HOSTILE.split("\n")
    assert text_of(render(inline("1. eerst\n# dan"))).strip() == "1. eerst / # dan"


# --- the family version --------------------------------------------------------------------


def test_family_version_without_safety_by_default(history: HouseholdHistory, guide: Guide) -> None:
    text = family_version(history, guide)
    shown = text_of(render(text))
    assert "Formulier bijzondere bijstand invullen" in shown
    assert "Wie: wijkwerker en moeder samen" in shown and "Wanneer: 16 maart" in shown
    assert "Belt de budgetcoach" not in shown  # done: not for the whole household
    assert "Op maandag 23 maart 2026." in shown
    assert f"Budgetcoach Noord. U bent aangemeld. Contact: {REFERRAL_CONTACT}" in shown
    assert "Veilig" not in shown and "0800-2000" not in shown
    for secret in SECRETS:
        assert secret not in shown
    for word in (*JARGON, "Geldzorgen", "Eenzaamheid", "geen aanbod"):
        assert word.lower() not in shown.lower(), word
    assert " u " in shown  # addressed as 'u'


def test_family_version_with_safety_when_asked(history: HouseholdHistory, guide: Guide) -> None:
    first = history.visits[0].record.id
    shown = text_of(render(family_version(history, guide, visit_id=first, include_safety=True)))
    assert "Veiligheid" in shown and "Veilig Thuis: 0800-2000" in shown
    assert "We maken ons zorgen." in shown  # the first visit had concerns
    for secret in SECRETS:
        assert secret not in shown
    for word in JARGON:
        assert word not in shown.lower(), word
    calm = family_version(history, guide, include_safety=True)
    assert "We maken ons zorgen" not in calm and "0800-2000" in calm


def test_family_version_of_one_visit(history: HouseholdHistory, guide: Guide) -> None:
    first = history.visits[0].record.id
    shown = text_of(render(family_version(history, guide, visit_id=first)))
    assert "ons gesprek van maandag 2 maart 2026" in shown
    assert "Belt de budgetcoach" in shown and "Dit is al gedaan." in shown
    # "voor vrijdag", agreed on Monday 2 March: the family reads which Friday
    assert "Wanneer: voor vrijdag (vrijdag 6 maart 2026)" in shown
    assert "Formulier bijzondere bijstand" not in shown
    assert "Op maandag 9 maart 2026." in shown
    sentences = [s for s in re.split(r"[.?!]\s|\n", shown) if s.strip()]
    assert max(len(s.split()) for s in sentences) <= 15  # short sentences (B1)


# --- the command line ----------------------------------------------------------------------


@pytest.fixture
def seeded(store: Store) -> Store:
    build(store)
    return store


def test_cli_dossier_to_stdout(seeded: Store, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "gz-001"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("# Dossier GZ-001\n") and KINDCHECK_REASON in out and err == ""
    assert main(["export", CODE, "--bezoek", "2"]) == 0
    out = capsys.readouterr().out
    assert "## Bezoek 2" in out and "## Bezoek 1" not in out


def test_cli_family_version(seeded: Store, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", CODE, "--soort", "gezin"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Wat we hebben afgesproken") and "0800-2000" not in out
    assert all(secret not in out for secret in SECRETS)
    assert main(["export", CODE, "--soort", "gezin", "--met-veiligheid", "--bezoek", "1"]) == 0
    out = capsys.readouterr().out
    assert "0800-2000" in out and "We maken ons zorgen." in out


def test_cli_handover_to_stdout(seeded: Store, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", CODE, "--soort", "overdracht"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["soort"] == "wijkgesprek-overdracht" and data["schema"] == 3
    assert data["huishouden"]["kinderen"] == ["2026", "2024"]
    assert data["huishouden"]["wijzigingen"] == [
        {
            "op": (T0 + timedelta(days=3)).isoformat(),
            "wat": "kinderen",
            "oud": "2024,zwanger",
            "nieuw": "2026,2024",
        }
    ]
    assert data["huishouden"]["code"] == CODE
    assert [v["begonnen"] for v in data["bezoeken"]] == [T0.isoformat(), T1.isoformat()]
    assert data["bezoeken"][0]["notities"]["stress"] == NOTE_STRESS
    referral = data["verwijzingen"][0]
    assert [step["status"] for step in referral["geschiedenis"]] == ["besproken", "aangemeld"]
    assert referral["themas"] == ["geldzorgen"] and referral["bezoek"] == 1


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@posix_only
@pytest.mark.parametrize("soort", ["dossier", "gezin", "overdracht"])
def test_cli_uitvoer_is_private(
    seeded: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str], soort: str
) -> None:
    target = tmp_path / f"export-{soort}"
    assert main(["export", CODE, "--soort", soort, "--uitvoer", str(target)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith(f"Geschreven: {target} (") and err == ""
    assert mode(target) == 0o600
    assert CODE in target.read_text("utf-8")


@posix_only
def test_cli_uitvoer_refuses_to_overwrite(
    seeded: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "dossier.md"
    target.write_text("van iemand anders")
    target.chmod(0o644)
    assert main(["export", CODE, "--uitvoer", str(target)]) == 1
    assert "bestaat al" in capsys.readouterr().err
    assert target.read_text() == "van iemand anders"
    assert main(["export", CODE, "--uitvoer", str(target), "--overschrijven"]) == 0
    assert target.read_text("utf-8").startswith("# Dossier GZ-001")
    assert mode(target) == 0o600


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["export", "GZ-999"], 1, "Huishouden GZ-999 bestaat niet."),
        (["export", CODE, "--bezoek", "3"], 1, "GZ-001 heeft 2 bezoeken; kies --bezoek 1 tot"),
        (["export", CODE, "--bezoek", "0"], 2, "'0' is geen bezoeknummer"),
        (
            ["export", CODE, "--soort", "pdf"],
            2,
            "'pdf' is geen soort export; kies dossier, gezin of overdracht.",
        ),
        (["export", CODE, "--met-veiligheid"], 2, "--met-veiligheid hoort bij --soort gezin"),
        (["export", CODE, "--soort", "overdracht", "--bezoek", "1"], 2, "laat --bezoek weg"),
    ],
)
def test_cli_export_mistakes_are_dutch(
    seeded: Store,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    code: int,
    message: str,
) -> None:
    before = dump(seeded.path)
    assert main(args) == code
    out, err = capsys.readouterr()
    assert out == "" and message in err
    assert all(secret not in err for secret in SECRETS)
    assert dump(seeded.path) == before


def test_cli_export_without_a_database_creates_none(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", CODE]) == 1
    assert "Huishouden GZ-001 bestaat niet" in capsys.readouterr().err
    assert not (paths.data_dir() / paths.DATABASE_NAME).exists()


def test_a_waiting_list_with_its_dates_in_dossier_and_family_version(
    store: Store, guide: Guide
) -> None:
    first, second = build(store)
    history = store.run(repo.get_household, code=CODE)
    referral = history.referrals[0].id
    store.run(
        repo.update_referral,
        referral_id=referral,
        visit_id=second,
        state="wachtlijst",
        reason="verwacht vanaf 01-05-2026",
        now=T1 + timedelta(minutes=20),
    )
    history = store.run(repo.get_household, code=CODE)
    text = dossier(history, guide)
    waiting = (
        f"- Budgetcoach Noord (dienst): op de wachtlijst sinds {day(T1)}, verwacht vanaf 01-05-2026"
    )
    assert text.index("## Bezoek 2") < text.index(waiting)
    family = text_of(render(family_version(history, guide)))
    assert (
        "Budgetcoach Noord. U staat op de wachtlijst (sinds 9 maart 2026). "
        "Naar verwachting kunt u beginnen vanaf 1 mei 2026."
    ) in family
    assert "U staat op de wachtlijst" in family_version(history, guide, visit_id=second)
    assert "wachtlijst" not in family_version(history, guide, visit_id=first)
