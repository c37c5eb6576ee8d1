"""The JSON hand-over (overdracht) of a household, for a colleague taking over.

``to_handover`` turns a household into plain JSON data with Dutch keys and a schema
version; ``parse_handover`` reads such a file back and checks *everything* before any
of it is used. Every problem is reported as ``file:line:column: path: message`` with
the path in the file (``bezoeken[2].notities.stress``; list positions count from 1,
like the visit numbers of ``wijkgesprek export --bezoek``). Messages name fields,
never values: a message must not carry note text.

Database ids never appear in the file: a referral points to the visit it was made in
by its number in ``bezoeken``, and the safety trail's corrections are derived again
on import (an entry corrects the previous one of the same kind and key).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from wijkgesprek import limits
from wijkgesprek.choices import did_you_mean
from wijkgesprek.content.model import KINDS, OTHER_KIND
from wijkgesprek.domain import safety as s
from wijkgesprek.domain.dates import LAST_YEAR
from wijkgesprek.domain.household import (
    CHILDREN,
    ELSEWHERE,
    LEGACY_AGE_GROUPS,
    PREGNANT,
    WIJK,
    Children,
    HouseholdChange,
    code_problem,
    format_children,
    normalise_code,
    parse_children,
    wijk_problem,
)
from wijkgesprek.domain.meldcode import CONTACT_KINDS, note_is_valid
from wijkgesprek.domain.network_map import Person
from wijkgesprek.domain.referral import STATES, WAITING, fits_waiting_list
from wijkgesprek.domain.visit import AGREEMENT_STATES, HouseholdHistory
from wijkgesprek.errors import ContentError, Problem, WijkError
from wijkgesprek.exchange.jsonread import (
    Reader,
    control_problems,
    describe,
    load_json,
    path_to,
    placed,
    problems_error,
)
from wijkgesprek.exchange.network import read_network
from wijkgesprek.reading import NotRegular, TooLarge, read_regular
from wijkgesprek.text import visible

SCHEMA_VERSION = 3
"""2: the children as birth years (``kinderen``) and the household's changes; files of
version 1 (``leeftijdsgroepen``, the old age groups) are still read. 3: each visit's
netwerkkaart (``netwerkkaart``: null when the visit has none); older files have none."""
KIND = "wijkgesprek-overdracht"


@dataclass(frozen=True)
class HandoverAgreement:
    wat: str
    wie: str
    wanneer: str
    status: str


@dataclass(frozen=True)
class HandoverAddition:
    topic: str
    text: str
    at: datetime


@dataclass(frozen=True)
class HandoverSafety:
    kind: str
    key: str
    value: str
    note: str
    at: datetime


@dataclass(frozen=True)
class HandoverVisit:
    started_at: datetime
    ended_at: datetime | None
    next_contact: date | None
    notes: Mapping[str, str] = field(default_factory=dict)
    """Topic id → note text (only topics with text)."""
    themes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Topic id → tagged theme ids (only topics with themes)."""
    agreements: tuple[HandoverAgreement, ...] = ()
    additions: tuple[HandoverAddition, ...] = ()
    safety: tuple[HandoverSafety, ...] = ()
    gaps: tuple[str, ...] = ()
    network: tuple[Person, ...] | None = None
    """The visit's netwerkkaart (None: it has none)."""


@dataclass(frozen=True)
class ReferralStep:
    """One state a referral went through; ``visit`` is a visit number (1 = first)."""

    state: str
    reason: str
    visit: int
    at: datetime


@dataclass(frozen=True)
class HandoverReferral:
    naam: str
    soort: str
    wijk: str
    themes: tuple[str, ...]
    contact: str
    state: str
    reason: str
    visit: int
    """The number of the visit it was made in (1 = first)."""
    created_at: datetime
    updated_at: datetime
    steps: tuple[ReferralStep, ...]


@dataclass(frozen=True)
class Handover:
    code: str
    wijk: str
    children: Children
    created_at: datetime
    visits: tuple[HandoverVisit, ...]
    referrals: tuple[HandoverReferral, ...] = ()
    changes: tuple[HouseholdChange, ...] = ()
    source: Path | None = field(default=None, compare=False)
    warnings: tuple[Problem, ...] = field(default=(), compare=False)
    """What was read differently from what the file says (a referral kind the sociale
    kaart does not know became OTHER_KIND), at its place in the file."""


