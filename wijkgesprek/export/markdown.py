"""Markdown exports: the dossier for the organisation's file, and a short version for the
family in plain language (taalniveau B1).

Pure functions on domain data (no SQL, no Textual). Everything a person typed is
rendered literally: Markdown characters are escaped, line breaks are kept, and leading
spaces cannot start a code block, so a note can never become a heading, a link or HTML.
The family version never contains the notes, the themes or the safety trail; with
``include_safety`` it adds one short, neutral paragraph.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from wijkgesprek.content.model import Guide
from wijkgesprek.domain import safety as s
from wijkgesprek.domain.dates import long_date, plain_date
from wijkgesprek.domain.household import describe_change, describe_children
from wijkgesprek.domain.meldcode import follow_through
from wijkgesprek.domain.referral import (
    DISCUSSED,
    FAILED,
    REGISTERED,
    STARTED,
    WAITING,
    ReferralData,
    ReferralStep,
    expected_from,
    steps_text,
)
from wijkgesprek.domain.visit import (
    AGREEMENTS_TOPIC,
    OTHER_NOTES,
    SAFETY_TOPIC,
    AgreementData,
    HouseholdHistory,
    VisitEvents,
    VisitHistory,
    events_by_visit,
    format_date,
    marked_text,
    other_topics,
    tagged_themes,
    visit_day,
    visit_days,
    visit_events,
)
from wijkgesprek.export import network
from wijkgesprek.export.mdtext import inline, literal
from wijkgesprek.text import by, ends_sentence, quoted, sentence


def _by(author: str, *, besides: str) -> str:
    """ " (door anna)" (``text.by``) with the name escaped."""
    return f" (door {inline(author)})" if by(author, besides=besides) else ""


def _time(value: datetime) -> str:
    return value.astimezone().strftime("%d-%m-%Y %H:%M")


def _day(value: datetime) -> str:
    return value.astimezone().strftime("%d-%m-%Y")


def _scope(history: HouseholdHistory, visit_id: int | None) -> list[tuple[int, VisitHistory]]:
    numbered = list(enumerate(history.visits, start=1))
    if visit_id is None:
        return numbered
    chosen = [(n, v) for n, v in numbered if v.record.id == visit_id]
    if not chosen:
        raise LookupError(visit_id)
    return chosen


# -- the dossier ---------------------------------------------------------------------------


def dossier(
    history: HouseholdHistory,
    guide: Guide,
    *,
    visit_id: int | None = None,
    image: str | None = None,
) -> str:
    """The whole household (every visit, oldest first), or the one visit ``visit_id``.

    Each visit holds what happened in it: an agreement marked or a referral moved in a
    later visit is told under that later visit, with its date. On a team database each
    visit names who started it, and anything in it recorded by someone else says
    "(door …)"; an addition always names its author. ``image``: the file name of the
    netwerkkaart's drawing beside the dossier (``export.network.svg``), linked under
    the map it shows (``network.drawn_visit``).
    """
    scope = _scope(history, visit_id)
    title = f"# Dossier {inline(history.code)}"
    if visit_id is not None:
        number, visit = scope[0]
        title += f" \u2014 bezoek {number} van {visit_day(history, visit.record)}"
    lines = [
        title,
        "",
        f"- Gezinscode: {inline(history.code)}",
        f"- Wijk: {inline(history.wijk)}",
        f"- Kinderen: {describe_children(history.children)}",
        f"- Bezoeken: {len(history.visits)}",
        *_household_changes(history),
    ]
    drawn = network.drawn_visit([visit for _, visit in scope])
    days, events = visit_days(history), events_by_visit(history)  # per visit: quadratic
    for number, visit in scope:
        shown = image if visit is drawn else None
        said = (days[visit.record.id], events[visit.record.id])
        lines += ["", *_visit(number, visit, history, guide, said, image=shown)]
    return "\n".join(lines) + "\n"


_SECTIONS = (AGREEMENTS_TOPIC, SAFETY_TOPIC)
"""Topics whose note opens their own section (agreements, the safety check)."""


def _household_changes(history: HouseholdHistory) -> list[str]:
    """The deliberate changes of wijk and children, oldest first (none: nothing)."""
    if not history.changes:
        return []
    return ["", "## Wijzigingen van het huishouden", ""] + [
        f"- {inline(describe_change(change))}" for change in history.changes
    ]


def _visit(
    number: int,
    visit: VisitHistory,
    history: HouseholdHistory,
    guide: Guide,
    said: tuple[str, VisitEvents],
    *,
    image: str | None = None,
) -> list[str]:
    record = visit.record
    ended = f"afgerond {_time(record.ended_at)}" if record.ended_at else "nog niet afgerond"
    started = f"Begonnen {_time(record.started_at)}"
    if record.author:
        started += f" door {inline(record.author)}"
    out = [
        f"## Bezoek {number} \u2014 {said[0]}",
        "",
        f"{started}, {ended}.",
    ]
    for topic in guide.topics:
        written = _written(visit, topic.id)
        if written and topic.id not in _SECTIONS:
            out += ["", f"### {inline(topic.titel)}", *written]
    known = [topic.id for topic in guide.topics]
    others = other_topics(record, known, (c.topic for c in visit.corrections))
    if others:  # a colleague's other guide, a hand-over: shown, never left out
        out += ["", f"### {OTHER_NOTES}"]
        for other in others:
            out += ["", f"#### {inline(other)}", *_written(visit, other)]
    themes = ", ".join(inline(guide.theme_name(t)) for t in tagged_themes(record))
    out += ["", f"**Thema's:** {themes or 'geen'}"]
    out += network.dossier_section(visit, history, guide, image=image, number=number)
    events = said[1]
    agreed = [_agreement(a, besides=record.author) for a in events.agreements]
    agreed += [f"- {inline(marked_text(n, a))}" for n, a in events.marked]
    out += ["", "### Afspraken", *_written(visit, AGREEMENTS_TOPIC), ""]
    out += agreed or ["Geen afspraken vastgelegd."]
    if events.referrals:
        out += ["", "### Verwijzingen", ""]
        out += [
            _referral(r, steps, made=r.visit_id == record.id, besides=record.author)
            for r, steps in events.referrals
        ]
    if record.gaps:
        out += ["", "### Geen aanbod", ""] + [
            f"- Geen aanbod voor {inline(guide.theme_name(t))} in {inline(history.wijk)}."
            for t in record.gaps
        ]
    contact = format_date(record.next_contact) or "niet afgesproken"
    out += ["", f"**Volgend contact:** {contact}"]
    written = _written(visit, SAFETY_TOPIC)
    part = _safety(visit, history, guide)
    if written or part:
        out += ["", "### Veiligheid", *written]
        out += ["", *part] if part else []
    return out


def _written(visit: VisitHistory, topic: str) -> list[str]:
    """The note of ``topic`` and its additions, each after an empty line."""
    note = visit.record.notes.get(topic)
    out = ["", literal(note.text)] if note and note.text.strip() else []
    if out and note and note.by and note.by != visit.record.author:
        out += ["", f"*Laatst bewaard door {inline(note.by)}.*"]
    for addition in (c for c in visit.corrections if c.topic == topic):
        who = f" door {inline(addition.author)}" if addition.author else ""
        out += [
            "",
            f"*Aanvulling van {_time(addition.created_at)}{who}:*",
            "",
            literal(addition.text),
        ]
    return out


def _agreement(agreement: AgreementData, *, besides: str) -> str:
    return (
        f"- {inline(agreement.wat) or '(geen omschrijving)'} \u2014 wie: "
        f"{inline(agreement.wie) or 'niet ingevuld'} \u2014 wanneer: "
        f"{inline(agreement.when()) or 'niet ingevuld'} \u2014 stand: {agreement.status}"
        f"{_by(agreement.author, besides=besides)}"
    )


def _referral(
    referral: ReferralData, steps: Sequence[ReferralStep], *, made: bool, besides: str
) -> str:
    """A referral with what happened to it in one visit; its contact where it was made."""
    told = inline(steps_text(steps, besides=besides))
    line = f"- {inline(referral.naam)} ({inline(referral.soort)}): {told}"
    if made and referral.contact:
        line = f"{sentence(line)} Contact: {inline(referral.contact)}"
    return line


def _safety(visit: VisitHistory, history: HouseholdHistory, guide: Guide) -> list[str]:
    entries = list(visit.safety)
    if not entries and not s.kindcheck_required(history.children):
        return []
    author = visit.record.author

    def who(entry: s.SafetyEntry | None) -> str:
        """Who recorded ``entry``, when not the visit's author."""
        return "" if entry is None else _by(entry.author, besides=author)

    out = []
    outcome = s.kindcheck_outcome(entries)
    out.append(f"- Kindcheck: {inline(s.kindcheck_text(entries))}{who(outcome)}")
    texts = {f"{g.id}/{sig.id}": sig.tekst for g in guide.safety.signal_groups for sig in g.signals}
    for entry in s.current(entries, s.SIGNAL).values():
        if entry.value == "aan":
            words = f" \u2014 in eigen woorden: {inline(quoted(entry.note))}" if entry.note else ""
            out.append(f"- Signaal: {inline(texts.get(entry.key, entry.key))}{words}{who(entry)}")
    names = {theme.id: theme.naam for theme in guide.themes}
    weighed = s.balance(
        guide.safety, tagged=tagged_themes(visit.record), theme_names=names, entries=entries
    )
    if weighed.load or weighed.capacity:
        out.append(f"- Draaglast: {'; '.join(inline(x) for x in weighed.load) or 'niets genoemd'}")
        out.append(
            f"- Draagkracht: {'; '.join(inline(x) for x in weighed.capacity) or 'niets genoemd'}"
        )
    for role, entry in s.current(entries, s.SCALE).items():
        words = f" \u2014 {inline(quoted(entry.note))}" if entry.note else ""
        out.append(f"- Schaalvraag {inline(role)}: {entry.value}{words}{who(entry)}")
    for key, entry in s.current(entries, s.COLUMN).items():
        if entry.note:
            out.append(f"- {s.COLUMNS.get(key, inline(key))} {inline(entry.note)}{who(entry)}")
    steps = {int(k): e for k, e in s.current(entries, s.STEP).items() if k.isdigit()}
    for step in guide.safety.meldcode:
        done = steps.get(step.number)
        if done is not None and done.value != "open":
            note = f" \u2014 {inline(done.note)}" if done.note else ""
            out.append(
                f"- Meldcode stap {step.number} ({inline(step.titel)}): {done.value} "
                f"op {_day(done.at)}{note}{who(done)}"
            )
    for entry in sorted(s.current(entries, s.CONSULT).values(), key=lambda e: e.at):
        out.append(
            f"- Overleg met {inline(entry.value)} ({_day(entry.at)}): "
            f"{inline(entry.note)}{who(entry)}"
        )
    route = s.assessment_from(entries, guide.safety)
    answered = s.current(entries, s.ASSESS)
    for question, yes, reason in route.path:
        answer = "ja" if yes else "nee"
        out.append(
            f"- Afwegingskader vraag {question.number} ({inline(question.vraag)}): {answer}, "
            f"omdat {inline(reason)}{who(answered.get(str(question.number)))}"
        )
    if route.outcome:
        out.append(f"- Besluit: {s.OUTCOME_TEXT[route.outcome]}")
    follow = follow_through(entries, guide.safety)
    out += [
        f"- Veilig Thuis: {inline(c.text())}{_by(c.author, besides=author)}"
        for c in follow.contacts
    ]
    if follow.unreported and follow.deferred is None:
        out.append("- Veilig Thuis: nog niet vastgelegd wat er met de melding is gedaan.")
    text = s.current(entries, s.DOSSIER).get("")
    if text is not None and text.note.strip():
        when = f"{_time(text.at)}{' door ' + inline(text.author) if text.author else ''}"
        out += ["", f"**Dossiertekst** ({when}):", "", literal(text.note)]
    return out


