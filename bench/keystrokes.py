"""Keys a professional needs for a standard visit, beyond the note text (issue 16).

``python bench/run.py --only keys`` (or ``python bench/keystrokes.py``) drives the real
app with Textual's Pilot at 80×24, in a child process with a private data, config and
cache folder, through a scripted standard visit with the fewest keys the current UI
allows: a new household, a sentence in each of the six topics, two themes on the stress
note, one referral, the kindcheck "geen zorgen", one agreement and the next contact,
closing, and from the home screen the export of the dossier and the family version.

Every key pressed is one of three kinds, counted per step:

- **keys beyond text**: navigation, confirmation, function keys, letter jumps in a list,
  the space bar that ticks a choice: every key press that is not a character of text;
- **required text**: characters the app needs typed (code, wijk, ages, agreement, date);
- **note text**: the notes themselves (counted, but not part of the figure).

After the run the outcome is checked in the SQLite database and the export folder; a
run that did not end where the script says raises, and no figure is printed for it.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
if str(BENCH_DIR) not in sys.path:  # run as a script, or imported by run.py
    sys.path.insert(0, str(BENCH_DIR))

from common import Options, Result, child_env, run_python  # noqa: E402

SIZE = (80, 24)
BASELINE_KEYS = 45
"""Keys beyond the note text, counted from outside on an earlier version (issue 16)."""
BASELINE_REQUIRED = 69
"""Characters of required text, counted the same way."""
TARGET = 0.5

CODE = "GZ-014"
AGES = "2 en 5"
WIJK_TYPED = "n"  # Tab completes it to Noord (the sociale kaart knows Noord)
THEMES = ("geldzorgen", "schulden")
AGREEMENT = ("Schuldhulp bellen", "moeder", "vrijdag")
NOTES = (
    "Moeder wil hulp bij de post; de brieven stapelen zich op.",
    "Achterstand bij de energie en ze slaapt slecht door de zorgen.",
    "Haar zus woont in de wijk en past soms op de kinderen.",
    "Ze droomt van een opleiding tot doktersassistente.",
    "Geen signalen; de kinderen zijn vrolijk en goed verzorgd.",
    "Samen de schuldhulp bellen; over twee weken kom ik terug.",
)
"""One invented sentence per topic, in the guide's order."""


def next_contact_day(today: date) -> date:
    return today + timedelta(days=14)


def short_date(day: date) -> str:
    """The shortest form the next-contact field reads: a day in the coming year needs
    no year (17-12 is the first 17 December from today)."""
    return f"{day.day}-{day.month}"


# -- the script --------------------------------------------------------------------------

KEY, REQUIRED, NOTE = "key", "required", "note"


@dataclass(frozen=True)
class Part:
    kind: str  # KEY, REQUIRED or NOTE
    value: str  # a Textual key name for KEY, else the text typed


def k(*names: str) -> list[Part]:
    return [Part(KEY, name) for name in names]


def req(text: str) -> Part:
    return Part(REQUIRED, text)


def note(text: str) -> Part:
    return Part(NOTE, text)


@dataclass
class Step:
    name: str
    parts: list[Part]
    done: Callable[[Any], bool]
    """Holds once the app has finished the step (the script waits for it)."""

    def count(self) -> dict[str, int]:
        return {
            "keys": sum(1 for p in self.parts if p.kind == KEY),
            "required": sum(len(p.value) for p in self.parts if p.kind == REQUIRED),
            "note": sum(len(p.value) for p in self.parts if p.kind == NOTE),
        }

    def shown(self) -> str:
        """The step as a person would read it: key names, required text quoted."""
        out = []
        for part in self.parts:
            if part.kind == KEY:
                out.append(part.value)
            else:
                out.append(json.dumps(part.value) if part.kind == REQUIRED else "…note…")
        return " ".join(out)


