"""Wijk trends as text: an aligned table with bar charts, tidy CSV, and a Markdown report.

Pure functions on ``domain.trends.Trends``, which holds only suppressed figures: no
household code, no date of a visit, no note text can reach these outputs, because
they never get them. Wijk and theme names are shown literally (control characters made
visible; Markdown and spreadsheet formulas escaped).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from wijkgesprek.choices import did_you_mean
from wijkgesprek.domain import trends as t
from wijkgesprek.text import visible

BAR = "█"
BAR_WIDTH = 24
CHANGE_WIDTH = 12
NOT_SHOWN = "—"
CHANGE_PREFIX = "verandering_pct:"

INCOMPLETE = "*"
LEGEND = (
    f"{t.SUPPRESSED} = 0 tot en met 4 · {t.HIDDEN} = 5 of meer, weggelaten zodat geen "
    f"weggelaten aantal terug te rekenen is · {INCOMPLETE} = de periode is nog niet om"
)
SECTIONS = (
    ("thema:", "Thema's (huishoudens)"),
    ("verwijzing:", "Verwijzingen (aantal, naar uitkomst)"),
    ("gat:", "Gaten in het aanbod (huishoudens)"),
)


@dataclass(frozen=True)
class Report:
    """What to write: the figures, which wijken, and how to name things."""

    trends: t.Trends
    title: str
    """The period in words, e.g. "per kwartaal, 2025-K2 t/m 2026-K1"."""
    comparison: bool = False
    wijken: tuple[str, ...] = ()
    """Only these groups (by name, any case); empty: every group and "alle wijken"."""
    theme_names: Mapping[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    """Said first, e.g. that --van/--tot became whole periods."""

    def groups(self) -> list[str]:
        shown = self.trends.groups()
        if not self.wijken:
            return list(shown)
        wanted = {w.casefold() for w in self.wijken}
        return [g for g in shown if g.casefold() in wanted]

    def warnings(self) -> list[str]:
        """Notes for the reader: periods of unequal length, wijken that are never shown."""
        shown = self.trends.groups()
        notes = list(self.notes)
        members = self.trends.members()
        merged = {w.casefold(): w for w in members.get(t.OTHERS, ())}
        for wijk in self.missing():
            if wijk.casefold() in merged:
                notes.append(
                    f"{visible(merged[wijk.casefold()])} staat niet apart: de wijk telt mee "
                    f"bij {t.OTHERS} en bij {t.ALL}."
                )
                continue
            # Only groups that are shown anyway are offered: a hint never tells whether a
            # wijk had visits.
            hint = did_you_mean(wijk, shown)
            notes.append(
                f"{visible(wijk)} staat niet apart (geen wijk met bezoeken van minstens "
                f"{t.MIN_COUNT} huishoudens){f'; {hint}' if hint else '.'}"
            )
        if t.OTHERS in members and (not self.wijken or t.OTHERS in self.groups()):
            notes.append(
                f"{t.OTHERS.capitalize()}: "
                + ", ".join(visible(w) for w in members[t.OTHERS])
                + f" (samen, in alle perioden; elk minder dan {t.MIN_COUNT} huishoudens, "
                "of samen aangevuld tot genoeg)."
            )
        open_spans = [f.span.label for f in self.trends.figures if not f.complete]
        if open_spans:
            notes.append(
                f"Nog niet om: {', '.join(open_spans)} ({INCOMPLETE}); de cijfers kunnen nog "
                "stijgen."
            )
            if self.comparison:
                notes.append(
                    "Geen verandering in procenten: een periode die nog niet om is, is niet "
                    "te vergelijken."
                )
        if not self.trends.groups():
            notes.append(
                f"Niets te tonen: in deze perioden zijn minder dan {t.MIN_COUNT} huishoudens "
                "bezocht (of geen)."
            )
        spans = [f.span for f in self.trends.figures]
        if self.comparison and len({s.months for s in spans}) > 1:
            lengths = " en ".join(str(s.months) for s in spans)
            notes.append(
                f"Let op: de perioden zijn niet even lang ({lengths} maanden); vergelijk "
                "aantallen daarom met zorg."
            )
        return notes

    def missing(self) -> list[str]:
        """Asked-for wijken that are in no period shown separately."""
        shown = {g.casefold() for g in self.trends.groups()}
        return [w for w in self.wijken if w.casefold() not in shown]


# -- words and numbers -----------------------------------------------------------------------


def measure_label(measure: str, names: Mapping[str, str]) -> str:
    fixed = {
        t.VISITS: "bezoeken",
        t.HOUSEHOLDS: "huishoudens",
        t.CONCERNS: "bezoeken met zorgen over veiligheid",
        t.CONCERN_SHARE: "aandeel bezoeken met zorgen",
        t.THIN: "huishoudens met een dun informeel netwerk",
    }
    if measure in fixed:
        return fixed[measure]
    kind, _, rest = measure.partition(":")
    if kind == "verwijzing":
        soort, _, outcome = rest.partition(":")
        return visible(f"{soort}, {outcome}")
    return visible(names.get(rest, rest))


def value_text(value: t.Value | None) -> str:
    """A figure in Dutch: 12, 13,5%, <5, x, or — (group not shown)."""
    if value is None:
        return NOT_SHOWN
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",") + "%"
    return str(value)


def change_text(value: float | None) -> str:
    if value is None:
        return ""
    return (f"{value:+.1f}" if value else "0.0").replace(".", ",") + "%"


def bar(value: t.Value | None, top: int, width: int = BAR_WIDTH) -> str:
    """A bar of █ for a shown count (nothing for "<5", "x" or not shown)."""
    if not isinstance(value, int) or isinstance(value, bool) or top <= 0:
        return ""
    return BAR * max(1 if value else 0, round(value / top * width))


def change_bar(value: float | None, top: float, width: int = CHANGE_WIDTH) -> str:
    """A bar around a middle line: a decrease to the left, an increase to the right."""
    if value is None or top <= 0:
        return " " * width + "│"
    length = max(1, round(abs(value) / top * width)) if value else 0
    left = BAR * length if value < 0 else ""
    right = BAR * length if value > 0 else ""
    return left.rjust(width) + "│" + right


def section_of(measure: str) -> str | None:
    return next((title for prefix, title in SECTIONS if measure.startswith(prefix)), None)


def _rows(report: Report) -> list[tuple[str | None, str]]:
    """(section title or None, measure) in display order."""
    return [(section_of(m), m) for m in report.trends.measures]


def _columns(report: Report) -> list[str]:
    labels = [f.span.label + ("" if f.complete else INCOMPLETE) for f in report.trends.figures]
    return [*labels, "verandering"] if report.comparison else labels


def _changes(report: Report) -> dict[tuple[str, str], float]:
    if not report.comparison or len(report.trends.figures) != 2:
        return {}
    before, after = report.trends.figures
    return t.changes(before, after, report.trends.measures)


def _cells(
    report: Report, group: str, measure: str, found: Mapping[tuple[str, str], float]
) -> list[str]:
    cells = [value_text(f.get(group, measure)) for f in report.trends.figures]
    if report.comparison:
        cells.append(change_text(found.get((group, measure))))
    return cells


# -- tabel -----------------------------------------------------------------------------------


def to_table(report: Report) -> str:
    """Aligned plain text: one block per wijk, then bar charts of the themes."""
    out = [f"Wijktrends {report.title}", LEGEND, ""]
    out += [*report.warnings(), ""] if report.warnings() else []
    found = _changes(report)
    names = report.theme_names
    columns = _columns(report)
    for group in report.groups():
        rows: list[tuple[str, list[str]]] = []
        section = None
        for title, measure in _rows(report):
            if title != section and title is not None:
                rows.append((title, []))
            section = title
            indent = "  " if title else ""
            label = indent + measure_label(measure, names)
            rows.append((label, _cells(report, group, measure, found)))
        width = max(len(label) for label, _ in rows)
        widths = [max([len(c)] + [len(r[i]) for _, r in rows if r]) for i, c in enumerate(columns)]
        out.append(f"== {visible(group)} ==")
        out.append(
            " " * width + "".join("  " + c.rjust(w) for c, w in zip(columns, widths, strict=True))
        )
        for label, cells in rows:
            padded = (f"  {c.rjust(w)}" for c, w in zip(cells, widths, strict=False))
            out.append((label.ljust(width) + "".join(padded)).rstrip())
        out += ["", *_theme_bars(report, group, found), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _theme_bars(report: Report, group: str, found: Mapping[tuple[str, str], float]) -> list[str]:
    figures = report.trends.figures
    themes = [m for m in report.trends.measures if m.startswith("thema:")]
    if not themes or not figures:
        return []
    before = figures[-2] if len(figures) > 1 else None
    return theme_chart(before, figures[-1], themes, group, report.theme_names)


def theme_chart(
    before: t.Figures | None,
    after: t.Figures,
    themes: Sequence[str],
    group: str,
    names: Mapping[str, str],
    *,
    bar_width: int = BAR_WIDTH,
    change_width: int = CHANGE_WIDTH,
) -> list[str]:
    """Households per theme in ``after`` as bars, largest first, with the change since
    ``before`` as a bar around a middle line (only where both counts are shown)."""
    if group not in after.groups or not themes:
        return []
    found = t.changes(before, after, themes) if before is not None else {}
    values = {m: after.get(group, m) for m in themes}
    order = sorted(themes, key=lambda m: -v if isinstance(v := values[m], int) else 1)
    top = max((v for v in values.values() if isinstance(v, int)), default=0)
    top_change = max((abs(v) for (g, _), v in found.items() if g == group), default=0.0)
    title = f"Thema's in {after.span.label} (huishoudens)"
    if before is not None:
        title += f", verandering sinds {before.span.label}"
    width = max(len(measure_label(m, names)) for m in themes)
    lines = [title]
    for m in order:
        line = f"  {measure_label(m, names).ljust(width)}  {value_text(values[m]).rjust(4)}  "
        line += bar(values[m], top, bar_width).ljust(bar_width)
        if before is not None:
            change = found.get((group, m))
            line += (
                f"  {change_text(change).rjust(8)}  {change_bar(change, top_change, change_width)}"
            )
        lines.append(line.rstrip())
    return lines


# -- csv -------------------------------------------------------------------------------------

_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _csv_text(text: str) -> str:
    """Names as text a spreadsheet never runs as a formula."""
    text = visible(text)
    return "'" + text if text.startswith(_FORMULA) else text


def _csv_value(value: t.Value) -> str:
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def to_csv(report: Report) -> str:
    """One tidy table: wijk, periode, maat, waarde (a count, a percentage, <5 or x)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["wijk", "periode", "maat", "waarde", "periode_om"])
    found = _changes(report)
    for group in report.groups():
        for figures in report.trends.figures:
            if group not in figures.groups:
                continue
            for measure in report.trends.measures:
                value = figures.get(group, measure)
                assert value is not None
                row = [group, figures.span.label, measure, _csv_value(value)]
                done = "ja" if figures.complete else "nee"
                writer.writerow([_csv_text(c) for c in row[:3]] + [*row[3:], done])
        if found:
            before, after = report.trends.figures
            period = f"{before.span.label}→{after.span.label}"
            for measure in report.trends.measures:
                if (group, measure) in found:
                    row = [group, period, CHANGE_PREFIX + measure]
                    writer.writerow(
                        [_csv_text(c) for c in row] + [f"{found[group, measure]:.1f}", "ja"]
                    )
    return buffer.getvalue()