# -- the family version ----------------------------------------------------------------------

_PLAIN_STATE = {
    DISCUSSED: "We hebben hierover gepraat.",
    REGISTERED: "U bent aangemeld.",
    STARTED: "De hulp is begonnen.",
}


def family_version(
    history: HouseholdHistory,
    guide: Guide,
    *,
    visit_id: int | None = None,
    include_safety: bool = False,
) -> str:
    """What we agreed, in plain words for the family. Never the notes."""
    scope = [visit for _, visit in _scope(history, visit_id)]
    if not scope:
        return "# Wat we hebben afgesproken\n\nEr is nog geen gesprek geweest.\n"
    last = scope[-1].record
    day = long_date(last.started_at.astimezone().date())
    if visit_id is None:
        agreements = [a for v in scope for a in v.record.agreements if a.status == "open"]
        referrals = [(r, r.current) for r in history.referrals]
        intro = f"Dit zijn de afspraken uit onze gesprekken. Ons laatste gesprek was op {day}."
    else:
        agreements = [a for a in last.agreements if a.status != "vervallen"]
        # how each referral stood at the end of that visit
        referrals = [(r, steps[-1]) for r, steps in visit_events(history, last.id).referrals]
        intro = f"Dit hebben we afgesproken in ons gesprek van {day}."
    lines = ["# Wat we hebben afgesproken", "", intro, "", "## Wie doet wat?", ""]
    lines += _family_agreements(agreements) or ["We hebben nog niets afgesproken."]
    lines += ["", "## Wanneer spreken we elkaar weer?", ""]
    if last.next_contact:
        lines.append(f"Op {long_date(last.next_contact)}.")
    else:
        lines.append("We hebben nog geen nieuwe datum afgesproken.")
    drawn = network.drawn_visit(scope)
    lines += network.family_section(drawn.record.network if drawn else None, guide)
    helping = [_family_referral(r, step) for r, step in referrals if step.state != FAILED]
    if helping:
        lines += ["", "## Wie kan u helpen?", "", *helping]
    if include_safety:
        lines += ["", "## Veiligheid", "", *_family_safety(scope)]
    lines += ["", "Heeft u een vraag? Neem dan contact op met het wijkteam."]
    lines += ["", f"Ons kenmerk: {inline(history.code)}."]
    return "\n".join(lines) + "\n"


