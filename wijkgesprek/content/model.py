"""Typed, immutable content read from the conversation guide (questions.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from wijkgesprek.domain.household import Children, from_ages


@dataclass(frozen=True)
class Theme:
    """A theme that can be tagged on a note, such as ``geldzorgen``."""

    id: str
    """The key as written in the YAML (lower case, no spaces), e.g. ``geldzorgen``."""
    naam: str
    """Display name, e.g. ``Geldzorgen``."""
    omschrijving: str = ""


@dataclass(frozen=True)
class Topic:
    """One topic of the conversation, such as ``kennismaking``."""

    id: str
    titel: str
    vragen: tuple[str, ...]
    """Open questions for this topic (at least one)."""
    doorvragen: tuple[str, ...] = ()
    """Follow-up prompts."""
    tip: str = ""
    """A short tip for the professional (from the seed pages)."""


# -- the safety check (section ``veiligheid`` of the guide) ----------------------

REQUIRED_TOPICS = ("kennismaking", "stress", "netwerk", "dromen", "veiligheid", "afspraken")
"""The six topics every guide has (a team may add its own)."""

OUTCOMES = ("volgende", "afsluiten", "melden", "hulp")
"""What an answer in the afwegingskader leads to: the next question, closing (with a
reason), reporting to Veilig Thuis, or continuing the help with agreements on monitoring."""


KINDCHECK_OUTCOME_TEXTS: dict[str, str] = {
    "geen-zorgen": "Geen zorgen.",
    "aandachtspunt": "Aandachtspunt: een lichte zorg. Schrijf op waar u op let en wanneer.",
    "zorgen": "Zorgen: volg de meldcode (onderdeel 5).",
    "niet-gedaan": "Niet gedaan: schrijf op waarom.",
}
"""The kindcheck's outcomes (fixed ids, the app's rules hang on them) with the text the
guide's ``kindcheck-uitkomsten`` gives them; these texts when the guide has none."""


@dataclass(frozen=True)
class Signal:
    id: str
    tekst: str


@dataclass(frozen=True)
class SignalGroup:
    id: str
    """``kind``, ``ouder`` or ``gezin-en-omgeving``."""
    titel: str
    signals: tuple[Signal, ...]


@dataclass(frozen=True)
class BalanceQuestion:
    id: str
    vraag: str
    side: str
    """``draaglast`` (load) or ``draagkracht`` (capacity)."""


@dataclass(frozen=True)
class AssessmentQuestion:
    """One yes/no question of the afwegingskader, with where each answer leads."""

    number: int
    vraag: str
    ja: str
    """One of OUTCOMES."""
    nee: str
    toelichting: str = ""


@dataclass(frozen=True)
class MeldcodeStep:
    number: int
    titel: str
    toelichting: str = ""


@dataclass(frozen=True)
class SafetyGuide:
    kindcheck: tuple[str, ...] = ()
    """The kindcheck questions, in order."""
    kindcheck_outcomes: tuple[tuple[str, str], ...] = tuple(KINDCHECK_OUTCOME_TEXTS.items())
    """(id, text) of each kindcheck outcome, in the order the guide lists them."""
    signal_groups: tuple[SignalGroup, ...] = ()
    load_themes: tuple[str, ...] = ()
    """Theme ids that count as draaglast when tagged in a visit."""
    balance: tuple[BalanceQuestion, ...] = ()
    roles: tuple[str, ...] = ()
    """Whom the scaling question (0–10) is asked, e.g. ouder, kind, professional."""
    assessment: tuple[AssessmentQuestion, ...] = ()
    meldcode: tuple[MeldcodeStep, ...] = ()


# -- the network map (section ``netwerkkaart`` of the guide) -------------------------

CLOSE, FAR = "dichtbij", "verder-weg"
CLOSENESS_TEXTS: dict[str, str] = {CLOSE: "Dichtbij", FAR: "Verder weg"}
"""How close someone is (fixed ids: the drawing's inner and outer ring), with the text
the guide's ``afstand`` gives them; these texts when the guide has none."""

GIVES, COSTS = "geeft", "kost"
ENERGY_TEXTS: dict[str, str] = {GIVES: "Geeft energie", COSTS: "Kost energie"}
"""Whether a tie gives or costs energy (fixed ids; not knowing is no id)."""