def script(app: Any, export_dir: Path, today: date) -> list[Step]:
    """The standard visit with the fewest keys the current UI allows."""
    from wijkgesprek.screens.home import HomeScreen
    from wijkgesprek.screens.visit import VisitScreen
    from wijkgesprek.widgets.topic_list import TopicList

    topics = [topic.id for topic in app.guide.topics]
    assert len(topics) == 6, topics

    def visit() -> VisitScreen | None:
        screen = app.screen
        return screen if isinstance(screen, VisitScreen) else None

    def writing(index: int) -> Callable[[Any], bool]:
        """In the visit, in topic ``index``, the note holding its sentence, focused."""

        def check(_app: Any) -> bool:
            screen = visit()
            return bool(
                screen
                and screen.topic_id == topics[index]
                and screen.note.has_focus
                and screen.note.text == NOTES[index]
            )

        return check

    def opened(_app: Any) -> bool:
        screen = visit()
        return bool(screen and screen.note.has_focus and screen.topic_id == topics[0])

    def on_note() -> bool:
        screen = visit()
        return bool(screen and screen.note.has_focus)

    def tagged(_app: Any) -> bool:
        screen = visit()
        return bool(
            on_note()
            and screen
            and screen.record
            and screen.record.notes[topics[1]].themes == THEMES
        )

    def in_topics(_app: Any) -> bool:
        screen = visit()
        return bool(screen and isinstance(screen.focused, TopicList))

    def referred(_app: Any) -> bool:
        screen = visit()
        return bool(screen and screen.record and len(screen.record.referrals) == 1)

    def agreed(_app: Any) -> bool:
        screen = visit()
        return bool(
            on_note()
            and screen
            and screen.record
            and len(screen.record.agreements) == 1
            and screen.record.next_contact == next_contact_day(today)
        )

    def home_closed(_app: Any) -> bool:
        screen = app.screen
        return bool(
            isinstance(screen, HomeScreen)
            and len(screen.rows) == 1
            and screen.rows[0].open_visit_id is None
        )

    def closed_and_exported(_app: Any) -> bool:
        return home_closed(_app) and len(list(export_dir.iterdir())) == 2

    wat, wie, wanneer = AGREEMENT
    return [
        Step(
            "new visit (code, wijk, ages)",
            [*k("n"), req(CODE), *k("tab"), req(WIJK_TYPED), *k("tab"), req(AGES), *k("enter")],
            opened,
        ),
        Step("topic 1 Kennismaking (already open)", [note(NOTES[0])], writing(0)),
        Step("topic 2 Stress (Alt+2)", [*k("alt+2"), note(NOTES[1])], writing(1)),
        # F3 starts on the first theme (geldzorgen); "s" jumps to schulden.
        Step("two themes (F3)", k("f3", "space", "s", "space", "enter"), tagged),
        Step("topic 3 Netwerk (Alt+3)", [*k("alt+3"), note(NOTES[2])], writing(2)),
        Step("topic 4 Dromen (Alt+4)", [*k("alt+4"), note(NOTES[3])], writing(3)),
        Step("topic 5 Veiligheid (Alt+5)", [*k("alt+5"), note(NOTES[4])], writing(4)),
        # F10 opens on the kindcheck's answers while it is still to do; Enter records
        # the first one ("geen zorgen").
        Step("kindcheck geen zorgen (F10)", k("f10", "enter", "escape"), in_topics),
        # After F10 the topics have the focus: the digit alone chooses.
        Step("topic 6 Afspraken (digit)", [*k("6"), note(NOTES[5])], writing(5)),
        # The filter has the focus; Enter refers the best-matching offer.
        Step("referral (F9)", k("f9", "enter"), referred),
        Step(
            "agreement + next contact (F4)",
            [
                *k("f4"),
                req(wat),
                *k("enter"),
                req(wie),
                *k("enter"),
                req(wanneer),
                *k("tab"),
                req(short_date(next_contact_day(today))),
                *k("ctrl+s"),  # keeps everything and closes
            ],
            agreed,
        ),
        # Ctrl+D closes and exports the dossier and the family version of this visit
        # into the export folder (the one used last).
        Step("close and export both (F8, Ctrl+D)", k("f8", "ctrl+d"), closed_and_exported),
    ]


# -- driving the app ----------------------------------------------------------------------


def _key_of(char: str) -> str:
    from textual.keys import _character_to_key

    return char if char.isalnum() else _character_to_key(char)


def send(app: Any, parts: list[Part]) -> None:
    """Hand a step's keys to the driver as a terminal does: all at once, in order."""
    from textual import events

    for part in parts:
        if part.kind == KEY:
            name = part.value
            char = name if len(name) == 1 else (" " if name == "space" else None)
            keys = [(name, char)]
        else:
            keys = [(_key_of(char), char) for char in part.value]
        for name, char in keys:
            event = events.Key(name, char)
            event.set_sender(app)
            app._driver.send_message(event)


async def wait_for(
    pilot: Any, condition: Callable[[], object], what: str, seconds: float = 10.0
) -> None:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    app = pilot.app
    focused = app.focused
    text = getattr(focused, "text", getattr(focused, "value", ""))
    raise AssertionError(
        f"{what}: the app did not get there (screen {type(app.screen).__name__}, focus "
        f"{type(focused).__name__}#{getattr(focused, 'id', '')} holding {text!r}).\n{frame(app)}"
    )