@dataclass(frozen=True)
class Vocabulary:
    """What the guide and the sociale kaart allow in the fields that are counted in the
    trends: theme ids (a note's themes, gaps, a referral's themes) and referral kinds."""

    themes: tuple[str, ...]
    kinds: tuple[str, ...] = KINDS


@dataclass(frozen=True)
class ReferralExtra:
    """What a referral has in the database beyond ``ReferralData`` (see store.handover)."""

    themes: tuple[str, ...]
    created_at: datetime


# -- from the household to JSON ---------------------------------------------------------


def from_history(
    history: HouseholdHistory, *, extras: Mapping[int, ReferralExtra] | None = None
) -> Handover:
    """The household as hand-over data. Without ``extras`` a referral has no themes and
    was made when it was last updated."""
    visits = sorted(history.visits, key=lambda v: v.record.started_at)
    number = {visit.record.id: n for n, visit in enumerate(visits, start=1)}
    referrals = []
    for referral in history.referrals:
        extra = (extras or {}).get(referral.id)
        steps = tuple(
            ReferralStep(st.state, st.reason, number.get(st.visit_id, 1), st.at)
            for st in referral.steps
        )
        referrals.append(
            HandoverReferral(
                naam=referral.naam,
                soort=referral.soort,
                wijk=referral.wijk,
                themes=extra.themes if extra else (),
                contact=referral.contact,
                state=referral.state,
                reason=referral.reason,
                visit=number.get(referral.visit_id, 1),
                created_at=extra.created_at if extra else referral.updated_at,
                updated_at=referral.updated_at,
                steps=steps,
            )
        )
    return Handover(
        code=history.code,
        wijk=history.wijk,
        children=history.children,
        created_at=history.created_at,
        changes=history.changes,
        visits=tuple(
            HandoverVisit(
                started_at=v.record.started_at,
                ended_at=v.record.ended_at,
                next_contact=v.record.next_contact,
                notes={t: n.text for t, n in sorted(v.record.notes.items()) if n.text},
                themes={t: n.themes for t, n in sorted(v.record.notes.items()) if n.themes},
                agreements=tuple(
                    HandoverAgreement(a.wat, a.wie, a.wanneer, a.status)
                    for a in v.record.agreements
                ),
                additions=tuple(
                    HandoverAddition(c.topic, c.text, c.created_at) for c in v.corrections
                ),
                safety=tuple(
                    HandoverSafety(e.kind, e.key, e.value, e.note, e.at) for e in v.safety
                ),
                gaps=v.record.gaps,
                network=v.record.network,
            )
            for v in visits
        ),
        referrals=tuple(referrals),
    )


def moment(value: datetime) -> str:
    return value.isoformat()


def handover_json(handover: Handover) -> dict[str, Any]:
    """JSON-able data with Dutch keys, in a fixed order."""
    return {
        "soort": KIND,
        "schema": SCHEMA_VERSION,
        "huishouden": {
            "code": handover.code,
            "wijk": handover.wijk,
            "kinderen": [t for t in format_children(handover.children).split(",") if t],
            "kinderen_vastgelegd": moment(recorded)
            if (recorded := handover.children.recorded)
            else None,
            "aangemaakt": moment(handover.created_at),
            "wijzigingen": [
                {"op": moment(c.at), "wat": c.kind, "oud": c.old, "nieuw": c.new}
                for c in handover.changes
            ],
        },
        "bezoeken": [
            {
                "begonnen": moment(v.started_at),
                "afgerond": moment(v.ended_at) if v.ended_at else None,
                "volgend_contact": v.next_contact.isoformat() if v.next_contact else None,
                "notities": dict(v.notes),
                "themas": {topic: list(themes) for topic, themes in v.themes.items()},
                "afspraken": [
                    {"wat": a.wat, "wie": a.wie, "wanneer": a.wanneer, "status": a.status}
                    for a in v.agreements
                ],
                "aanvullingen": [
                    {"onderwerp": a.topic, "tekst": a.text, "op": moment(a.at)} for a in v.additions
                ],
                "veiligheid": [
                    {
                        "soort": e.kind,
                        "sleutel": e.key,
                        "waarde": e.value,
                        "notitie": e.note,
                        "op": moment(e.at),
                    }
                    for e in v.safety
                ],
                "geen_aanbod": list(v.gaps),
                "netwerkkaart": None if v.network is None else [_person_json(p) for p in v.network],
            }
            for v in handover.visits
        ],
        "verwijzingen": [
            {
                "naam": r.naam,
                "soort": r.soort,
                "wijk": r.wijk,
                "themas": list(r.themes),
                "contact": r.contact,
                "status": r.state,
                "reden": r.reason,
                "bezoek": r.visit,
                "aangemaakt": moment(r.created_at),
                "bijgewerkt": moment(r.updated_at),
                "geschiedenis": [
                    {
                        "status": st.state,
                        "reden": st.reason,
                        "bezoek": st.visit,
                        "op": moment(st.at),
                    }
                    for st in r.steps
                ],
            }
            for r in handover.referrals
        ],
    }


