"""Read the safety section (``veiligheid``) of the conversation guide into :class:`SafetyGuide`.

Format (all values are text, see :mod:`wijkgesprek.content.yamlsource`)::

    veiligheid:
      kindcheck:                  # at least one question, in order
        - Wonen er kinderen jonger dan 18 jaar bij u?
      kindcheck-uitkomsten:       # optional; exactly these four ids, each with its text
        geen-zorgen: Geen zorgen.
        aandachtspunt: Een lichte zorg; schrijf op waar u op let en wanneer.
        zorgen: Zorgen; volg de meldcode.
        niet-gedaan: Niet gedaan; schrijf op waarom.
      signalen:                   # exactly the groups kind, ouder, gezin-en-omgeving
        kind:
          titel: Signalen bij het kind
          lijst:                  # signal id -> text, at least one
            onverklaarbare-verwondingen: Onverklaarbare verwondingen.
      balans:
        draaglast-thema's: [schulden, verslaving]   # theme ids of thema's (may be [])
        draaglast:                # question id -> yes/no question, at least one
          spanning-tussen-ouders: Is er veel spanning tussen de ouders?
        draagkracht:
          iemand-die-helpt: Is er iemand die helpt als het even niet gaat?
      schaalvraag:
        rollen: [ouder, kind, professional]        # at least one, each once
      afwegingskader:             # exactly five questions, in order
        - vraag: Is er een vermoeden van huiselijk geweld of kindermishandeling?
          toelichting: Nee? Leg vast waarom.        # optional
          ja: volgende            # one of OUTCOMES
          nee: afsluiten
      meldcode:                   # exactly five steps, in order
        - titel: Signalen in kaart brengen
          toelichting: Schrijf op wat je ziet en hoort.   # optional

Ids are lower case, digits and '-'; a signal id is unique over the three groups, a balance
question id over both sides. The last question of the afwegingskader cannot lead to
``volgende``, and at least one answer must lead to ``melden``. Questions and steps are
numbered by their position (1 to 5).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from wijkgesprek.content.model import (
    KINDCHECK_OUTCOME_TEXTS,
    OUTCOMES,
    AssessmentQuestion,
    BalanceQuestion,
    MeldcodeStep,
    SafetyGuide,
    Signal,
    SignalGroup,
)
from wijkgesprek.content.yamlsource import Data, DataPath, Reader, closest, did_you_mean

SECTION = ("veiligheid",)
SIGNAL_GROUPS = ("kind", "ouder", "gezin-en-omgeving")
BALANCE_SIDES = ("draaglast", "draagkracht")
ASSESSMENT_SIZE = 5
MELDCODE_SIZE = 5
_KEYS = ("kindcheck", "signalen", "balans", "schaalvraag", "afwegingskader", "meldcode")
_OPTIONAL_KEYS = ("kindcheck-uitkomsten",)
_ID = re.compile(r"[a-z0-9-]+")
_LOAD_THEMES = "draaglast-thema's"
_OUTCOME_LIST = ", ".join(OUTCOMES[:-1]) + f" of {OUTCOMES[-1]}"
_GROUP_LIST = ", ".join(f"'{group}'" for group in SIGNAL_GROUPS[:-1]) + f" en '{SIGNAL_GROUPS[-1]}'"


def read_safety(reader: Reader, theme_ids: Sequence[str]) -> SafetyGuide:
    """Read ``veiligheid``; report every problem to ``reader``. ``theme_ids``: known themes."""
    if reader.get(SECTION) is None:
        return SafetyGuide()  # its absence is reported with the top-level keys
    reader.mapping(SECTION, "bij 'veiligheid'", _KEYS, _OPTIONAL_KEYS)
    load_themes, balance = _read_balance(reader, theme_ids)
    return SafetyGuide(
        kindcheck=reader.texts((*SECTION, "kindcheck")),
        kindcheck_outcomes=_read_kindcheck_outcomes(reader),
        signal_groups=_read_signals(reader),
        load_themes=load_themes,
        balance=balance,
        roles=_read_roles(reader),
        assessment=_read_assessment(reader),
        meldcode=_read_meldcode(reader),
    )


def _check_id(reader: Reader, path: DataPath, what: str, seen: dict[str, DataPath]) -> None:
    item_id = str(path[-1])
    if not _ID.fullmatch(item_id):
        message = f"{what}-id '{item_id}' mag alleen kleine letters, cijfers en '-' bevatten"
        reader.error(path, message, at_key=True)
    elif item_id in seen:
        line = reader.document.position(seen[item_id], at_key=True)[0]
        message = f"{what}-id '{item_id}' staat er al eerder (regel {line}); kies een andere naam"
        reader.error(path, message, at_key=True)
    else:
        seen[item_id] = path


def _id_texts(
    reader: Reader, path: DataPath, what: str, seen: dict[str, DataPath]
) -> list[tuple[str, str]]:
    """A mapping id -> text with at least one entry (signals, balance questions)."""
    entries = reader.mapping(path, optional=None)
    if reader.get(path) in ("", {}):
        reader.error(path, f"'{path[-1]}' moet minstens één {what} bevatten", at_key=True)
    found = []
    for item_id in entries:
        _check_id(reader, (*path, item_id), what, seen)
        found.append((item_id, reader.text((*path, item_id))))
    return found


def _read_kindcheck_outcomes(reader: Reader) -> tuple[tuple[str, str], ...]:
    """The outcomes with their texts; the ids are fixed (the app's rules hang on them)."""
    path = (*SECTION, "kindcheck-uitkomsten")
    if reader.get(path) is None:
        return tuple(KINDCHECK_OUTCOME_TEXTS.items())
    present = reader.mapping(path, optional=None)
    known = list(KINDCHECK_OUTCOME_TEXTS)
    names = ", ".join(f"'{k}'" for k in known)
    for outcome in present:
        if outcome not in known:
            reader.error(
                (*path, outcome),
                f"onbekende kindcheck-uitkomst '{outcome}'; de uitkomsten zijn {names}"
                + did_you_mean(outcome, known),
                at_key=True,
            )
    if isinstance(reader.get(path), dict) or reader.get(path) == "":
        for outcome in known:
            if outcome not in present:
                reader.error(
                    path, f"kindcheck-uitkomst '{outcome}' ontbreekt bij '{path[-1]}'", at_key=True
                )
    return tuple(
        (outcome, reader.text((*path, outcome))) for outcome in present if outcome in known
    )


def _read_signals(reader: Reader) -> tuple[SignalGroup, ...]:
    path = (*SECTION, "signalen")
    present = reader.mapping(path, optional=None)
    unknown = [group for group in present if group not in SIGNAL_GROUPS]
    missing = [group for group in SIGNAL_GROUPS if group not in present]
    for group in unknown:
        near = closest(group, missing)
        if near is not None:
            missing.remove(near)
        hint = f"; bedoelde je '{near}'?" if near else ""
        reader.error(
            (*path, group),
            f"onbekende signaalgroep '{group}'; de groepen zijn {_GROUP_LIST}{hint}",
            at_key=True,
        )
    if isinstance(reader.get(path), dict) or reader.get(path) == "":
        for group in missing:
            reader.error(path, f"signaalgroep '{group}' ontbreekt bij 'signalen'", at_key=True)
    groups = []
    seen: dict[str, DataPath] = {}  # a signal id is unique over all groups
    for group in SIGNAL_GROUPS:
        if group not in present:
            continue
        group_path = (*path, group)
        reader.mapping(group_path, f"bij signaalgroep '{group}'", ("titel", "lijst"))
        signals = _id_texts(reader, (*group_path, "lijst"), "signaal", seen)
        groups.append(
            SignalGroup(
                id=group,
                titel=reader.text((*group_path, "titel")),
                signals=tuple(Signal(id=item_id, tekst=tekst) for item_id, tekst in signals),
            )
        )
    return tuple(groups)


def _read_balance(
    reader: Reader, theme_ids: Sequence[str]
) -> tuple[tuple[str, ...], tuple[BalanceQuestion, ...]]:
    path = (*SECTION, "balans")
    reader.mapping(path, "bij 'balans'", (_LOAD_THEMES, *BALANCE_SIDES))
    themes_path = (*path, _LOAD_THEMES)
    load_themes = reader.texts(themes_path, required=False)
    seen: dict[str, int] = {}
    for index, theme_id in enumerate(load_themes):
        item = (*themes_path, index)
        if theme_id in seen:
            line = reader.document.position((*themes_path, seen[theme_id]))[0]
            reader.error(item, f"thema '{theme_id}' staat er twee keer (eerder op regel {line})")
        elif theme_id and theme_id not in theme_ids:
            reader.error(
                item,
                f"onbekend thema '{theme_id}' in '{_LOAD_THEMES}'; gebruik een thema uit "
                f'"thema\'s"{did_you_mean(theme_id, theme_ids)}',
            )
        seen.setdefault(theme_id, index)
    seen_ids: dict[str, DataPath] = {}  # a question id is unique over both sides
    balance = [
        BalanceQuestion(id=item_id, vraag=vraag, side=side)
        for side in BALANCE_SIDES
        for item_id, vraag in _id_texts(reader, (*path, side), "vraag", seen_ids)
    ]
    return load_themes, tuple(balance)


def _read_roles(reader: Reader) -> tuple[str, ...]:
    path = (*SECTION, "schaalvraag")
    reader.mapping(path, "bij 'schaalvraag'", ("rollen",))
    roles = reader.texts((*path, "rollen"))
    seen: dict[str, int] = {}
    for index, role in enumerate(roles):
        key = role.casefold()
        if key in seen:
            line = reader.document.position((*path, "rollen", seen[key]))[0]
            reader.error(
                (*path, "rollen", index),
                f"rol '{role}' staat er twee keer (eerder op regel {line})",
            )
        seen.setdefault(key, index)
    return roles


def _items(reader: Reader, path: DataPath, size: int, what: str) -> list[Data]:
    """The list at ``path``, after reporting a wrong type or a length other than ``size``."""
    value = reader.get(path)
    if value is None:
        return []
    if value == "":
        value = []
    if not isinstance(value, list):
        reader.error(path, f"'{path[-1]}' moet een lijst zijn (regels die beginnen met '- ')")
        return []
    if len(value) != size:
        reader.error(
            path,
            f"'{path[-1]}' moet precies {size} {what} hebben, in vaste volgorde; "
            f"er staan er {len(value)}",
            at_key=True,
        )
    return value


def _read_assessment(reader: Reader) -> tuple[AssessmentQuestion, ...]:
    path = (*SECTION, "afwegingskader")
    items = _items(reader, path, ASSESSMENT_SIZE, "vragen")
    questions = []
    outcomes_ok = True
    for index in range(len(items)):
        item = (*path, index)
        where = f"bij vraag {index + 1} van het afwegingskader"
        reader.mapping(item, where, ("vraag", "ja", "nee"), ("toelichting",))
        answers = {}
        for answer in ("ja", "nee"):
            outcome = reader.text((*item, answer))
            if outcome and outcome not in OUTCOMES:
                outcomes_ok = False
                reader.error(
                    (*item, answer),
                    f"onbekende uitkomst '{outcome}' bij '{answer}' van vraag {index + 1} van het "
                    f"afwegingskader; kies {_OUTCOME_LIST}{did_you_mean(outcome, OUTCOMES)}",
                )
            elif not outcome:
                outcomes_ok = False
            answers[answer] = outcome
        questions.append(
            AssessmentQuestion(
                number=index + 1,
                vraag=reader.text((*item, "vraag")),
                ja=answers["ja"],
                nee=answers["nee"],
                toelichting=reader.text((*item, "toelichting"), required=False),
            )
        )
    if questions:
        last = questions[-1]
        for answer, outcome in (("ja", last.ja), ("nee", last.nee)):
            if outcome == "volgende":
                reader.error(
                    (*path, len(questions) - 1, answer),
                    f"'{answer}' bij de laatste vraag van het afwegingskader kan niet naar "
                    "'volgende' leiden: er is geen volgende vraag; kies afsluiten, melden of hulp",
                )
    if questions and outcomes_ok and all("melden" not in (q.ja, q.nee) for q in questions):
        reader.error(
            path,
            "geen enkel antwoord in 'afwegingskader' leidt naar 'melden'; bij onveiligheid "
            "moet melden bij Veilig Thuis een uitkomst zijn",
            at_key=True,
        )
    return tuple(questions)


def _read_meldcode(reader: Reader) -> tuple[MeldcodeStep, ...]:
    path = (*SECTION, "meldcode")
    steps = []
    for index in range(len(_items(reader, path, MELDCODE_SIZE, "stappen"))):
        item = (*path, index)
        reader.mapping(item, f"bij stap {index + 1} van de meldcode", ("titel",), ("toelichting",))
        steps.append(
            MeldcodeStep(
                number=index + 1,
                titel=reader.text((*item, "titel")),
                toelichting=reader.text((*item, "toelichting"), required=False),
            )
        )
    return tuple(steps)


def safety_to_json(safety: SafetyGuide) -> dict[str, object]:
    """The safety section as JSON-ready data, with the Dutch keys of the file."""
    return {
        "kindcheck": list(safety.kindcheck),
        "kindcheck-uitkomsten": dict(safety.kindcheck_outcomes),
        "signalen": [
            {
                "id": group.id,
                "titel": group.titel,
                "lijst": [{"id": signal.id, "tekst": signal.tekst} for signal in group.signals],
            }
            for group in safety.signal_groups
        ],
        "balans": {
            _LOAD_THEMES: list(safety.load_themes),
            **{
                side: [
                    {"id": question.id, "vraag": question.vraag}
                    for question in safety.balance
                    if question.side == side
                ]
                for side in BALANCE_SIDES
            },
        },
        "schaalvraag": {"rollen": list(safety.roles)},
        "afwegingskader": [
            {
                "nummer": question.number,
                "vraag": question.vraag,
                "toelichting": question.toelichting,
                "ja": question.ja,
                "nee": question.nee,
            }
            for question in safety.assessment
        ],
        "meldcode": [
            {"nummer": step.number, "titel": step.titel, "toelichting": step.toelichting}
            for step in safety.meldcode
        ],
    }
