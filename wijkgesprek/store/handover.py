"""Hand-overs out of and into the database.

Import rules: a new household is created with everything in the file. For a household
that already exists, visits are matched by their start time (same start = same visit):
new visits are added, identical ones skipped, and a visit that differs is a
:class:`Conflict`. Only what the file would *change* counts as a difference: things
that exist here but not in the file (a later addition, a newer safety entry) stay
and are no conflict. Nothing changes while there are conflicts, unless the user takes
the file's version over; then the replaced local text is kept as an addition
(aanvulling) "Eerdere versie (voor import van …)", and lists (agreements, additions,
the safety trail, referral history) are merged, never shortened. All of it happens in
one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import text as sql
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col, select

from wijkgesprek.domain.household import (
    CHILDREN,
    WIJK,
    HouseholdChange,
    describe_children,
    format_children,
)
from wijkgesprek.domain.network_map import import_numbers
from wijkgesprek.domain.visit import AGREEMENTS_TOPIC
from wijkgesprek.domain.wijk import wijk_key
from wijkgesprek.errors import StoreError, WijkError
from wijkgesprek.exchange.compare import (
    Difference,
    excerpts,
    network_text,
    referral_differences,
    referral_key,
    referral_steps,
    visit_differences,
    when,
)
from wijkgesprek.exchange.handover import (
    Handover,
    HandoverReferral,
    HandoverSafety,
    HandoverVisit,
    ReferralExtra,
    from_history,
)
from wijkgesprek.store import network_map, repo
from wijkgesprek.store.models import (
    Agreement,
    Correction,
    Gap,
    Household,
    Note,
    Referral,
    ReferralEvent,
    SafetyEntryTable,
    Visit,
)
from wijkgesprek.text import visible

NOTHING_CHANGED = "Niets veranderd. Gebruik --neem-over om de versie uit het bestand over te nemen."


# -- out ----------------------------------------------------------------------------------


def referral_extras(*, session: Session, code: str) -> dict[int, ReferralExtra]:
    """Themes and creation time of the household's referrals, by referral id."""
    household = repo.find_household(session=session, code=code)
    if household is None:
        return {}
    referrals = session.exec(select(Referral).where(Referral.household_id == household.id)).all()
    return {
        r.id: ReferralExtra(
            themes=tuple(t for t in r.themes.split(",") if t), created_at=r.created_at
        )
        for r in referrals
        if r.id is not None
    }


def load_handover(*, session: Session, code: str) -> Handover:
    """The household as it is here, as hand-over data; LookupError when unknown."""
    history = repo.get_household(session=session, code=code)
    return from_history(history, extras=referral_extras(session=session, code=code))


# -- the plan -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Conflict:
    label: str
    """Dutch, e.g. "Bezoek van 02-03-2026 09:30" or "Huishouden"."""
    differences: tuple[Difference, ...]


@dataclass(frozen=True)
class ImportPlan:
    handover: Handover
    new_household: bool
    new_visits: tuple[int, ...]
    """Visit numbers in the file (1 = first)."""
    same_visits: tuple[int, ...]
    changed_visits: tuple[int, ...]
    household_changed: bool
    new_referrals: tuple[int, ...]
    changed_referrals: tuple[int, ...]
    conflicts: tuple[Conflict, ...]


