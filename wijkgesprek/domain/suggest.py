"""Which entries of the network fit this household, best first, and why.

Plain functions on content objects: no Textual, no SQL. The same ranking is
used by the visit screen and by ``wijkgesprek suggesties``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from wijkgesprek.content.model import ALL_WIJKEN, Entry, Network, NetworkGuide
from wijkgesprek.domain.household import Children, current_ages
from wijkgesprek.domain.network_map import Person, is_thin, uncovered_themes
from wijkgesprek.domain.wijk import wijk_key
from wijkgesprek.text import fold

STALE_AFTER = timedelta(days=365)

LEGACY_GROUP_YEARS: Mapping[str, tuple[int, int]] = {
    "0-4": (0, 4),
    "4-12": (4, 12),
    "12-18": (12, 18),
    "18+": (18, 120),
}
"""The old age groups (``domain.household.LEGACY_AGE_GROUPS``) as inclusive years."""

ADULT = 18
INFORMAL_FIRST = 6.0
"""What an informal offer gains when the family's own network does not help with its
theme (or is thin): more than a fitting age or wijk, less than a theme."""


@dataclass(frozen=True)
class Suggestion:
    entry: Entry
    score: float
    reason: str
    """One line, e.g. "thema geldzorgen · in uw wijk · gratis"."""
    stale: bool
    matched: tuple[str, ...]
    """Theme ids of the household that this entry is for."""
    preferred: bool = False
    """An informal offer put first: the family's own network does not help with it."""


def ages_of(children: Children, today: date) -> tuple[tuple[int, int], ...]:
    """The children's ages as inclusive year ranges, as the sociale kaart's ``leeftijd``:
    each child's age today, a pregnancy as 0, old age groups as they were recorded
    (empty: no children, or only children elsewhere whose ages are not known)."""
    ages = [(age, age) for age in current_ages(children, today)]
    ages += [LEGACY_GROUP_YEARS[group] for group in children.legacy if group in LEGACY_GROUP_YEARS]
    if children.pregnant:
        ages.append((0, 0))  # a baby on the way: offers for the youngest fit
    return tuple(ages)


def is_stale(entry: Entry, today: date) -> bool:
    return today - entry.laatst_gecontroleerd > STALE_AFTER


def _in_wijk(entry: Entry, wijk: str) -> bool:
    return entry.wijk == ALL_WIJKEN or wijk_key(entry.wijk) == wijk_key(wijk)


def _age_fit(entry: Entry, ages: Sequence[tuple[int, int]] | None) -> bool | None:
    """True: made for these ages; None: for any age; False: not for this household."""
    if entry.ages is None or ages is None:
        return None
    low, high = entry.ages
    if not ages:  # no children: only offers that include adults
        return None if high >= ADULT else False
    if any(low <= top and bottom <= high for bottom, top in ages):
        return True
    return None if high >= ADULT else False


def fits(entry: Entry, *, wijk: str, ages: Sequence[tuple[int, int]] | None) -> bool:
    return _in_wijk(entry, wijk) and _age_fit(entry, ages) is not False


def _years(span: tuple[int, int]) -> str:
    low, high = span
    if high >= 120:
        return f"{low}+ jaar"
    return f"{low} jaar" if low == high else f"{low}–{high} jaar"


def suggest(
    network: Network,
    *,
    themes: Sequence[str],
    wijk: str,
    ages: Sequence[tuple[int, int]] | None,
    today: date,
    theme_names: Mapping[str, str] | None = None,
    informal_for: Sequence[str] = (),
    informal_always: bool = False,
) -> list[Suggestion]:
    """Entries for the tagged ``themes`` in ``wijk`` (or for all wijken) that fit the
    children's ``ages`` (None: unknown), best first.

    With no themes tagged yet, every entry in the wijk is listed (alphabetically),
    so the professional can still find something by filtering. Informal offers (``informeel:
    ja``) come first for the themes in ``informal_for`` (no one on the netwerkkaart helps
    with them), or for every theme with ``informal_always`` (a thin informal network).
    """
    names = theme_names or {}
    wanted = list(dict.fromkeys(themes))
    found: list[Suggestion] = []
    for entry in network.entries:
        if not fits(entry, wijk=wijk, ages=ages):
            continue
        matched = tuple(theme for theme in wanted if theme in entry.themes)
        if wanted and not matched:
            continue
        parts: list[str] = []
        score = 10.0 * len(matched)
        if matched:
            label = "thema" if len(matched) == 1 else "thema's"
            parts.append(f"{label} " + ", ".join(names.get(t, t) for t in matched))
        preferred = entry.informal and (informal_always or bool(set(matched) & set(informal_for)))
        if preferred:
            parts.append("informeel")
            score += INFORMAL_FIRST
        if entry.wijk == ALL_WIJKEN:
            parts.append("hele gemeente")
            score += 1
        else:
            parts.append("in uw wijk")
            score += 3
        if _age_fit(entry, ages) and entry.ages is not None:
            parts.append(f"voor {_years(entry.ages)}")
            score += 2
        if entry.free:
            parts.append("gratis")
            score += 0.5
        elif "regeling" in entry.kosten.casefold():
            parts.append("via regeling")
        stale = is_stale(entry, today)
        if stale:
            parts.append("niet recent gecontroleerd")
            score -= 1
        found.append(Suggestion(entry, score, " · ".join(parts), stale, matched, preferred))
    found.sort(key=lambda s: (-s.score, s.entry.naam.casefold()))
    return found