@dataclass(frozen=True)
class NetworkGroup:
    """Where someone belongs: familie, vrienden, buurt, school, vrije tijd, hulpverlening."""

    id: str
    naam: str
    informal: bool
    """The family's own circle (familie, vrienden, buren): counts for a thin network."""


@dataclass(frozen=True)
class HelpKind:
    """What someone helps with (praktisch, emotioneel, ...), and the themes it covers."""

    id: str
    naam: str
    themes: tuple[str, ...] = ()
    """Theme ids of the guide this kind of help answers (for the sociale kaart)."""


DEFAULT_GROUPS = (
    NetworkGroup("familie", "Familie", True),
    NetworkGroup("vrienden", "Vrienden", True),
    NetworkGroup("buurt", "Buurt", True),
    NetworkGroup("school", "School en opvang", False),
    NetworkGroup("vrije-tijd", "Vrije tijd", True),
    NetworkGroup("hulpverlening", "Hulpverlening", False),
)
DEFAULT_HELPS = (
    HelpKind("praktisch", "Praktische hulp", ("kinderopvang", "wonen", "mantelzorg")),
    HelpKind("emotioneel", "Een luisterend oor", ("psychische-klachten", "relatie", "opvoeding")),
    HelpKind("informatie", "Informatie en advies", ("geldzorgen", "schulden", "werk", "taal")),
    HelpKind("gezelschap", "Gezelschap", ("eenzaamheid",)),
    HelpKind("veiligheid", "Veiligheid", ("buurt",)),
)


@dataclass(frozen=True)
class NetworkGuide:
    """The words of the netwerkkaart: groups, kinds of help, closeness, energy, and the
    roles suggested while typing (each with the group it usually belongs to)."""

    groups: tuple[NetworkGroup, ...] = DEFAULT_GROUPS
    helps: tuple[HelpKind, ...] = DEFAULT_HELPS
    closeness: tuple[tuple[str, str], ...] = tuple(CLOSENESS_TEXTS.items())
    energy: tuple[tuple[str, str], ...] = tuple(ENERGY_TEXTS.items())
    roles: tuple[tuple[str, str], ...] = ()
    """(role, group id), e.g. ("oma", "familie")."""

    def group(self, group_id: str) -> NetworkGroup | None:
        return next((group for group in self.groups if group.id == group_id), None)

    def group_name(self, group_id: str) -> str:
        group = self.group(group_id)
        return group.naam if group else group_id

    def help_name(self, help_id: str) -> str:
        return next((kind.naam for kind in self.helps if kind.id == help_id), help_id)

    def closeness_text(self, closeness: str) -> str:
        return dict(self.closeness).get(closeness, closeness)

    def energy_text(self, energy: str) -> str:
        return dict(self.energy).get(energy, "")

    def role_group(self, role: str) -> str:
        """The group a suggested role belongs to (any case), or ``""``."""
        key = role.strip().casefold()
        return next((group for name, group in self.roles if name.casefold() == key), "")


@dataclass(frozen=True)
class Guide:
    """The whole conversation guide."""

    source: Path
    topics: tuple[Topic, ...]
    themes: tuple[Theme, ...]
    safety: SafetyGuide = SafetyGuide()
    network: NetworkGuide = NetworkGuide()

    def topic(self, topic_id: str) -> Topic:
        for topic in self.topics:
            if topic.id == topic_id:
                return topic
        raise KeyError(topic_id)

    def theme(self, theme_id: str) -> Theme | None:
        for theme in self.themes:
            if theme.id == theme_id:
                return theme
        return None

    def theme_name(self, theme_id: str) -> str:
        """The display name of a theme; the id itself for a theme the guide no longer has."""
        theme = self.theme(theme_id)
        return theme.naam if theme else theme_id


# -- the network file (sociale kaart) -------------------------------------------

KINDS = ("activiteit", "dienst", "regeling")
"""The allowed values of ``soort``."""

OTHER_KIND = "overig"
"""The kind a referral from a hand-over gets when its ``soort`` is none of KINDS (it was
typed or edited by hand): such text never reaches the trends or an export."""

ALL_WIJKEN = "alle"
"""``wijk: alle`` means the entry is for every wijk of the municipality."""


@dataclass(frozen=True)
class Contact:
    telefoon: str = ""
    email: str = ""
    """Written as ``e-mail`` in the YAML."""
    website: str = ""


