"""The reflection of a practice attempt as a Dutch Markdown document, each part with one
line of why it matters (:data:`WHY`, after the seed pages). Pure: no screens, no database;
the looking back itself is :mod:`wijkgesprek.domain.reflection`."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from wijkgesprek.content.model import CaseNetworkPerson, PracticeCase
from wijkgesprek.domain.asking import CLOSED, OPEN, OTHER
from wijkgesprek.domain.household import describe_children
from wijkgesprek.domain.reflection import Reflection

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
            f"{len(everyone)} mensen om het gezin "
            f"{'staat' if len(r.network_mapped) == 1 else 'staan'} op de netwerkkaart."
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