def gaps(
    network: Network,
    *,
    themes: Sequence[str],
    wijk: str,
    ages: Sequence[tuple[int, int]] | None,
) -> tuple[str, ...]:
    """The tagged themes for which nothing in the network fits this household in its wijk."""
    usable = [entry for entry in network.entries if fits(entry, wijk=wijk, ages=ages)]
    return tuple(
        theme
        for theme in dict.fromkeys(themes)
        if not any(theme in entry.themes for entry in usable)
    )


def matches_filter(suggestion: Suggestion, text: str) -> bool:
    """Every word typed occurs in the entry's name, or starts a word of its description,
    group, kind or reason ("taal" finds "Taalcafé" and "taal", not "betaalt")."""
    entry = suggestion.entry
    name = fold(entry.naam)
    words = (
        fold(" ".join((entry.beschrijving, entry.group, entry.soort, suggestion.reason)))
        .replace("·", " ")
        .split()
    )
    return all(
        typed in name or any(word.startswith(typed) for word in words)
        for typed in fold(text).split()
    )


@dataclass(frozen=True)
class Offer:
    """What the sociale kaart has for a household: suggestions, and the themes it has
    nothing for (gaps)."""

    suggestions: tuple[Suggestion, ...]
    gaps: tuple[str, ...]
    why: str = ""
    """Why informal offers come first (one Dutch line), or empty."""


def informal_reason(
    uncovered: Sequence[str], thin: bool, guide: NetworkGuide, theme_names: Mapping[str, str]
) -> str:
    """ "Informeel aanbod eerst: niemand op de netwerkkaart helpt met gezelschap
    (eenzaamheid)."; ``""`` when there is no reason."""
    parts = []
    if uncovered:
        kinds = [
            kind.naam[:1].lower() + kind.naam[1:]
            for kind in guide.helps
            if set(kind.themes) & set(uncovered)
        ]
        themes = ", ".join(theme_names.get(t, t).lower() for t in uncovered)
        parts.append(f"niemand op de netwerkkaart helpt met {' of '.join(kinds)} ({themes})")
    if thin:
        parts.append("het informele netwerk is dun")
    return f"Informeel aanbod eerst: {' en '.join(parts)}." if parts else ""


def offer(
    network: Network,
    *,
    themes: Sequence[str],
    wijk: str,
    ages: Sequence[tuple[int, int]] | None,
    today: date,
    theme_names: Mapping[str, str],
    people: Sequence[Person] | None = None,
    network_guide: NetworkGuide | None = None,
) -> Offer:
    """Suggestions and gaps at once: the F9 panel and ``wijkgesprek suggesties`` alike.
    With the visit's netwerkkaart (``people``; None: no map), informal offers come first
    for themes no one on it helps with, or for all when its informal network is thin."""
    uncovered: tuple[str, ...] = ()
    thin = False
    if people is not None and network_guide is not None:
        uncovered = uncovered_themes(themes, people, network_guide)
        thin = is_thin(people)
    found = suggest(
        network,
        themes=themes,
        wijk=wijk,
        ages=ages,
        today=today,
        theme_names=theme_names,
        informal_for=uncovered,
        informal_always=thin,
    )
    why = ""
    if network_guide is not None and any(suggestion.preferred for suggestion in found):
        why = informal_reason(uncovered, thin, network_guide, theme_names)
    return Offer(
        suggestions=tuple(found),
        gaps=gaps(network, themes=themes, wijk=wijk, ages=ages),
        why=why,
    )