def _person_json(person: Person) -> dict[str, Any]:
    return {
        "nummer": person.number,
        "rol": person.role,
        "naam": person.name,
        "groep": person.group,
        "informeel": person.informal,
        "dichtbij_wie": person.member,
        "helpt_met": list(person.helps),
        "afstand": person.closeness,
        "energie": person.energy,
        "meer_doen": person.more,
        "veiligheidsnetwerk": person.safety,
    }


def to_handover(
    history: HouseholdHistory, *, extras: Mapping[int, ReferralExtra] | None = None
) -> dict[str, Any]:
    return handover_json(from_history(history, extras=extras))


def dumps(data: Mapping[str, Any]) -> str:
    """The file's text. A control character that reached the database before texts were
    checked (an old hand-over or sociale kaart) leaves as a visible symbol, so a hand-over
    never carries one and is always read again."""
    return json.dumps(_literal(data), ensure_ascii=False, indent=2) + "\n"


def _literal(value: Any) -> Any:
    if isinstance(value, str):
        return visible(value)
    if isinstance(value, list):
        return [_literal(item) for item in value]
    if isinstance(value, dict):
        return {visible(key): _literal(item) for key, item in value.items()}
    return value


# -- reading a file back ------------------------------------------------------------------

_SAFETY_VALUES: Mapping[str, tuple[Callable[[str, str], bool], str]] = {
    s.KINDCHECK: (
        lambda key, value: (key == "" and value in s.KINDCHECK_OUTCOMES) or key == s.WHEN,
        "sleutel leeg en waarde " + ", ".join(s.KINDCHECK_OUTCOMES) + f", of sleutel {s.WHEN}",
    ),
    s.SIGNAL: (lambda key, value: value in ("aan", "uit"), "waarde aan of uit"),
    s.BALANCE: (
        lambda key, value: value in ("ja", "nee", "onbekend"),
        "waarde ja, nee of onbekend",
    ),
    s.SCALE: (lambda key, value: s.scale_problem(value) is None, "waarde een getal van 0 tot 10"),
    s.COLUMN: (lambda key, value: key in s.COLUMNS, "sleutel " + ", ".join(s.COLUMNS)),
    s.STEP: (
        lambda key, value: key.isdigit() and value in s.STEP_STATES,
        "sleutel een stapnummer en waarde " + ", ".join(s.STEP_STATES),
    ),
    s.CONSULT: (lambda key, value: True, ""),
    s.ASSESS: (
        lambda key, value: key.isdigit() and value in ("ja", "nee"),
        "sleutel een vraagnummer en waarde ja of nee",
    ),
    s.DOSSIER: (lambda key, value: key == "", "sleutel leeg"),
    s.VT_CONTACT: (
        lambda key, value: key.isdigit() and value in CONTACT_KINDS,
        "sleutel een volgnummer en waarde " + ", ".join(CONTACT_KINDS),
    ),
}


class _Stop(Exception):
    """The rest of the file cannot be read meaningfully (wrong kind or version)."""