def _family_agreements(agreements: Iterable[AgreementData]) -> list[str]:
    out = []
    for agreement in agreements:
        out.append(f"- {inline(agreement.wat) or 'Afspraak'}")
        if agreement.wie:
            out.append(f"  - Wie: {inline(agreement.wie)}")
        if agreement.wanneer:
            # "voor vrijdag": which Friday, in words for the family
            out.append(f"  - Wanneer: {inline(agreement.when(long_date))}")
        if agreement.status == "gedaan":
            out.append("  - Dit is al gedaan.")
    return out


def _family_referral(referral: ReferralData, step: ReferralStep) -> str:
    name = inline(referral.naam)
    line = f"- **{name}**{'' if ends_sentence(name) else '.'} {_plain_state(step)}".rstrip()
    if referral.contact:
        line += f" Contact: {inline(referral.contact)}"
    return line


def _plain_state(step: ReferralStep) -> str:
    if step.state != WAITING:
        return _PLAIN_STATE.get(step.state, "")
    text = f"U staat op de wachtlijst (sinds {plain_date(step.at.astimezone().date())})."
    expected = expected_from(step.reason)
    if expected is not None:
        text += f" Naar verwachting kunt u beginnen vanaf {plain_date(expected)}."
    return text


def _family_safety(scope: Sequence[VisitHistory]) -> list[str]:
    worried = s.has_concerns(list(scope[-1].safety))
    lines = [
        "We hebben ook gepraat over hoe het thuis gaat. Iedereen moet zich thuis veilig voelen."
    ]
    if worried:
        lines[0] += " We maken ons zorgen. Daarom blijven we contact met u houden."
    lines += [
        "",
        "Voelt u zich niet veilig? Of maakt u zich zorgen om een kind? Bel dan Veilig Thuis: "
        "0800-2000. Bellen is gratis. U kunt dag en nacht bellen.",
    ]
    return lines