def frame(app: Any) -> str:
    """The screen as plain text (for a failure message)."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system=None,
        record=True,
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text()


async def drive(app: Any, export_dir: Path, today: date, *, burst: bool = False) -> list[Step]:
    """Run the script. Each key is sent once the app has handled the one before (a person
    who looks at the screen), so the count does not depend on timing; with ``burst`` each
    step's keys arrive at once (a fast typist), which checks that none goes astray."""
    from wijkgesprek.screens.home import HomeScreen

    async with app.run_test(size=SIZE) as pilot:
        # As a person would: the home screen is there and the sociale kaart is loaded.
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, HomeScreen) and app.network is not None,
            "start",
            seconds=30,
        )
        steps = script(app, export_dir, today)
        for step in steps:
            if burst:
                send(app, step.parts)
                await pilot.pause()
            else:
                for part in step.parts:
                    for one in [part] if part.kind == KEY else part.value:
                        send(app, [part if part.kind == KEY else Part(part.kind, one)])
                        await pilot.pause()
            await wait_for(pilot, lambda step=step: step.done(app), step.name)
    return steps


# -- checking the outcome -----------------------------------------------------------------


def verify(database: Path, export_dir: Path, topics: list[str], today: date) -> list[str]:
    """What the visit left behind, read from the SQLite file and the export folder;
    AssertionError on the first thing that is not as scripted."""
    checks: list[str] = []

    def check(ok: bool, what: str) -> None:
        if not ok:
            raise AssertionError(f"outcome wrong: {what}")
        checks.append(what)

    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        households = db.execute("SELECT id, code, wijk, children FROM household").fetchall()
        check(len(households) == 1, "one household")
        household_id, code, wijk, children = households[0]
        check((code, wijk) == (CODE, "Noord"), f"household {CODE} in Noord")
        years = sorted(int(y) for y in children.split(",") if y.isdigit())
        check(years == [today.year - 5, today.year - 2], "children as birth years (2 and 5)")
        visits = db.execute(
            "SELECT id, ended_at, next_contact FROM visit WHERE household_id = ?", (household_id,)
        ).fetchall()
        check(len(visits) == 1, "one visit")
        visit_id, ended_at, next_contact = visits[0]
        check(ended_at is not None, "the visit closed")
        check(
            next_contact == next_contact_day(today).isoformat(),
            f"next contact {next_contact_day(today):%d-%m-%Y}",
        )
        notes = dict(
            db.execute(
                "SELECT topic, text FROM note WHERE visit_id = ? AND text != ''", (visit_id,)
            ).fetchall()
        )
        check(notes == dict(zip(topics, NOTES, strict=True)), "six notes, one sentence each")
        themes = db.execute(
            "SELECT topic, themes FROM note WHERE visit_id = ? AND themes != ''", (visit_id,)
        ).fetchall()
        check(themes == [(topics[1], ",".join(THEMES))], "two themes on the stress note")
        referrals = db.execute(
            "SELECT naam, state, themes FROM referral WHERE visit_id = ?", (visit_id,)
        ).fetchall()
        check(
            len(referrals) == 1
            and referrals[0][1] == "besproken"
            and set(referrals[0][2].split(",")) & set(THEMES),
            "one referral (besproken) for a tagged theme",
        )
        trail = db.execute(
            "SELECT id, value, corrects_id FROM safety_entry WHERE visit_id = ? AND kind = ?",
            (visit_id, "kindcheck"),
        ).fetchall()
        corrected = {row[2] for row in trail if row[2] is not None}
        standing = [row[1] for row in trail if row[0] not in corrected]
        check(standing[-1:] == ["geen-zorgen"], "kindcheck geen-zorgen")
        agreements = db.execute(
            "SELECT wat, wie, wanneer FROM agreement WHERE visit_id = ?", (visit_id,)
        ).fetchall()
        check(agreements == [AGREEMENT], "one agreement (wat, wie, wanneer)")
    finally:
        db.close()
    files = sorted(path.name for path in export_dir.iterdir())
    check(len(files) == 2, "two files in the export folder")
    dossier = next((export_dir / f for f in files if "-dossier-" in f), None)
    family = next((export_dir / f for f in files if "-gezin-" in f), None)
    check(
        dossier is not None and NOTES[1] in dossier.read_text(encoding="utf-8"),
        "the dossier holds the notes",
    )
    check(
        family is not None and AGREEMENT[0] in family.read_text(encoding="utf-8"),
        "the family version holds the agreement",
    )
    return checks