# -- markdown ----------------------------------------------------------------------------------

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&#])")


def md(text: str) -> str:
    """Literal text inside a Markdown table cell or sentence."""
    escaped = _SPECIAL.sub(r"\\\1", visible(" ".join(text.split())))
    return "\\" + escaped if escaped[:1] in ("-", "+", "=") else escaped


def method(report: Report) -> list[str]:
    """The "Methode" section: what is counted, and the suppression rule."""
    n = t.MIN_COUNT
    return [
        "## Methode",
        "",
        "- Geteld zijn de huisbezoeken die in de periode begonnen (datum in de plaatselijke "
        "tijd), per wijk van het huishouden. Oefengegevens tellen nooit mee.",
        "- *Huishoudens*: verschillende huishoudens met minstens één bezoek. *Thema's* en "
        "*gaten in het aanbod*: huishoudens bij wie het thema in de periode is aangekruist, "
        "of voor wie de sociale kaart niets had; een huishouden telt per thema één keer.",
        "- *Bezoeken met zorgen over veiligheid*: de kindcheck gaf zorgen, een signaal is "
        "aangevinkt, of de route van de meldcode is begonnen.",
        "- *Verwijzingen*: gemaakt in een bezoek in de periode, naar hoe ze nu staan: "
        "gestart, niet gelukt, op de wachtlijst, of nog lopend (besproken of aangemeld).",
        f"- **Kleine aantallen.** Elk aantal onder de {n} staat er als {t.SUPPRESSED}, "
        "ook 0: of er niemand was of een paar huishoudens, is niet te zien.",
        f"- **Vaste indeling.** Er zijn alleen hele maanden, kwartalen en jaren, en de "
        f"wijken. Een wijk met minder dan {n} huishoudens in alle gegevens samen staat "
        f"nooit apart, maar telt mee in *{t.OTHERS}* (heeft die groep zelf minder dan {n} "
        "huishoudens, dan gaat ook de kleinste andere wijk erin); welke wijken dat zijn, "
        "staat bij de cijfers. Elk getal komt uit één tabel voor alle gegevens: in elk "
        "verslag, elk formaat en op het scherm staat voor dezelfde wijk en periode hetzelfde "
        "getal of hetzelfde teken.",
        f"- **Niet terugrekenen.** Een jaar is de som van zijn kwartalen en maanden, een "
        f"kwartaal van zijn maanden, *{t.ALL}* van de wijken. Waar zo'n som één weggelaten "
        f"aantal zou verraden, is ook een ander aantal weggelaten ({t.HIDDEN}): het kleinste "
        "dat de som weer onbepaald maakt, of anders de som zelf. Dat wordt herhaald tot geen "
        "enkele som, en ook niet alle sommen samen, met wat er staat en wat de tekens zeggen "
        "(0–4, 5 of meer; maanden voor het eerste bezoek en na deze maand zijn 0), een "
        "weggelaten aantal op één waarde vastlegt. (Huishoudens over maanden optellen geeft "
        "hooguit te veel: wie terugkomt, telt in elke maand.) Ook wat de maten over elkaar "
        "zeggen telt mee: bezoeken met zorgen en huishoudens zijn er nooit meer dan bezoeken, "
        "huishoudens met een thema of een gat nooit meer dan huishoudens; waar bezoeken en "
        "huishoudens even groot zijn, staan ze er allebei of geen van beide. Een weggelaten "
        "aantal kan wel binnen grenzen vallen, bijvoorbeeld 1 tot 4.",
        "- **Eén verslag per periode.** Een verslag van later telt ook de bezoeken die "
        "sindsdien zijn ingevoerd, ook die van eerdere maanden; wie twee verslagen van "
        "verschillende dagen naast elkaar legt, ziet die bezoeken. Deel daarom per periode "
        "één verslag, als de periode om is.",
        f"- **Alle rijen.** Elk thema van de leidraad, elk soort verwijzing en elk gat staat "
        f"in elke tabel, ook als het {t.SUPPRESSED} is; wat de leidraad of de sociale kaart "
        f"niet kent, telt als *{t.OTHER_KIND}*.",
        "- Een percentage staat er alleen als de aantallen erachter er staan; een verandering "
        "alleen als beide aantallen er staan en beide perioden om zijn.",
        f"- Een periode met {INCOMPLETE} is nog niet om: de cijfers kunnen nog stijgen.",
        "- Geen gezinscode, geen datum van een bezoek en geen tekst uit aantekeningen staat "
        "in dit verslag.",
    ]