def plan_import(*, session: Session, handover: Handover) -> ImportPlan:
    """What importing ``handover`` would do; changes nothing. Into a known household, the
    file's netwerkkaart numbers are first made the household's (``import_numbers``): the
    plan's hand-over holds them, so a number never means two people."""
    everything = tuple(range(1, len(handover.visits) + 1))
    try:
        ours = load_handover(session=session, code=handover.code)
    except LookupError:
        referrals = tuple(range(1, len(handover.referrals) + 1))
        return ImportPlan(handover, True, everything, (), (), False, referrals, (), ())
    handover = _renumbered(handover, ours)
    conflicts: list[Conflict] = []
    household = []
    if wijk_key(ours.wijk) != wijk_key(handover.wijk):
        household.append(Difference("huishouden.wijk", visible(ours.wijk), visible(handover.wijk)))
    if ours.children != handover.children:
        household.append(
            Difference(
                "huishouden.kinderen",
                describe_children(ours.children),
                describe_children(handover.children),
            )
        )
    if household:
        conflicts.append(Conflict("Huishouden", tuple(household)))
    by_start = {visit.started_at: visit for visit in ours.visits}
    new, same, changed = [], [], []
    for number, visit in enumerate(handover.visits, 1):
        mine = by_start.get(visit.started_at)
        if mine is None:
            new.append(number)
            continue
        found = visit_differences(f"bezoeken[{number}]", mine, visit)
        if found:
            changed.append(number)
            conflicts.append(Conflict(f"Bezoek van {when(visit.started_at)}", tuple(found)))
        else:
            same.append(number)
    known = {referral_key(r, ours): r for r in ours.referrals}
    new_referrals, changed_referrals = [], []
    for number, referral in enumerate(handover.referrals, 1):
        existing = known.get(referral_key(referral, handover))
        if existing is None:
            new_referrals.append(number)
            continue
        path = f"verwijzingen[{number}]"
        found = referral_differences(path, existing, referral, ours, handover)
        if found:
            changed_referrals.append(number)
            label = f"Verwijzing {visible(referral.naam)}"
            conflicts.append(Conflict(label, tuple(found)))
    return ImportPlan(
        handover=handover,
        new_household=False,
        new_visits=tuple(new),
        same_visits=tuple(same),
        changed_visits=tuple(changed),
        household_changed=bool(household),
        new_referrals=tuple(new_referrals),
        changed_referrals=tuple(changed_referrals),
        conflicts=tuple(conflicts),
    )


def _renumbered(handover: Handover, ours: Handover) -> Handover:
    """``handover`` with the numbers of its maps made those of the household here."""
    numbers = import_numbers(
        {visit.started_at: visit.network for visit in ours.visits if visit.network},
        {visit.started_at: visit.network for visit in handover.visits if visit.network},
    )
    if all(old == new for old, new in numbers.items()):
        return handover
    visits = tuple(
        replace(
            visit,
            network=tuple(
                sorted(
                    (p.replace(number=numbers[p.number]) for p in visit.network),
                    key=lambda p: p.number,
                )
            ),
        )
        if visit.network
        else visit
        for visit in handover.visits
    )
    return replace(handover, visits=visits)


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def describe_plan(plan: ImportPlan) -> list[str]:
    """What the import would do, in Dutch (for when it is not done)."""
    if plan.new_household:
        visits = _count(len(plan.new_visits), "bezoek", "bezoeken")
        return [f"Nieuw huishouden {plan.handover.code} met {visits}."]
    parts = [
        _count(len(plan.new_visits), "nieuw bezoek", "nieuwe bezoeken")
        if plan.new_visits
        else "geen nieuwe bezoeken",
        f"{len(plan.same_visits)} gelijk",
        f"{len(plan.changed_visits)} met verschillen",
    ]
    return [f"{plan.handover.code}: " + ", ".join(parts) + "."]


def describe_conflicts(plan: ImportPlan) -> list[str]:
    lines: list[str] = []
    for conflict in plan.conflicts:
        lines.append(f"{conflict.label} verschilt:")
        for difference in conflict.differences:
            lines.append(f"  {difference.path}")
            lines.append(f"    hier:           {difference.ours}")
            lines.append(f"    in het bestand: {difference.theirs}")
    return lines


# -- applying it ------------------------------------------------------------------------------


def apply_import(
    *, session: Session, plan: ImportPlan, take_over: bool, now: datetime
) -> list[str]:
    """Carry out ``plan`` in one transaction; returns what was done, in Dutch.

    Raises WijkError (and changes nothing) when there are conflicts and ``take_over``
    is False, or when the database changed since the plan was made.
    """
    if plan.conflicts and not take_over:
        raise WijkError(NOTHING_CHANGED)
    try:
        if plan_import(session=session, handover=plan.handover) != plan:
            raise WijkError(
                "De gegevens zijn veranderd sinds het bestand is bekeken. Er is niets "
                "ingelezen; probeer het opnieuw."
            )
        if session.get_bind().dialect.name == "postgresql":
            # The one way past the server's rule that a finished visit's notes stay as
            # they are (store.ladder, v9): an import brings finished visits in, and
            # --neem-over replaces their notes. For this transaction only.
            session.execute(sql("SET LOCAL wijkgesprek.overname = 'aan'"))
        lines = _Apply(session, plan, now).run()
        session.commit()
    except OperationalError:  # locked or full: never a traceback, never a half import
        session.rollback()
        raise StoreError(
            "Het inlezen is niet gelukt: de database is bezet of kan niet worden geschreven. "
            "Er is niets veranderd; probeer het opnieuw."
        ) from None
    except BaseException:
        session.rollback()
        raise
    return lines