@dataclass(frozen=True)
class Entry:
    """One activity, service or arrangement (regeling) of the network."""

    naam: str
    soort: str
    """One of KINDS."""
    themes: tuple[str, ...]
    """Theme ids (from the guide), written as ``thema's``."""
    wijk: str
    """A wijk name as written, or ALL_WIJKEN."""
    kosten: str
    """As written: "gratis", an amount such as "€ 5 per maand", or "via regeling"."""
    contact: Contact
    laatst_gecontroleerd: date
    ages: tuple[int, int] | None = None
    """``doelgroep.leeftijd`` as an inclusive range of years (``0-4`` → (0, 4), ``18+`` →
    (18, 120), ``3`` → (3, 3)); None when the entry is for any age."""
    group: str = ""
    """``doelgroep.groep``, e.g. "ouders van jonge kinderen"."""
    wanneer: str = ""
    beschrijving: str = ""
    informal: bool = False
    """``informeel: ja``: run by neighbours and volunteers (a maatje, a buurtgezin, a place
    to meet), preferred when the family's own network does not help (``domain.suggest``)."""
    source: Path = Path()
    line: int = 0
    """Where the entry starts, for messages."""

    @property
    def key(self) -> tuple[str, str]:
        """Entries with the same naam and wijk (case-insensitive) are the same entry."""
        return (self.naam.casefold(), self.wijk.casefold())

    @property
    def free(self) -> bool:
        return self.kosten.strip().casefold() == "gratis"


@dataclass(frozen=True)
class Override:
    """An entry defined in two files: the later file wins."""

    naam: str
    wijk: str
    winner: Path
    winner_line: int
    loser: Path
    loser_line: int


@dataclass(frozen=True)
class Network:
    entries: tuple[Entry, ...]
    sources: tuple[Path, ...] = ()
    overrides: tuple[Override, ...] = ()

    def wijken(self) -> tuple[str, ...]:
        return tuple(sorted({e.wijk for e in self.entries if e.wijk != ALL_WIJKEN}))


# -- practice cases (read by content/cases.py) ------------------------------------------


@dataclass(frozen=True)
class PracticeHousehold:
    code: str
    """A household code such as ``OEF-01`` (upper case)."""
    wijk: str
    ages: tuple[int, ...] = ()
    """The children's ages in whole years, as the case tells them."""
    pregnant: bool = False
    elsewhere: bool = False
    """Children cared for elsewhere."""

    @property
    def children(self) -> Children:
        """As if told today: a case's children keep the ages the case gives them."""
        return from_ages(
            self.ages, year=date.today().year, pregnant=self.pregnant, elsewhere=self.elsewhere
        )


@dataclass(frozen=True)
class TopicAnswers:
    """What a person says when asked openly about a topic, revealed line by line."""

    topic: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Scale:
    """A person's own answer to the scaling question (0–10)."""

    cijfer: int
    reden: str
    """Why this number and not a lower one, in the person's own words."""


@dataclass(frozen=True)
class Person:
    """Someone of the invented family (or around it) whom the trainee can ask."""

    id: str
    """The key in the case file, e.g. ``moeder``."""
    wie: str
    """How the person is shown, e.g. ``dochter (15)``."""
    antwoorden: tuple[TopicAnswers, ...] = ()
    aanwezig: bool = True
    """An absent person cannot answer."""
    kind: bool = False
    """A child answers as a child (the children's reactions of the word list)."""
    tolk: bool = False
    """Understands the questions only through an interpreter."""
    schaal: Scale | None = None

    def answers(self, topic_id: str) -> tuple[str, ...]:
        """The person's lines for a topic; ``()`` when there are none."""
        for answers in self.antwoorden:
            if answers.topic == topic_id:
                return answers.lines
        return ()


@dataclass(frozen=True)
class HiddenFact:
    """A fact told only after an open follow-up on its topic with one of its key words."""

    feit: str
    onderwerp: str
    """The topic id under which it can surface."""
    sleutelwoorden: tuple[str, ...]
    """Words in the question (whole word or prefix) that lead to it."""
    soort: str = ""
    """Optional kind, one of :data:`SOORTEN` (``veiligheid`` marks a safety signal)."""
    wie: tuple[str, ...] = ()
    """Ids of the persons who can tell it; empty: anyone present."""