def to_markdown(report: Report, *, today: date) -> str:
    """A short report for the municipality: title, period, method, the tables, the rule."""
    figures = report.trends.figures
    out = [
        f"# Wijktrends {md(report.title)}",
        "",
        f"Opgesteld op {today:%d-%m-%Y} met wijkgesprek, door het sociaal wijkteam. "
        "Alleen aantallen: geen gezin is herkenbaar.",
        "",
        "## Periode",
        "",
        "Perioden: "
        + ", ".join(f"{f.span.label} ({f.span.first} t/m {f.span.last})" for f in figures)
        + ".",
        "",
        *method(report),
        "",
        "## Cijfers",
        "",
        f"Tekens: {LEGEND}.",
    ]
    out += ["", *(md(w) for w in report.warnings())] if report.warnings() else []
    found = _changes(report)
    header = ["maat", *(md(c) for c in _columns(report))]
    for group in report.groups():
        out += ["", f"### {md(group)}", ""]
        out.append("| " + " | ".join(header) + " |")
        out.append("|---|" + "---:|" * (len(header) - 1))
        section = None
        for title, measure in _rows(report):
            if title != section and title is not None:
                out.append(f"| **{title}** |" + " |" * (len(header) - 1))
            section = title
            label = ("– " if title else "") + md(measure_label(measure, report.theme_names))
            cells = _cells(report, group, measure, found)  # our own figures and signs
            out.append("| " + " | ".join([label, *cells]) + " |")
    return "\n".join(out) + "\n"


def format_report(report: Report, kind: str, *, today: date) -> str:
    if kind == "csv":
        return to_csv(report)
    if kind == "md":
        return to_markdown(report, today=today)
    return to_table(report)


def spans_text(spans: Sequence[t.Span]) -> str:
    if not spans:
        return ""
    return spans[0].label if len(spans) == 1 else f"{spans[0].label} t/m {spans[-1].label}"
