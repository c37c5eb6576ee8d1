"""An invented household with two visits, used by the export and import tests."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from wijkgesprek.domain import safety as s
from wijkgesprek.domain.household import Children
from wijkgesprek.store import repo
from wijkgesprek.store.engine import Store

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
T1 = T0 + timedelta(weeks=1)
CODE = "GZ-001"
NOTE_STRESS = "Huur twee maanden achter.\nMoeder slaapt slecht sinds de brief van de verhuurder."
NOTE_INTRO = "Vraag: hulp bij de post. Oma Wiegersma past vaak op."
NOTE_LATER = "Regeling voor de huur aangevraagd bij het Juridisch Loket."
ADDITION = "Later gebeld: de huur van maart is betaald."
SIGNAL_WORDS = "We eten soms niet aan het eind van de maand"
KINDCHECK_REASON = "Kinderen slapen slecht door de spanning"
SCALE_WORDS = "Het gaat net"
DOSSIER_TEXT = "Huisbezoek van 02-03-2026. Zorgen over geld; hulp loopt."
CONSULT_ADVICE = "Volgen, over twee weken opnieuw wegen"
REFERRAL_CONTACT = "06-12345678 · budget@example.org"
SECRETS = (
    NOTE_STRESS.split("\n")[0],
    "Moeder slaapt slecht",
    "Wiegersma",
    NOTE_LATER,
    ADDITION,
    SIGNAL_WORDS,
    KINDCHECK_REASON,
    SCALE_WORDS,
    DOSSIER_TEXT,
    CONSULT_ADVICE,
)


def add_trail(
    store: Store,
    visit_id: int,
    trail: Sequence[tuple[str, str, str, str]],
    *,
    start: datetime = T0,
) -> None:
    """Safety entries (kind, key, value, note), a minute apart from ``start`` on."""
    for minute, (kind, key, value, note) in enumerate(trail, start=1):
        store.run(
            repo.add_safety_entry,
            visit_id=visit_id,
            kind=kind,
            key=key,
            value=value,
            note=note,
            now=start + timedelta(minutes=minute),
        )


def build(store: Store, code: str = CODE) -> tuple[int, int]:
    """Two finished visits with notes, themes, agreements, a referral, a gap, the safety
    trail, an addition and a change of the children (a baby was born between the visits).
    Returns the visit ids."""
    first = store.run(
        repo.start_visit,
        code=code,
        wijk="Noord",
        children=Children(birth_years=(2024,), pregnant=True),
        now=T0,
    )
    store.run(repo.save_note, visit_id=first, topic="stress", text=NOTE_STRESS, now=T0)
    store.run(
        repo.set_themes, visit_id=first, topic="stress", themes=["geldzorgen", "schulden"], now=T0
    )
    store.run(repo.save_note, visit_id=first, topic="kennismaking", text=NOTE_INTRO, now=T0)
    store.run(
        repo.add_agreement,
        visit_id=first,
        wat="Belt de budgetcoach",
        wie="moeder",
        wanneer="voor vrijdag",
        now=T0,
    )
    referral = store.run(
        repo.add_referral,
        visit_id=first,
        naam="Budgetcoach Noord",
        soort="dienst",
        wijk="Noord",
        themes=["geldzorgen"],
        contact=REFERRAL_CONTACT,
        now=T0,
    )
    store.run(
        repo.update_referral,
        referral_id=referral,
        visit_id=first,
        state="aangemeld",
        reason="",
        now=T0 + timedelta(minutes=30),
    )
    store.run(repo.record_gaps, visit_id=first, wijk="Noord", themes=["eenzaamheid"], now=T0)
    store.run(repo.set_next_contact, visit_id=first, when=date(2026, 3, 9))
    trail = (
        (s.KINDCHECK, "", "zorgen", KINDCHECK_REASON),
        (s.SIGNAL, "gezin-en-omgeving/schulden-en-armoede", "aan", SIGNAL_WORDS),
        (s.SCALE, "ouder", "4", SCALE_WORDS),
        (s.SCALE, "ouder", "5", SCALE_WORDS),  # corrects the 4
        (s.STEP, "2", "bezig", ""),
        (s.CONSULT, "", "aandachtsfunctionaris", CONSULT_ADVICE),
        (s.ASSESS, "1", "ja", "signalen over geld en slaap"),
        (s.ASSESS, "2", "nee", "geen direct gevaar"),
        (s.DOSSIER, "", "", DOSSIER_TEXT),
    )
    add_trail(store, first, trail)
    store.run(repo.end_visit, visit_id=first, now=T0 + timedelta(hours=1))
    store.run(
        repo.add_correction,
        visit_id=first,
        topic="stress",
        text=ADDITION,
        now=T0 + timedelta(days=2),
    )
    store.run(
        repo.change_household,
        code=code,
        wijk="Noord",
        children=Children(birth_years=(2026, 2024)),
        now=T0 + timedelta(days=3),
    )
    second = store.run(
        repo.start_visit, code=code, wijk="Noord", children=Children(), now=T1
    )  # known: its children stay as they are
    store.run(repo.save_note, visit_id=second, topic="stress", text=NOTE_LATER, now=T1)
    store.run(
        repo.add_agreement,
        visit_id=second,
        wat="Formulier bijzondere bijstand invullen",
        wie="wijkwerker en moeder samen",
        wanneer="16 maart",
        now=T1,
    )
    agreement = store.run(repo.get_visit, visit_id=first).agreements[0].id
    store.run(
        repo.set_agreement_status, agreement_id=agreement, status="gedaan", visit_id=second, now=T1
    )
    store.run(
        repo.add_safety_entry,
        visit_id=second,
        kind=s.KINDCHECK,
        value="geen-zorgen",
        note="",
        now=T1 + timedelta(minutes=5),
    )
    store.run(repo.set_next_contact, visit_id=second, when=date(2026, 3, 23))
    store.run(repo.end_visit, visit_id=second, now=T1 + timedelta(hours=1))
    return first, second


def dump(database: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table (not the full-text index), to compare before and after."""
    if not database.exists():
        return {}
    with sqlite3.connect(database) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
            if "_fts" not in name
        ]
        return {
            table: connection.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
            for table in tables
        }


