"""The reflection at the end of a practice conversation (pure: no screens, no database).

:func:`reflect` looks back at one attempt: the trainee's questions and what the family
answered (the turns), the notes, and the safety trail of the visit. Everything counts
from what happened, never from what the trainee wrote down: a hidden fact is *found*
only when the family told it in a turn. It shows the topics touched (and skipped, once),
the share of open and closed questions, the doorvragen per topic, the labels and forms
of "moeten" with the sentence they were in, whose voices were heard, whether dreams and
hopes and the scaling question were asked, whether a kindcheck "zorgen" was followed by
the Meldcode, whether a next contact was set, and for a case with a network: who of it
the family told about, who was put on the attempt's netwerkkaart (a map person whose role
holds the case's role as a whole word) and who could do more; :func:`reflection_markdown`
gives each one line of why it matters (:data:`WHY`, from the seed pages).

Words and labels are counted as whole words only ("moet" does not count in "ontmoeting").
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from wijkgesprek.content.model import (
    REQUIRED_TOPICS,
    CaseNetworkPerson,
    HiddenFact,
    PracticeCase,
    Words,
)
from wijkgesprek.domain.asking import CLOSED, OPEN, OTHER, read_question, sentences_with
from wijkgesprek.domain.household import describe_children
from wijkgesprek.domain.network_map import Person as MapPerson
from wijkgesprek.domain.practice import (
    ABSENT,
    ANSWERED,
    FACT,
    GUARDED,
    JUDGED,
    NETWORK,
    NOT_UNDERSTOOD,
    SCALE,
    SCALE_REASON,
    Turn,
    has_interpreter,
    is_doorvraag,
    questions,
    topics_asked,
)
from wijkgesprek.domain.safety import ASSESS, CONSULT, STEP, SafetyEntry, current, kindcheck_outcome
from wijkgesprek.domain.safety import SCALE as SAFETY_SCALE
from wijkgesprek.domain.visit import (
    AGREEMENTS_TOPIC,
    NETWORK_TOPIC,
    SAFETY_TOPIC,
    VisitRecord,
    is_touched,
)
from wijkgesprek.text import fold

WHY: Mapping[str, str] = {
    "onderwerpen": "Verbreed je blik: stress, netwerk, dromen en veiligheid horen er allemaal "
    "bij; een schuldprobleem los je niet op met jeugdhulp.",
    "vragen": "Met open vragen zoekt u samen met het gezin uit wat de oorzaken zijn; het gezin "
    "houdt de regie en u denkt mee. Een gesloten vraag geeft alleen ja of nee.",
    "doorvragen": "Doorvragen op wat iemand zelf vertelde, brengt boven wat een gezin niet "
    "meteen zegt, zonder meteen in de oplossingenstand te schieten.",
    "woorden": "Kies je woorden: hoe vaak zegt u 'moeten'? Labels en diagnoses kleuren het "
    "gesprek en geven mensen het gevoel dat ze beoordeeld worden.",
    "stemmen": "Vraag je af wie gehoord is: 'Luister beter naar ons' is de belangrijkste wens "
    "van ervaringsdeskundigen; ook het kind heeft een stem.",
    "dromen": "Maak ruimte voor dromen en hoop: niet alleen over problemen praten geeft "
    "perspectief, iets om samen stap voor stap naar toe te werken.",
    "schaal": "Een schaalvraag aan ieder apart helpt de veiligheid systematisch in te "
    "schatten, niet op gevoel alleen; de reden van het cijfer laat zien wat er goed gaat.",
    "kindcheck": "Maak bij problemen van volwassenen altijd een inschatting van de veiligheid "
    "van de kinderen, ook als er geen duidelijke kindsignalen zijn (kindcheck).",
    "meldcode": "Werken volgens de Meldcode huiselijk geweld en kindermishandeling is "
    "verplicht: bij zorgen volgt u de stappen, met een collega en zo nodig Veilig Thuis.",
    "contact": "Laat het gezin niet los als u zich zorgen maakt: spreek een volgend contact af.",
    "feiten": "Wat een gezin niet meteen vertelt, hoort u door open door te vragen bij "
    "degene die erover begon, op het onderwerp dat die zelf opende.",
    "netwerk": "Betrek de omgeving: vraag wie het belangrijk vindt dat het goed gaat met het "
    "gezin en wie zou willen meedenken. Op de netwerkkaart ziet u samen met het gezin wie "
    "helpt en wie meer zou kunnen doen.",
}
"""One line of why per part of the reflection (after the seed pages)."""


@dataclass(frozen=True)
class WordCount:
    word: str
    count: int


@dataclass(frozen=True)
class Judging:
    """A label or a form of "moeten", with the sentence it was in."""

    word: str
    sentence: str
    topic: str
    in_question: bool
    """In a question to the family (else in the trainee's note)."""


@dataclass(frozen=True)
class Reflection:
    touched: tuple[str, ...]
    """Topic ids touched, in guide order."""
    skipped: tuple[str, ...]
    """Required or good-conversation topics not touched, in guide order (once)."""
    asked: int
    """Questions asked."""
    forms: Mapping[str, int]
    """Questions per form (open, gesloten, overig)."""
    doorvragen: tuple[tuple[str, int], ...]
    """(topic, number of doorvragen) for every topic asked about, in guide order."""
    guarded: int
    """Answers given while feeling judged or guarded."""
    judging: tuple[Judging, ...]
    moeten: tuple[WordCount, ...]
    labels: tuple[WordCount, ...]
    voices_heard: tuple[str, ...]
    """Person ids who answered a question, in the case's order."""
    voices_not_heard: tuple[str, ...]
    absent_asked: tuple[str, ...]
    """Absent persons the trainee tried to ask."""
    not_understood: tuple[str, ...]
    """Persons asked without the interpreter they needed."""
    interpreter: bool
    dreams_asked: bool
    scaling: tuple[tuple[str, int], ...]
    """(person, number) for each person who gave a number."""
    scale_reasons: tuple[str, ...]
    """Persons asked for the reason of their number."""
    scaling_recorded: bool
    """Scaling numbers were recorded in the safety check."""
    kindcheck_needed: bool
    kindcheck: str | None
    """The kindcheck outcome recorded (``zorgen``, …) or None."""
    meldcode_steps: tuple[str, ...]
    """Meldcode steps started or done ("1".."5")."""
    meldcode_consulted: bool
    meldcode_assessed: bool
    next_contact: bool
    facts_found: tuple[HiddenFact, ...]
    facts_missed: tuple[HiddenFact, ...]
    suggestions_used: tuple[str, ...]
    network_found: tuple[CaseNetworkPerson, ...] = ()
    """The case's network people the family told about, in the case's order."""
    network_mapped: tuple[CaseNetworkPerson, ...] = ()
    """The case's network people on the attempt's netwerkkaart."""
    network_marked_more: tuple[CaseNetworkPerson, ...] = ()
    """Of those on the map: the ones marked there as could or would do more."""
    map_size: int | None = None
    """People on the attempt's netwerkkaart; None: no map was made."""

    @property
    def network_mapped_at_all(self) -> bool:
        """Anyone is on the attempt's netwerkkaart."""
        return bool(self.map_size)

    @property
    def kindcheck_done(self) -> bool:
        return self.kindcheck not in (None, "niet-gedaan")

    @property
    def meldcode_followed(self) -> bool | None:
        """After a kindcheck "zorgen": whether the Meldcode was followed; else None."""
        if self.kindcheck != "zorgen":
            return None
        return bool(self.meldcode_steps or self.meldcode_consulted or self.meldcode_assessed)

    @property
    def moeten_total(self) -> int:
        return sum(item.count for item in self.moeten)

    @property
    def labels_total(self) -> int:
        return sum(item.count for item in self.labels)

    @property
    def safety_facts_missed(self) -> tuple[HiddenFact, ...]:
        return tuple(fact for fact in self.facts_missed if fact.soort == "veiligheid")


def _word_pattern(word: str) -> re.Pattern[str]:
    words = [re.escape(part) for part in fold(word).split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)")


def count_words(words: Sequence[str], texts: Sequence[str]) -> tuple[WordCount, ...]:
    """How often each word occurs as a whole word in ``texts``; only words found, in order."""
    folded = [fold(text) for text in texts]
    counts = []
    for word in words:
        if not word.strip():
            continue
        pattern = _word_pattern(word)
        count = sum(len(pattern.findall(text)) for text in folded)
        if count:
            counts.append(WordCount(word, count))
    return tuple(counts)


def _guide_order(case: PracticeCase, touched: Collection[str]) -> list[str]:
    order = list(REQUIRED_TOPICS)
    order += [topic for topic in case.goed_gesprek if topic not in order]
    order += [topic for topic in sorted(touched) if topic not in order]
    return order


def reflect(
    case: PracticeCase,
    words: Words,
    *,
    notes: Mapping[str, str],
    turns: Sequence[Turn],
    touched: Collection[str],
    entries: Sequence[SafetyEntry],
    next_contact: bool,
    suggestions_used: Sequence[str],
    network_map: Sequence[MapPerson] | None = None,
) -> Reflection:
    """Look back at an attempt (see the module docstring). ``turns``: the questions and
    answers in order; ``touched``: the topics written in, recorded or asked about;
    ``network_map``: the attempt's netwerkkaart (None: none was made)."""
    asked = questions(turns)
    touched_set = set(touched)
    order = _guide_order(case, touched_set)
    readings = [read_question(turn.question, words) for turn in asked]
    forms = {form: sum(1 for r in readings if r.form == form) for form in (OPEN, CLOSED, OTHER)}
    doorvragen = [asked[i] for i in range(len(asked)) if is_doorvraag(asked, i, words)]
    asked_topics = {turn.topic for turn in asked}

    answered = [turn for turn in asked if turn.kind in ANSWERED]
    heard = {turn.voice for turn in answered}
    texts = [(turn.topic, turn.question, True) for turn in asked]
    texts += [(topic, text, False) for topic, text in sorted(notes.items()) if text.strip()]
    judging = [
        Judging(word, sentence, topic, in_question)
        for topic, text, in_question in texts
        for word, sentence in sentences_with((*words.labels, *words.moeten), text)
    ]
    told = {turn.number for turn in turns if turn.kind == FACT}
    network_told = {turn.number for turn in turns if turn.kind == NETWORK}
    on_map = {
        index: found
        for index, someone in enumerate(case.netwerk)
        if (found := map_person(someone, network_map or ())) is not None
    }
    scaled = {turn.voice: turn.number for turn in answered if turn.kind == SCALE}
    reasons = {turn.voice for turn in answered if turn.kind == SCALE_REASON}
    outcome = kindcheck_outcome(entries)
    steps = tuple(sorted(k for k, e in current(entries, STEP).items() if e.value != "open"))
    used: list[str] = []
    for suggestion in suggestions_used:
        if suggestion.strip() and suggestion.strip() not in used:
            used.append(suggestion.strip())
    return Reflection(
        touched=tuple(topic for topic in order if topic in touched_set),
        skipped=tuple(
            topic
            for topic in order
            if topic not in touched_set and (topic in REQUIRED_TOPICS or topic in case.goed_gesprek)
        ),
        asked=len(asked),
        forms=forms,
        doorvragen=tuple(
            (topic, sum(1 for turn in doorvragen if turn.topic == topic))
            for topic in order
            if topic in asked_topics
        ),
        guarded=sum(1 for turn in answered if turn.kind in (JUDGED, GUARDED)),
        judging=tuple(judging),
        moeten=count_words(words.moeten, [text for _, text, _ in texts]),
        labels=count_words(words.labels, [text for _, text, _ in texts]),
        voices_heard=tuple(person for person in case.stemmen if person in heard),
        voices_not_heard=tuple(person for person in case.stemmen if person not in heard),
        absent_asked=_in_order(case, {t.voice for t in asked if t.kind == ABSENT}),
        not_understood=_in_order(case, {t.voice for t in asked if t.kind == NOT_UNDERSTOOD}),
        interpreter=has_interpreter(turns),
        dreams_asked=any(
            turn.topic == "dromen" or reading.dreams
            for turn, reading in zip(asked, readings, strict=True)
            if turn.kind in ANSWERED
        ),
        scaling=tuple((person, scaled[person]) for person in case.stemmen if person in scaled),
        scale_reasons=_in_order(case, reasons),
        scaling_recorded=bool(current(entries, SAFETY_SCALE)),
        kindcheck_needed=case.huishouden.children.any,
        kindcheck=outcome.value if outcome is not None else None,
        meldcode_steps=steps,
        meldcode_consulted=bool(current(entries, CONSULT)),
        meldcode_assessed=bool(current(entries, ASSESS)),
        next_contact=next_contact,
        facts_found=tuple(fact for i, fact in enumerate(case.verborgen) if i in told),
        facts_missed=tuple(fact for i, fact in enumerate(case.verborgen) if i not in told),
        suggestions_used=tuple(used),
        network_found=tuple(p for i, p in enumerate(case.netwerk) if i in network_told),
        network_mapped=tuple(p for i, p in enumerate(case.netwerk) if i in on_map),
        network_marked_more=tuple(
            p for i, p in enumerate(case.netwerk) if i in on_map and on_map[i].more
        ),
        map_size=None if network_map is None else len(network_map),
    )


def map_person(someone: CaseNetworkPerson, people: Sequence[MapPerson]) -> MapPerson | None:
    """The person on the netwerkkaart who is ``someone`` of the case: the case's role as a
    whole word in the map's role, any case ("zus" is on the map as "zus van moeder")."""
    pattern = _word_pattern(someone.rol)
    return next((person for person in people if pattern.search(fold(person.role))), None)


def reflect_attempt(
    case: PracticeCase,
    words: Words,
    *,
    record: VisitRecord,
    entries: Sequence[SafetyEntry],
    turns: Sequence[Turn],
) -> Reflection:
    """The reflection on one attempt, from what was recorded in its visit. A topic counts
    as touched when something was written or recorded for it (as in a real visit: the
    netwerkkaart made in it touches the network) or when the family was asked about it."""
    candidates = {*record.notes, SAFETY_TOPIC, AGREEMENTS_TOPIC, NETWORK_TOPIC}
    touched = {topic for topic in candidates if is_touched(topic, record)}
    return reflect(
        case,
        words,
        notes={topic: note.text for topic, note in record.notes.items()},
        turns=turns,
        touched=touched | topics_asked(turns),
        entries=entries,
        next_contact=record.next_contact is not None,
        suggestions_used=[r.naam for r in record.referrals if r.visit_id == record.id],
        network_map=record.network,
    )


def _in_order(case: PracticeCase, persons: Collection[str]) -> tuple[str, ...]:
    return tuple(person for person in case.stemmen if person in persons)


# -- Markdown ------------------------------------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]#<>&])")
_LEADING_NUMBER = re.compile(r"^(\d+)([.)])")


def escape_markdown(text: str) -> str:
    """User text as one literal Markdown line: specials backslash-escaped, no list start."""
    line = " ".join(text.split())
    line = _MARKDOWN_SPECIAL.sub(r"\\\1", line)
    if line.startswith(("-", "+")):
        line = "\\" + line
    return _LEADING_NUMBER.sub(r"\1\\\2", line)


def _topics(topics: Sequence[str], titles: Mapping[str, str]) -> str:
    names = [escape_markdown(titles.get(topic, topic)) for topic in topics]
    return ", ".join(names) if names else "geen"


def _times(count: int) -> str:
    return "1 keer" if count == 1 else f"{count} keer"


def _who(case: PracticeCase, persons: Sequence[str]) -> str:
    names = []
    for person_id in persons:
        person = case.person(person_id)
        names.append(escape_markdown(person.wie if person else person_id))
    return ", ".join(names) if names else "niemand"


def _why(key: str) -> list[str]:
    return ["", f"*Waarom: {WHY[key]}*"]


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "0%"


def reflection_markdown(
    case: PracticeCase, reflection: Reflection, *, titles: Mapping[str, str]
) -> str:
    """The reflection as a Dutch Markdown document (ends with a newline). ``titles``: the
    guide's topic titles by id, so the report names the topics as the guide in use does."""
    r = reflection
    household = case.huishouden
    lines = [
        f"# Reflectie oefengesprek: {escape_markdown(case.titel)}",
        "",
        f"Oefencasus {escape_markdown(household.code)}, wijk {escape_markdown(household.wijk)}, "
        f"kinderen: {escape_markdown(describe_children(household.children))}"
        + (", met tolk." if r.interpreter else "."),
        "",
        "## Onderwerpen",
        "",
        f"- Besproken: {_topics(r.touched, titles)}",
        f"- Overgeslagen: {_topics(r.skipped, titles)}",
        *_why("onderwerpen"),
    ]
    lines += ["", "## Vragen", ""]
    if r.asked:
        open_, closed, other = (r.forms.get(form, 0) for form in (OPEN, CLOSED, OTHER))
        lines.append(
            f"U stelde {r.asked} {'vraag' if r.asked == 1 else 'vragen'}: {open_} open "
            f"({_percent(open_, r.asked)}), {closed} gesloten ({_percent(closed, r.asked)})"
            + (f" en {other} niet open of gesloten." if other else ".")
        )
        counts = [f"{escape_markdown(titles.get(t, t))} {n}" for t, n in r.doorvragen]
        lines += ["", f"Doorvragen per onderwerp: {', '.join(counts)}."]
        if r.guarded:
            lines += [
                "",
                f"{_times(r.guarded).capitalize()} antwoordde iemand op zijn hoede, na een "
                "label, een 'moet', een 'waarom' of een sturende vraag.",
            ]
    else:
        lines.append("U stelde het gezin geen vragen (F5).")
    lines += [*_why("vragen"), *_why("doorvragen")]
    lines += ["", "## Woordkeuze", ""]
    lines.append(
        f"U gebruikte {_times(r.moeten_total)} een vorm van 'moeten' en "
        f"{_times(r.labels_total)} een label of diagnose."
    )
    if r.judging:
        lines.append("")
        for item in r.judging:
            where = "uw vraag" if item.in_question else "uw aantekening"
            topic = escape_markdown(titles.get(item.topic, item.topic))
            lines.append(
                f"- '{escape_markdown(item.word)}' in {where} ({topic}): "
                f"{escape_markdown(item.sentence)}"
            )
    lines += _why("woorden")
    lines += ["", "## Stemmen", ""]
    absent = [p.id for p in case.personen if not p.aanwezig]
    lines.append(f"- Gehoord: {_who(case, r.voices_heard)}")
    not_heard = [person for person in r.voices_not_heard if person not in absent]
    lines.append(f"- Niet gehoord: {_who(case, not_heard)}")
    if absent:
        lines.append(f"- Niet bij het gesprek: {_who(case, absent)}; spreek af hoe u hen hoort.")
    if r.not_understood:
        lines.append(f"- Zonder tolk niet verstaan: {_who(case, r.not_understood)}")
    lines += _why("stemmen")
    lines += ["", "## Dromen en hoop", ""]
    lines.append(
        "U heeft gevraagd naar dromen en hoop."
        if r.dreams_asked
        else "U heeft niet gevraagd naar dromen en hoop. Wat hoopt het gezin voor zichzelf?"
    )
    lines += _why("dromen")
    lines += ["", "## Schaalvraag", ""]
    if r.scaling:
        given = ", ".join(f"{_who(case, [p])} {n}" for p, n in r.scaling)
        lines.append(f"- Gesteld; de cijfers: {given}.")
        lines.append(
            f"- Gevraagd naar de reden van het cijfer: {_who(case, r.scale_reasons)}."
            if r.scale_reasons
            else "- U vroeg niemand waarom het dat cijfer is en geen lager."
        )
    else:
        lines.append("- U heeft de schaalvraag (0 tot 10) aan niemand gesteld.")
    if r.scaling_recorded:
        lines.append("- De cijfers staan in de veiligheidscheck.")
    lines += _why("schaal")
    lines += ["", "## Kindcheck en meldcode", ""]
    if r.kindcheck is not None:
        lines.append(f"De kindcheck is gedaan: {_OUTCOMES.get(r.kindcheck, r.kindcheck)}.")
    elif r.kindcheck_needed:
        lines.append("De kindcheck is niet gedaan, terwijl er kinderen in beeld zijn.")
    else:
        lines.append("De kindcheck is niet gedaan.")
    lines += _why("kindcheck")
    followed = r.meldcode_followed
    if followed is not None:
        lines.append("")
        if followed:
            done = [f"stap {step}" for step in r.meldcode_steps]
            if r.meldcode_consulted:
                done.append("overleg")
            if r.meldcode_assessed:
                done.append("het afwegingskader")
            lines.append(f"Na 'zorgen' volgde u de meldcode: {', '.join(done)}.")
        else:
            lines.append("Na 'zorgen' volgde u de meldcode niet (F10, onderdeel 5).")
        lines += _why("meldcode")
    lines += ["", "## Volgend contact", ""]
    lines.append(
        "Er is een volgend contact afgesproken."
        if r.next_contact
        else "Er is geen volgend contact afgesproken (F4)."
    )
    lines += _why("contact")
    lines += ["", "## Verborgen feiten", "", f"### Gevonden ({len(r.facts_found)})", ""]
    lines += [f"- {escape_markdown(fact.feit)}" for fact in r.facts_found] or ["Geen."]
    lines += ["", f"### Gemist ({len(r.facts_missed)})", ""]
    for fact in r.facts_missed:
        mark = " (veiligheid)" if fact.soort == "veiligheid" else ""
        topic = _topics([fact.onderwerp], titles)
        who = f"; weet: {_who(case, fact.wie)}" if fact.wie else ""
        lines.append(f"- {escape_markdown(fact.feit)}{mark} (onderwerp: {topic}{who})")
    if not r.facts_missed:
        lines.append("Geen.")
    lines += _why("feiten")
    if case.netwerk:
        lines += ["", "## Netwerk", "", *_network_lines(case, r), *_why("netwerk")]
    lines += ["", "## Netwerksuggesties", ""]
    lines += [f"- {escape_markdown(name)}" for name in r.suggestions_used] or [
        "Geen netwerksuggesties gebruikt."
    ]
    return "\n".join(lines) + "\n"


def _roles(people: Sequence[CaseNetworkPerson]) -> str:
    return ", ".join(escape_markdown(person.rol) for person in people) or "niemand"


def _network_lines(case: PracticeCase, r: Reflection) -> list[str]:
    """Who of the case's network was found by asking, who is on the map, who could do more."""
    everyone = case.netwerk
    missed = [p for p in everyone if p not in r.network_found]
    lines = [f"- Door te vragen gevonden ({len(r.network_found)} van {len(everyone)}): "
             f"{_roles(r.network_found)}."]  # fmt: skip
    for person in missed:
        who = f" (weet: {_who(case, person.wie)})" if person.wie else ""
        lines.append(f"- Niet gevonden: {escape_markdown(person.rol)}{who}.")
    lines.append("")
    if not r.network_mapped_at_all:
        lines.append("Het netwerk is niet in kaart gebracht: de netwerkkaart (Ctrl+N) is leeg.")
    else:
        unmapped = [p for p in everyone if p not in r.network_mapped]
        lines.append(
            f"Het netwerk is in kaart gebracht: {len(r.network_mapped)} van de "
            f"{len(everyone)} mensen om het gezin staan op de netwerkkaart."
        )
        lines.append(f"- Op de kaart: {_roles(r.network_mapped)}.")
        if unmapped:
            lines.append(f"- Niet op de kaart: {_roles(unmapped)}.")
    more = [p for p in everyone if p.kan_meer]
    if more:
        lines.append("")
        lines.append("Wie zou meer kunnen doen, als iemand het vraagt:")
        for person in more:
            lines.append(f"- {escape_markdown(person.rol)}: {_more_text(person, r)}")
    return lines


def _more_text(person: CaseNetworkPerson, r: Reflection) -> str:
    if person not in r.network_found:
        return "niet gevonden. Vraag ook wie zou willen meedenken."
    if person in r.network_marked_more:
        return "gevonden, en op de kaart staat dat die meer wil doen."
    if person in r.network_mapped:
        return "gevonden, maar op de kaart staat niet dat die meer zou willen doen."
    return "gevonden, maar niet op de kaart gezet."


_OUTCOMES = {
    "geen-zorgen": "geen zorgen",
    "aandachtspunt": "aandachtspunt",
    "zorgen": "zorgen",
    "niet-gedaan": "niet gedaan",
}