@dataclass(frozen=True)
class CaseNetworkPerson:
    """Someone around an invented family, told only when the trainee asks about the
    network in the right words (a role, never a name: the people are invented too)."""

    rol: str
    """The role, e.g. ``zus`` or ``buurvrouw``; matched to a role on the netwerkkaart."""
    groep: str
    """A group id of the guide's netwerkkaart (familie, buurt, …)."""
    vertelt: str
    """What the family says about this person when asked."""
    sleutelwoorden: tuple[str, ...]
    """Words in the question (whole word or prefix) that lead to this person."""
    hulp: tuple[str, ...] = ()
    """Kinds of help (ids of the guide's ``hulp``)."""
    afstand: str = CLOSE
    kan_meer: bool = False
    """Could or would do more, if asked (wie zou willen meedenken?)."""
    wie: tuple[str, ...] = ()
    """Ids of the persons who can tell about them; empty: anyone present."""


@dataclass(frozen=True)
class PracticeCase:
    id: str
    titel: str
    intake: str
    huishouden: PracticeHousehold
    personen: tuple[Person, ...]
    verborgen: tuple[HiddenFact, ...]
    goed_gesprek: tuple[str, ...]
    """Topic ids a good conversation would touch."""
    tolk: bool = False
    """The case can be practised with an interpreter."""
    netwerk: tuple[CaseNetworkPerson, ...] = ()
    """The people around the family the trainee can discover by asking (``netwerk``)."""
    source: Path = Path()
    line: int = 0
    """Where the case starts, for messages about two files."""

    @property
    def stemmen(self) -> tuple[str, ...]:
        """Whose voices could be heard: every person's id."""
        return tuple(person.id for person in self.personen)

    def person(self, person_id: str) -> Person | None:
        for person in self.personen:
            if person.id == person_id:
                return person
        return None


REACTIONS = (
    "gesloten-ja",
    "gesloten",
    "label",
    "moeten",
    "waarom",
    "sturend",
    "bewaakt",
    "uitgepraat",
    "weet-niet",
    "cijfer",
    "geen-cijfer",
    "geen-tolk",
)
"""The kinds of shared reaction lines (keys under ``reacties`` in the word list)."""


@dataclass(frozen=True)
class Reactions:
    """Shared lines a person says depending on how a question was asked, by kind (one of
    :data:`REACTIONS`). ``cijfer`` holds ``{cijfer}`` for the person's number."""

    lines: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def of(self, kind: str) -> tuple[str, ...]:
        for name, lines in self.lines:
            if name == kind:
                return lines
        return ()


@dataclass(frozen=True)
class QuestionWords:
    """How a question is read (the word list's ``vraagvormen``); all folded, lower case."""

    open: tuple[str, ...] = ()
    """Words that start an open question (wat, hoe, vertel, …)."""
    open_zinnen: tuple[str, ...] = ()
    """Phrases that make a question open wherever they stand (meer over, vertellen)."""
    aanloop: tuple[str, ...] = ()
    """Words skipped at the start of a clause (en, maar, dus)."""
    gesloten: tuple[str, ...] = ()
    """Verbs that start a closed question (heeft, bent, is)."""
    voornaamwoorden: tuple[str, ...] = ()
    """A clause whose second word is one of these starts with a verb: closed."""
    sturend: tuple[str, ...] = ()
    waarom: tuple[str, ...] = ()
    schaal: tuple[str, ...] = ()
    schaal_reden: tuple[str, ...] = ()
    dromen: tuple[str, ...] = ()


@dataclass(frozen=True)
class Words:
    """The shared word list (``woorden.yaml``): how questions are read, the words counted
    in the trainee's questions and notes, and the family's shared reactions."""

    moeten: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    vragen: QuestionWords = QuestionWords()
    bewaakt_beurten: int = 3
    """For how many of a person's answers a label or a "moet" keeps them guarded."""
    volwassene: Reactions = Reactions()
    kind: Reactions = Reactions()
    source: Path = Path()


@dataclass(frozen=True)
class Cases:
    sources: tuple[Path, ...]
    words: Words
    cases: tuple[PracticeCase, ...]

    def case(self, case_id: str) -> PracticeCase:
        for case in self.cases:
            if case.id == case_id:
                return case
        raise KeyError(case_id)