# -- a household whose events happen in a later visit than they were made in ------------------

DAY2 = datetime(2026, 3, 9, 12, 0).astimezone()
"""Local noon, so that a visit three hours later is on the same day in any time zone."""
DAY2_LATER = DAY2 + timedelta(hours=3)
NOTE_AGREEMENTS = "Moeder belt zelf de school."
NOTE_SAFETY = "De kinderen speelden boven."
QUOTED_SCALE = '"het gaat net"'
QUOTED_SIGNAL = "“we redden het niet”"
CONSULT_ENDING = "Volgen over twee weken."
ASSESS_ENDING = "er zijn signalen over geld!"
FAILED_REASON = "Past niet bij de werktijden."


def build_events(store: Store, code: str = "GZ-005") -> tuple[int, int, int]:
    """Three finished visits. In the first: notes for the topics Afspraken and Veiligheid,
    an agreement, a referral made and registered, another made, and safety words typed
    with their own quotes or full stop. In the second: the agreement marked done, the first
    referral started and the second failed. The third starts on the same day as the second."""
    first = store.run(
        repo.start_visit, code=code, wijk="Noord", children=Children(birth_years=(2018,)), now=T0
    )
    for topic, text in (("afspraken", NOTE_AGREEMENTS), ("veiligheid", NOTE_SAFETY)):
        store.run(repo.save_note, visit_id=first, topic=topic, text=text, now=T0)
    store.run(
        repo.add_agreement,
        visit_id=first,
        wat="Belt de budgetcoach",
        wie="moeder",
        wanneer="voor vrijdag",
        now=T0,
    )
    coach, cafe = (
        store.run(
            repo.add_referral,
            visit_id=first,
            naam=naam,
            soort=soort,
            wijk="Noord",
            themes=["geldzorgen"],
            contact=REFERRAL_CONTACT,
            now=T0,
        )
        for naam, soort in (("Budgetcoach Noord", "dienst"), ("Taalcafé De Brug", "activiteit"))
    )
    store.run(
        repo.update_referral,
        referral_id=coach,
        visit_id=first,
        state="aangemeld",
        reason="",
        now=T0 + timedelta(minutes=30),
    )
    trail = (
        (s.KINDCHECK, "", "geen-zorgen", ""),
        (s.SIGNAL, "gezin-en-omgeving/schulden-en-armoede", "aan", QUOTED_SIGNAL),
        (s.SCALE, "ouder", "6", QUOTED_SCALE),
        (s.CONSULT, "", "aandachtsfunctionaris", CONSULT_ENDING),
        (s.ASSESS, "1", "ja", ASSESS_ENDING),
    )
    add_trail(store, first, trail)
    store.run(repo.end_visit, visit_id=first, now=T0 + timedelta(hours=1))

    second = store.run(
        repo.start_visit, code=code, wijk="Noord", children=Children(birth_years=(2018,)), now=DAY2
    )
    agreement = store.run(repo.get_visit, visit_id=first).agreements[0].id
    store.run(
        repo.set_agreement_status,
        agreement_id=agreement,
        status="gedaan",
        visit_id=second,
        now=DAY2 + timedelta(minutes=10),
    )
    for referral, state, reason, minute in (
        (coach, "gestart", "", 5),
        (cafe, "niet gelukt", FAILED_REASON, 6),
    ):
        store.run(
            repo.update_referral,
            referral_id=referral,
            visit_id=second,
            state=state,
            reason=reason,
            now=DAY2 + timedelta(minutes=minute),
        )
    store.run(
        repo.add_safety_entry, visit_id=second, kind=s.KINDCHECK, value="geen-zorgen", now=DAY2
    )
    store.run(repo.end_visit, visit_id=second, now=DAY2 + timedelta(hours=1))

    third = store.run(
        repo.start_visit,
        code=code,
        wijk="Noord",
        children=Children(birth_years=(2018,)),
        now=DAY2_LATER,
    )
    store.run(repo.save_note, visit_id=third, topic="stress", text=NOTE_LATER, now=DAY2_LATER)
    store.run(
        repo.add_safety_entry,
        visit_id=third,
        kind=s.KINDCHECK,
        value="geen-zorgen",
        now=DAY2_LATER,
    )
    store.run(repo.end_visit, visit_id=third, now=DAY2_LATER + timedelta(hours=1))
    return first, second, third