# -- the child process --------------------------------------------------------------------


def child(root: Path, *, burst: bool = False) -> None:
    """Run the script in this process (its environment points at ``root``); print JSON."""
    from wijkgesprek import paths
    from wijkgesprek.app import WijkgesprekApp
    from wijkgesprek.config import load_config
    from wijkgesprek.content.questions import load_guide
    from wijkgesprek.store.schema import prepare_database

    export_dir = root / "export"
    export_dir.mkdir()
    config_file = paths.config_file()
    config_file.parent.mkdir(parents=True, exist_ok=True)
    # The export dialog remembers the folder of the last export (exportmap).
    config_file.write_text(f"exportmap = {json.dumps(str(export_dir))}\n", encoding="utf-8")
    config = load_config(config_file)
    guide = load_guide(paths.shipped_questions())
    database = paths.data_dir() / paths.DATABASE_NAME
    prepare_database(database)
    app = WijkgesprekApp(
        guide=guide, database=database, config=config, network=(paths.shipped_network(),)
    )
    today = date.today()
    steps = asyncio.run(drive(app, export_dir, today, burst=burst))
    if app.return_code not in (None, 0):
        raise AssertionError(f"the app ended with {app.return_code}")
    checks = verify(database, export_dir, [topic.id for topic in guide.topics], today)
    print(
        json.dumps(
            {
                "steps": [{"name": s.name, **s.count(), "keys_typed": s.shown()} for s in steps],
                "checks": checks,
            }
        )
    )


def measure(*, burst: bool = False) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="wijk-keys-") as tmp:
        root = Path(tmp)
        env = child_env(root / "data", root / "config")
        env.update(
            HOME=str(root / "home"),
            XDG_DATA_HOME=str(root / "home" / "share"),
            XDG_CONFIG_HOME=str(root / "home" / "config"),
            WIJKGESPREK_CACHE_DIR=str(root / "cache"),
        )
        (root / "home").mkdir()
        args = [str(Path(__file__)), "--child", str(root), *(["--burst"] if burst else [])]
        out = run_python(args, env, timeout=180)
    return json.loads(out.strip().splitlines()[-1])


def breakdown(steps: list[dict[str, Any]]) -> str:
    header = ("step", "keys", "required", "note", "pressed")
    rows = [header] + [
        (s["name"], str(s["keys"]), str(s["required"]), str(s["note"]), s["keys_typed"])
        for s in steps
    ]
    totals = {kind: sum(s[kind] for s in steps) for kind in ("keys", "required", "note")}
    rows.append(("total", *(str(totals[kind]) for kind in ("keys", "required", "note")), ""))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [
        "  ".join(
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row[:4], widths, strict=True))
        )
        + f"  {row[4]}".rstrip()
        for row in rows
    ]
    rule = "-" * (sum(widths) + 2 * len(widths) + len("pressed"))
    lines.insert(1, rule)
    lines.insert(len(lines) - 1, rule)
    return "\n".join(lines)


def bench(options: Options, *, burst: bool = False) -> list[Result]:
    measured = measure(burst=burst)
    steps = measured["steps"]
    keys = sum(s["keys"] for s in steps)
    required = sum(s["required"] for s in steps)
    note_chars = sum(s["note"] for s in steps)
    print("Standard visit at 80×24 (keys beyond text; required text and note text in characters)")
    print(breakdown(steps))
    print(
        f"keys beyond text {keys} (baseline {BASELINE_KEYS}: {keys / BASELINE_KEYS:.2f}, "
        f"target ≤ {TARGET}); required text {required} characters (baseline "
        f"{BASELINE_REQUIRED}: {required / BASELINE_REQUIRED:.2f}); note text {note_chars} "
        "characters (not counted). Baseline measured from outside on the earlier version."
    )
    print("verified: " + "; ".join(measured["checks"]) + "\n")
    per_step = {s["name"]: f"{s['keys']}+{s['required']}" for s in steps}
    return [
        Result(
            name="standard visit: keys beyond text",
            unit="keys",
            baseline=[float(BASELINE_KEYS)],
            app=[float(keys)],
            target=TARGET,
            statistic="count",
            notes={"keys+required per step": per_step, "note_chars": note_chars},
        ),
        Result(
            name="standard visit: required text",
            unit="chars",
            baseline=[float(BASELINE_REQUIRED)],
            app=[float(required)],
            target=None,
            statistic="count",
        ),
    ]


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(Path(sys.argv[2]), burst="--burst" in sys.argv[3:])
    else:
        from run import table

        print(table(bench(Options(), burst="--burst" in sys.argv[1:])))