class _Reader(Reader):
    """A Reader that also knows what themes and kinds the guide and the kaart allow."""

    def __init__(self, vocabulary: Vocabulary | None) -> None:
        super().__init__()
        self.vocabulary = vocabulary

    def themes(self, data: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
        """Theme ids; each must be one of the guide's (its text is never repeated)."""
        found = self.texts(data, key, path)
        if self.vocabulary is not None:
            known = self.vocabulary.themes
            for n, theme in enumerate(found, 1):
                if theme not in known:
                    near = did_you_mean(theme, known)
                    self.problem(
                        path_to(path_to(path, key), n),
                        "onbekend thema: de gespreksleidraad kent het niet"
                        + (f"; {near}" if near else "")
                        + ". Gebruik dezelfde leidraad als de collega (--questions) of pas "
                        "het bestand aan",
                    )
        return found

    def kind(self, data: Mapping[str, Any], key: str, path: str) -> str:
        """A referral kind as the sociale kaart writes it; any other text becomes
        OTHER_KIND, with a warning (a file the app wrote is never refused for it)."""
        value = self.text(data, key, path)
        if self.vocabulary is None:
            return value
        kinds = self.vocabulary.kinds
        if value.strip().casefold() in kinds:
            return value.strip().casefold()
        self.warning(
            path_to(path, key),
            f"onbekende soort; opgeslagen als '{OTHER_KIND}' (de sociale kaart kent "
            + ", ".join(kinds[:-1])
            + f" en {kinds[-1]})",
        )
        return OTHER_KIND


def parse_handover(text: str, *, source: Path, vocabulary: Vocabulary | None = None) -> Handover:
    """Read and check a hand-over file; raises ContentError with every problem, each at
    its place in the file. With ``vocabulary`` (the import and ``controleer`` always give
    it) themes and gaps must be the guide's, and referral kinds the kaart's."""
    data = load_json(text, source)
    control = control_problems(text, data, source)
    reader = _Reader(vocabulary)
    try:
        handover = _read(reader, data)
    except _Stop:
        handover = None
    if control or reader.problems or handover is None:
        raise problems_error(source, (), [*control, *placed(source, text, reader.found)])
    warnings = tuple(placed(source, text, reader.warnings, warning=True))
    return replace(handover, source=source, warnings=warnings)


MAX_HANDOVER_PEEK = 64


def is_handover_file(path: Path) -> bool:
    """Whether ``path`` looks like a hand-over (JSON: an object ``{`` first), without
    reading it all. An unreadable file gives False."""
    try:
        start = read_regular(path, limit=MAX_HANDOVER_PEEK, partial=True)
    except (OSError, TooLarge):  # a FIFO or device is not read: it could wait forever
        return False
    return start.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def read_handover(path: Path, *, vocabulary: Vocabulary | None = None) -> Handover:
    """Read a hand-over file from disk (UTF-8) and check it (see parse_handover)."""
    try:
        raw = limits.read_limited(path, limits.MAX_HANDOVER_BYTES)
    except limits.TooLarge as error:
        raise WijkError(
            f"{path} is te groot voor een overdracht: meer dan "
            f"{limits.size_text(error.limit)}. Het bestand is niet ingelezen."
        ) from None
    except FileNotFoundError:
        raise WijkError(f"{path} bestaat niet.") from None
    except IsADirectoryError:
        raise WijkError(f"{path} is een map; geef het overdrachtsbestand.") from None
    except PermissionError:
        raise WijkError(f"Geen toestemming om {path} te lezen.") from None
    except (NotRegular, TooLarge) as error:
        raise WijkError(f"Kan {path} niet lezen: {error.strerror}.") from None
    except OSError:
        raise WijkError(f"Kan {path} niet lezen.") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise ContentError(
            [Problem(path, line, column, "geen UTF-8-tekst: dit is geen overdrachtsbestand.")]
        ) from None
    return parse_handover(text, source=path, vocabulary=vocabulary)


def _read(reader: _Reader, data: object) -> Handover | None:
    if not isinstance(data, dict):
        reader.problem("", f"het bestand moet een JSON-object ({{…}}) zijn, niet {describe(data)}")
        raise _Stop
    if data.get("soort") != KIND:
        reader.problem("soort", f"dit is geen overdracht van wijkgesprek (verwacht '{KIND}')")
        raise _Stop
    version = data.get("schema")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        reader.problem("schema", "ontbreekt of is geen schemaversie (een heel getal vanaf 1)")
        raise _Stop
    if version > SCHEMA_VERSION:
        reader.problem(
            "schema",
            f"versie {version} is gemaakt door een nieuwere versie van wijkgesprek; werk "
            f"wijkgesprek bij (deze versie leest tot en met schema {SCHEMA_VERSION})",
        )
        raise _Stop
    top = reader.fields(data, "", ("soort", "schema", "huishouden", "bezoeken", "verwijzingen"))
    if top is None:
        return None
    household = reader.fields(top["huishouden"], "huishouden", _HOUSEHOLD_KEYS[version])
    visits = [
        _visit(reader, item, path_to("bezoeken", n), version)
        for n, item in enumerate(reader.items(top, "bezoeken", ""), 1)
    ]
    seen: dict[datetime, int] = {}
    for n, visit in enumerate(visits, 1):
        if visit is not None:
            if visit.started_at in seen:
                reader.problem(
                    f"bezoeken[{n}].begonnen",
                    f"zelfde begintijd als bezoeken[{seen[visit.started_at]}]",
                )
            seen.setdefault(visit.started_at, n)
    referrals = [
        _referral(reader, item, path_to("verwijzingen", n), len(visits))
        for n, item in enumerate(reader.items(top, "verwijzingen", ""), 1)
    ]
    if household is None:
        return None
    code = reader.text(household, "code", "huishouden")
    problem = code_problem(code)
    if problem:
        reader.problem("huishouden.code", problem)
    wijk = reader.text(household, "wijk", "huishouden")
    problem = wijk_problem(wijk)
    if problem:
        reader.problem("huishouden.wijk", problem)
    created = reader.moment(household, "aangemaakt", "huishouden")
    if version == 1:  # the old age groups, recorded (as then) at the start of the last visit
        starts = [v.started_at for v in visits if v is not None]
        children = _children(reader, household, "leeftijdsgroepen", legacy=True)
        recorded = max(starts, default=created)
        changes: list[HouseholdChange] = []
    else:
        children = _children(reader, household, "kinderen", legacy=False)
        recorded = reader.moment(household, "kinderen_vastgelegd", "huishouden", empty=True)
        changes = _changes(reader, household)
    if created is None or reader.problems:
        return None
    return Handover(
        code=normalise_code(code),
        wijk=wijk.strip(),
        children=parse_children(",".join(children), recorded=recorded),
        created_at=created,
        visits=tuple(v for v in visits if v is not None),
        referrals=tuple(r for r in referrals if r is not None),
        changes=tuple(changes),
    )


_HOUSEHOLD_KEYS = {
    1: ("code", "wijk", "leeftijdsgroepen", "aangemaakt"),
    2: ("code", "wijk", "kinderen", "kinderen_vastgelegd", "aangemaakt", "wijzigingen"),
}
_HOUSEHOLD_KEYS[3] = _HOUSEHOLD_KEYS[2]  # schema 3 added the visits' netwerkkaart
_FLAGS = (PREGNANT, ELSEWHERE)


def _children(
    reader: Reader, household: Mapping[str, Any], key: str, *, legacy: bool
) -> tuple[str, ...]:
    """The stored form of the children: in version 1 only the old age groups; since
    version 2 birth years (and old groups not yet updated)."""
    tokens = reader.texts(household, key, "huishouden")
    wanted = (
        "onbekend; kies uit " + ", ".join([*LEGACY_AGE_GROUPS, *_FLAGS])
        if legacy
        else "onbekend; een geboortejaar (zoals 2021), zwanger, elders of een oude "
        "leeftijdsgroep (" + ", ".join(LEGACY_AGE_GROUPS) + ")"
    )
    for n, token in enumerate(tokens, 1):
        year = not legacy and token.isdigit() and len(token) == 4
        if year and not 1900 <= int(token) <= LAST_YEAR:  # an adult child: before 2000
            reader.problem(
                path_to(path_to("huishouden", key), n),
                f"geboortejaar ligt niet tussen 1900 en {LAST_YEAR}",
            )
            continue
        if not (year or token in LEGACY_AGE_GROUPS or token in _FLAGS):
            reader.problem(path_to(path_to("huishouden", key), n), wanted)
    return tokens


def _changes(reader: Reader, household: Mapping[str, Any]) -> list[HouseholdChange]:
    changes = []
    for n, item in enumerate(reader.items(household, "wijzigingen", "huishouden"), 1):
        where = path_to(path_to("huishouden", "wijzigingen"), n)
        data = reader.fields(item, where, ("op", "wat", "oud", "nieuw"))
        if data is not None:
            at = reader.moment(data, "op", where)
            kind = reader.choice(data, "wat", where, (WIJK, CHILDREN))
            old, new = reader.text(data, "oud", where), reader.text(data, "nieuw", where)
            if at is not None:
                changes.append(HouseholdChange(at=at, kind=kind, old=old, new=new))
    return changes


_VISIT_KEYS = (
    "begonnen",
    "afgerond",
    "volgend_contact",
    "notities",
    "themas",
    "afspraken",
    "aanvullingen",
    "veiligheid",
    "geen_aanbod",
)


def _visit(reader: _Reader, value: object, path: str, version: int) -> HandoverVisit | None:
    keys = (*_VISIT_KEYS, "netwerkkaart") if version >= 3 else _VISIT_KEYS
    data = reader.fields(value, path, keys)
    if data is None:
        return None
    network = read_network(reader, data, path) if version >= 3 else None
    started = reader.moment(data, "begonnen", path)
    ended = reader.moment(data, "afgerond", path, empty=True)
    next_contact = reader.day(data, "volgend_contact", path)
    notes: dict[str, str] = {}
    raw_notes = reader.typed(data["notities"], path_to(path, "notities"), dict) or {}
    for topic, text in raw_notes.items():
        if not topic.strip():
            reader.problem(path_to(path, "notities"), "een onderwerp zonder naam")
        where = path_to(path_to(path, "notities"), topic)
        checked = reader.typed(text, where, str)
        if checked and len(checked) > limits.MAX_NOTE_CHARS:
            reader.problem(where, _too_long())
        elif checked:
            notes[topic] = checked
    themes: dict[str, tuple[str, ...]] = {}
    raw_themes = reader.typed(data["themas"], path_to(path, "themas"), dict) or {}
    for topic in raw_themes:
        if not topic.strip():
            reader.problem(path_to(path, "themas"), "een onderwerp zonder naam")
        tagged = reader.themes(raw_themes, topic, path_to(path, "themas"))
        if tagged:
            themes[topic] = tagged
    agreements = []
    for n, item in enumerate(reader.items(data, "afspraken", path), 1):
        where = path_to(path_to(path, "afspraken"), n)
        agreement = reader.fields(item, where, ("wat", "wie", "wanneer", "status"))
        if agreement is not None:
            agreements.append(
                HandoverAgreement(
                    reader.text(agreement, "wat", where),
                    reader.text(agreement, "wie", where),
                    reader.text(agreement, "wanneer", where),
                    reader.choice(agreement, "status", where, AGREEMENT_STATES),
                )
            )
    additions = []
    for n, item in enumerate(reader.items(data, "aanvullingen", path), 1):
        where = path_to(path_to(path, "aanvullingen"), n)
        addition = reader.fields(item, where, ("onderwerp", "tekst", "op"))
        if addition is not None:
            at = reader.moment(addition, "op", where)
            topic = reader.text(addition, "onderwerp", where)
            text = reader.text(addition, "tekst", where)
            if len(text) > limits.MAX_NOTE_CHARS:
                reader.problem(path_to(where, "tekst"), _too_long())
            elif at is not None:
                additions.append(HandoverAddition(topic, text, at))
    entries = [
        entry
        for n, item in enumerate(reader.items(data, "veiligheid", path), 1)
        if (entry := _safety(reader, item, path_to(path_to(path, "veiligheid"), n))) is not None
    ]
    gaps = reader.themes(data, "geen_aanbod", path)
    if started is None:
        return None
    return HandoverVisit(
        started_at=started,
        ended_at=ended,
        next_contact=next_contact,
        notes=dict(sorted(notes.items())),
        themes=dict(sorted(themes.items())),
        agreements=tuple(agreements),
        additions=tuple(additions),
        safety=tuple(sorted(entries, key=lambda e: e.at)),
        gaps=gaps,
        network=network,
    )


def _safety(reader: Reader, value: object, path: str) -> HandoverSafety | None:
    data = reader.fields(value, path, ("soort", "sleutel", "waarde", "notitie", "op"))
    if data is None:
        return None
    kind = reader.choice(data, "soort", path, tuple(_SAFETY_VALUES))
    key = reader.text(data, "sleutel", path)
    entry_value = reader.text(data, "waarde", path)
    note = reader.text(data, "notitie", path)
    at = reader.moment(data, "op", path)
    valid, wanted = _SAFETY_VALUES[kind]
    if not valid(key, entry_value):
        reader.problem(path, f"sleutel of waarde past niet bij soort {kind} (verwacht: {wanted})")
    elif kind == s.VT_CONTACT and not note_is_valid(entry_value, note):
        reader.problem(
            path,
            "de notitie van een contact met Veilig Thuis is niet te lezen (verwacht: JSON met "
            "datum en met, of bij nog-niet een reden)",
        )
    return HandoverSafety(kind, key, entry_value, note, at) if at is not None else None


_REFERRAL_KEYS = (
    "naam",
    "soort",
    "wijk",
    "themas",
    "contact",
    "status",
    "reden",
    "bezoek",
    "aangemaakt",
    "bijgewerkt",
    "geschiedenis",
)


def _visit_number(reader: Reader, data: Mapping[str, Any], path: str, count: int) -> int:
    number = reader.typed(data["bezoek"], path_to(path, "bezoek"), int)
    if number is not None and not 1 <= number <= count:
        reader.problem(
            path_to(path, "bezoek"), f"geen bezoek in dit bestand (kies 1 tot en met {count})"
        )
    return number or 1


def _reason(reader: Reader, data: Mapping[str, Any], path: str, state: str) -> str:
    """The reason of a state; on the waiting list it can only hold the expected start."""
    reason = reader.text(data, "reden", path)
    if state == WAITING and not fits_waiting_list(reason):
        reader.problem(
            path_to(path, "reden"),
            "bij de wachtlijst leeg of 'verwacht vanaf DD-MM-JJJJ' (een bestaande datum)",
        )
    return reason


def _referral(reader: _Reader, value: object, path: str, count: int) -> HandoverReferral | None:
    data = reader.fields(value, path, _REFERRAL_KEYS)
    if data is None:
        return None
    naam = reader.text(data, "naam", path)
    if data["naam"] == "":
        reader.problem(path_to(path, "naam"), "mag niet leeg zijn")
    steps = []
    for n, item in enumerate(reader.items(data, "geschiedenis", path), 1):
        where = path_to(path_to(path, "geschiedenis"), n)
        step = reader.fields(item, where, ("status", "reden", "bezoek", "op"))
        if step is not None:
            at = reader.moment(step, "op", where)
            state = reader.choice(step, "status", where, STATES)
            reason = _reason(reader, step, where, state)
            visit = _visit_number(reader, step, where, count)
            if at is not None:
                steps.append(ReferralStep(state, reason, visit, at))
    state = reader.choice(data, "status", path, STATES)
    result = HandoverReferral(
        naam=naam,
        soort=reader.kind(data, "soort", path),
        wijk=reader.text(data, "wijk", path),
        themes=reader.themes(data, "themas", path),
        contact=reader.text(data, "contact", path),
        state=state,
        reason=_reason(reader, data, path, state),
        visit=_visit_number(reader, data, path, count),
        created_at=reader.moment(data, "aangemaakt", path) or datetime.min,
        updated_at=reader.moment(data, "bijgewerkt", path) or datetime.min,
        steps=tuple(steps),
    )
    return result


def _too_long() -> str:
    limit = limits.count_text(limits.MAX_NOTE_CHARS)
    return f"de tekst is te lang: een aantekening heeft hoogstens {limit} tekens"