class _Apply:
    def __init__(self, session: Session, plan: ImportPlan, now: datetime) -> None:
        self.session = session
        self.plan = plan
        self.handover = plan.handover
        self.now = now
        self.label = f"Eerdere versie (voor import van {now.astimezone():%d-%m-%Y})"
        self.visits: dict[datetime, Visit] = {}

    def run(self) -> list[str]:
        handover, plan = self.handover, self.plan
        household = repo.find_household(session=self.session, code=handover.code)
        lines = []
        if household is None:
            household = Household(
                code=handover.code,
                wijk=handover.wijk,
                children=format_children(handover.children),
                children_at=handover.children.recorded,
                created_at=handover.created_at,
            )
            self.session.add(household)
            self.session.flush()
        elif plan.household_changed:
            lines.append(
                f"Wijk en kinderen van {handover.code} overgenomen uit het bestand "
                f"(was: {visible(household.wijk)}; "
                f"{describe_children(repo.children_of(household))}). De wijziging staat "
                "bij de wijzigingen van het huishouden."
            )
        assert household.id is not None
        self.household = household
        self._changes()
        for visit in self.session.exec(select(Visit).where(Visit.household_id == household.id)):
            self.visits[visit.started_at] = visit
        ours = (
            None if plan.new_household else load_handover(session=self.session, code=handover.code)
        )
        for number in plan.new_visits:
            self._new_visit(handover.visits[number - 1])
        for number in plan.changed_visits:
            assert ours is not None
            theirs = handover.visits[number - 1]
            mine = next(v for v in ours.visits if v.started_at == theirs.started_at)
            self._take_over_visit(mine, theirs)
        for number in plan.new_referrals:
            self._new_referral(handover.referrals[number - 1])
        for number in plan.changed_referrals:
            assert ours is not None
            self._take_over_referral(ours, handover.referrals[number - 1])
        self.session.flush()
        return self._summary() + lines

    def _changes(self) -> None:
        """The file's trail of changes (what is not here yet), then, when the file's wijk
        and children are taken over, that change itself, with the time of the import."""
        household, handover = self.household, self.handover
        assert household.id is not None
        known = {
            (c.at, c.kind, c.old, c.new)
            for c in repo.household_changes(session=self.session, household_id=household.id)
        }
        new = [c for c in handover.changes if (c.at, c.kind, c.old, c.new) not in known]
        if self.plan.household_changed:
            if wijk_key(household.wijk) != wijk_key(handover.wijk):
                new.append(HouseholdChange(self.now, WIJK, household.wijk, handover.wijk))
                household.wijk = handover.wijk
            if repo.children_of(household) != handover.children:
                stored = format_children(handover.children)
                new.append(HouseholdChange(self.now, CHILDREN, household.children, stored))
                household.children = stored
                household.children_at = handover.children.recorded
            self.session.add(household)
        repo.add_changes(session=self.session, household_id=household.id, changes=new)

    def _summary(self) -> list[str]:
        plan, code = self.plan, self.handover.code
        if plan.new_household:
            lines = [
                f"Nieuw huishouden {code} met {_count(len(plan.new_visits), 'bezoek', 'bezoeken')}."
            ]
        else:
            added = (
                _count(len(plan.new_visits), "nieuw bezoek", "nieuwe bezoeken") + " toegevoegd"
                if plan.new_visits
                else "geen nieuwe bezoeken"
            )
            parts = [added]
            if plan.same_visits:
                parts.append(f"{len(plan.same_visits)} gelijk")
            if plan.changed_visits:
                parts.append(
                    _count(len(plan.changed_visits), "bezoek", "bezoeken")
                    + " overgenomen uit het bestand"
                )
            lines = [f"{code}: " + ", ".join(parts) + "."]
        if plan.new_referrals:
            lines.append(
                _count(len(plan.new_referrals), "nieuwe verwijzing", "nieuwe verwijzingen")
                + " toegevoegd."
            )
        if plan.changed_referrals:
            lines.append(
                _count(len(plan.changed_referrals), "verwijzing", "verwijzingen")
                + " bijgewerkt; de eerdere standen blijven in de geschiedenis."
            )
        if plan.changed_visits:
            lines.append(f"De eerdere versie is bewaard als aanvulling \u201c{self.label}\u201d.")
        return lines

    def _new_visit(self, theirs: HandoverVisit) -> None:
        visit = Visit(
            household_id=self.household.id or 0,
            started_at=theirs.started_at,
            ended_at=theirs.ended_at,
            next_contact=theirs.next_contact,
        )
        self.session.add(visit)
        self.session.flush()
        self.visits[visit.started_at] = visit
        empty = HandoverVisit(started_at=theirs.started_at, ended_at=None, next_contact=None)
        self._merge(visit, empty, theirs)

    def _take_over_visit(self, mine: HandoverVisit, theirs: HandoverVisit) -> None:
        visit = self.visits[theirs.started_at]
        earlier: list[str] = []
        if theirs.ended_at is not None and theirs.ended_at != mine.ended_at:
            earlier.append(f"afgerond {when(mine.ended_at)}" if mine.ended_at else "nog open")
            visit.ended_at = theirs.ended_at
        if theirs.next_contact != mine.next_contact:
            earlier.append(
                f"volgend contact {when(mine.next_contact)}"
                if mine.next_contact
                else "geen volgend contact"
            )
            visit.next_contact = theirs.next_contact
        self.session.add(visit)
        earlier += self._merge(visit, mine, theirs)
        if earlier:
            self._addition(visit, AGREEMENTS_TOPIC, f"{self.label}: " + "; ".join(earlier) + ".")

    def _addition(self, visit: Visit, topic: str, text: str) -> None:
        assert visit.id is not None
        self.session.add(Correction(visit_id=visit.id, topic=topic, text=text, created_at=self.now))

    def _merge(self, visit: Visit, mine: HandoverVisit, theirs: HandoverVisit) -> list[str]:
        """Bring ``theirs`` into ``visit`` (now holding ``mine``); returns what was replaced
        outside the notes, for the addition that keeps it."""
        assert visit.id is not None
        session, earlier = self.session, []
        notes = {n.topic: n for n in session.exec(select(Note).where(Note.visit_id == visit.id))}
        for topic in sorted(
            set(mine.notes) | set(theirs.notes) | set(mine.themes) | set(theirs.themes)
        ):
            old_text, new_text = mine.notes.get(topic, ""), theirs.notes.get(topic, "")
            old_themes, new_themes = mine.themes.get(topic, ()), theirs.themes.get(topic, ())
            if (old_text, old_themes) == (new_text, new_themes):
                continue
            kept = [old_text] if old_text and old_text != new_text else []
            if old_themes and old_themes != new_themes:
                kept.append("Thema's: " + ", ".join(old_themes))
            if kept:
                self._addition(visit, topic, f"{self.label}:\n" + "\n".join(kept))
            note = notes.get(topic) or Note(visit_id=visit.id, topic=topic, updated_at=self.now)
            note.text, note.themes, note.updated_at = new_text, ",".join(new_themes), self.now
            # A new version: a colleague with the visit open merges their next save with
            # it (optimistic locking), instead of overwriting what was taken over.
            note.version += 1
            session.add(note)
        rows = list(
            session.exec(
                select(Agreement).where(Agreement.visit_id == visit.id).order_by(col(Agreement.id))
            )
        )
        for agreement in theirs.agreements:
            fields = (agreement.wat, agreement.wie, agreement.wanneer)
            same = [r for r in rows if (r.wat, r.wie, r.wanneer) == fields]
            if not same:
                session.add(
                    Agreement(
                        visit_id=visit.id,
                        wat=agreement.wat,
                        wie=agreement.wie,
                        wanneer=agreement.wanneer,
                        created_at=visit.started_at,
                        status=agreement.status,
                    )
                )
                continue
            row = next((r for r in same if r.status == agreement.status), same[0])
            rows.remove(row)
            if row.status != agreement.status:
                earlier.append(f"afspraak {excerpts('', row.wat)[1]} stond op {row.status}")
                row.status, row.status_at = agreement.status, self.now
                session.add(row)
        for addition in theirs.additions:
            if addition not in mine.additions:
                session.add(
                    Correction(
                        visit_id=visit.id,
                        topic=addition.topic,
                        text=addition.text,
                        created_at=addition.at,
                    )
                )
        self._safety(visit, [e for e in theirs.safety if e not in mine.safety])
        if theirs.network is not None and theirs.network != mine.network:
            if mine.network is not None:
                earlier.append(f"netwerkkaart {network_text(mine.network)}")
            network_map.put_map(
                session=session, visit_id=visit.id, people=theirs.network, at=self.now
            )
        for theme in dict.fromkeys(theirs.gaps):
            if theme not in mine.gaps:
                session.add(
                    Gap(
                        visit_id=visit.id,
                        wijk=self.household.wijk,
                        theme=theme,
                        created_at=visit.started_at,
                    )
                )
        session.flush()
        return earlier

    def _safety(self, visit: Visit, entries: Sequence[HandoverSafety]) -> None:
        """Append to the trail; each entry corrects the latest earlier one of its kind and key."""
        trail = list(
            self.session.exec(
                select(SafetyEntryTable)
                .where(SafetyEntryTable.visit_id == visit.id)
                .order_by(col(SafetyEntryTable.at), col(SafetyEntryTable.id))
            )
        )
        for entry in sorted(entries, key=lambda e: e.at):
            previous = [
                r for r in trail if (r.kind, r.key) == (entry.kind, entry.key) and r.at <= entry.at
            ]
            record = SafetyEntryTable(
                visit_id=visit.id or 0,
                kind=entry.kind,
                key=entry.key,
                value=entry.value,
                note=entry.note,
                at=entry.at,
                corrects_id=previous[-1].id if previous else None,
            )
            self.session.add(record)
            self.session.flush()
            trail.append(record)
            trail.sort(key=lambda r: (r.at, r.id or 0))

    def _new_referral(self, theirs: HandoverReferral) -> None:
        visit = self.visits[self.handover.visits[theirs.visit - 1].started_at]
        referral = Referral(
            household_id=self.household.id or 0,
            visit_id=visit.id or 0,
            naam=theirs.naam,
            soort=theirs.soort,
            wijk=theirs.wijk,
            themes=",".join(theirs.themes),
            contact=theirs.contact,
            state=theirs.state,
            reason=theirs.reason,
            created_at=theirs.created_at,
            updated_at=theirs.updated_at,
        )
        self.session.add(referral)
        self.session.flush()
        self._events(referral, theirs, known=[])

    def _events(
        self,
        referral: Referral,
        theirs: HandoverReferral,
        known: list[tuple[str, str, datetime, datetime]],
    ) -> None:
        for state, reason, at, started in referral_steps(theirs, self.handover):
            if (state, reason, at, started) not in known:
                self.session.add(
                    ReferralEvent(
                        referral_id=referral.id or 0,
                        visit_id=self.visits[started].id or 0,
                        state=state,
                        reason=reason,
                        at=at,
                    )
                )

    def _take_over_referral(self, ours: Handover, theirs: HandoverReferral) -> None:
        key = referral_key(theirs, self.handover)
        mine = next(r for r in ours.referrals if referral_key(r, ours) == key)
        visit = self.visits[key[2]]
        referral = self.session.exec(
            select(Referral).where(
                Referral.household_id == self.household.id,
                Referral.visit_id == visit.id,
                Referral.naam == mine.naam,
                Referral.wijk == mine.wijk,
            )
        ).first()
        assert referral is not None
        referral.soort, referral.contact = theirs.soort, theirs.contact
        referral.state, referral.reason = theirs.state, theirs.reason
        referral.themes, referral.updated_at = ",".join(theirs.themes), theirs.updated_at
        self.session.add(referral)
        self._events(referral, theirs, known=referral_steps(mine, ours))
