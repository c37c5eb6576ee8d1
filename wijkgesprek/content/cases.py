"""Load the practice cases (``cases.yaml``) into :class:`Cases`.

Format (all values are text, see :mod:`wijkgesprek.content.yamlsource`)::

    versie: 1
    woorden:                  # words counted in the trainee's notes (whole words)
      moeten: [moet, moeten, moest, moesten, gemoeten]
      labels: [adhd, probleemgezin, zorgmijder]
    casussen:                 # case id -> case, in the order of the file
      moeder-twee-kinderen:
        titel: Moeder met twee jonge kinderen
        intake: Een moeder is net in de wijk komen wonen ...
        huishouden:
          code: OEF-01        # a household code (domain.household.code_problem)
          wijk: Noord
          kinderen: [2, 6]        # ages in whole years, zwanger, elders; may be empty
        antwoorden:           # topic id -> lines the family says, revealed one by one
          stress:
            - Het is gewoon veel.
        verborgen:            # facts that surface only with the right topic and words
          - feit: Ze slaapt al weken slecht.
            onderwerp: stress
            sleutelwoorden: [slaap, nacht]
            soort: gezondheid # optional, one of SOORTEN
        stemmen: [moeder, kind]   # whose voice could be heard
        goed_gesprek: [kennismaking, stress, netwerk, dromen, veiligheid, afspraken]

Topic ids are checked against the guide's topics (``topic_ids``); an unknown one gets a
"bedoelde je ...?" hint. Every problem is reported with ``file:line:column``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from wijkgesprek import limits
from wijkgesprek.content.model import (
    REQUIRED_TOPICS,
    Cases,
    HiddenFact,
    PracticeCase,
    PracticeHousehold,
    TopicAnswers,
    Words,
)
from wijkgesprek.content.yamlsource import DataPath, Reader, did_you_mean, read_document
from wijkgesprek.domain.household import (
    ELSEWHERE,
    FLAGS,
    LEGACY_AGE_GROUPS,
    PREGNANT,
    code_problem,
    normalise_code,
    parse_ages,
    wijk_problem,
)

CASES_VERSION = "1"
SOORTEN = (
    "veiligheid",
    "kind",
    "geld",
    "gezondheid",
    "wonen",
    "werk",
    "relatie",
    "mantelzorg",
    "netwerk",
)
"""Allowed values of ``soort`` of a hidden fact."""
_ID = re.compile(r"[a-z0-9-]+")
_ROOT_KEYS = ("versie", "woorden", "casussen")
_CASE_KEYS = ("titel", "intake", "huishouden", "antwoorden", "verborgen", "stemmen", "goed_gesprek")
_FACT_KEYS = ("feit", "onderwerp", "sleutelwoorden")
_CASES: DataPath = ("casussen",)
_WORDS: DataPath = ("woorden",)


def load_cases(path: Path, *, topic_ids: Sequence[str] = REQUIRED_TOPICS) -> Cases:
    """Read and check the practice cases; raise ``ContentError`` listing every problem."""
    reader = Reader(read_document(path))
    root = reader.mapping((), "bovenaan het bestand", _ROOT_KEYS)
    if "versie" in root:
        version = reader.text(("versie",))
        if version and version != CASES_VERSION:
            reader.error(
                ("versie",),
                f"onbekende versie '{version}'; deze versie van wijkgesprek leest alleen "
                f"'versie: {CASES_VERSION}'",
            )
    words = _read_words(reader)
    cases = _read_cases(reader, tuple(topic_ids))
    if reader.get(_CASES) is not None and not cases and not reader.problems:
        reader.error(_CASES, "'casussen' moet minstens één casus bevatten", at_key=True)
    reader.finish()
    return Cases(source=path, words=words, cases=cases)


def is_cases_file(path: Path) -> bool:
    """Whether ``path`` looks like a cases file (a top-level ``casussen:``), without parsing."""
    try:
        raw = limits.read_limited(path, limits.MAX_DATA_FILE_BYTES)
    except (OSError, limits.TooLarge):
        return False  # the reader tells why
    text = raw.decode("utf-8-sig", errors="replace")
    return re.search(r"^[\"']?casussen[\"']?\s*:", text, re.MULTILINE) is not None


def _unique_texts(reader: Reader, path: DataPath, *, required: bool = True) -> tuple[str, ...]:
    """Texts at ``path``; a text written twice (ignoring case) is reported."""
    values = reader.texts(path, required=required)
    seen: set[str] = set()
    for index, value in enumerate(values):
        if value and value.casefold() in seen:
            reader.error((*path, index), f"'{value}' staat twee keer in '{path[-1]}'")
        seen.add(value.casefold())
    return values


def _read_words(reader: Reader) -> Words:
    reader.mapping(_WORDS, "bij 'woorden'", ("moeten", "labels"))
    return Words(
        moeten=_unique_texts(reader, (*_WORDS, "moeten")),
        labels=_unique_texts(reader, (*_WORDS, "labels")),
    )


def _check_topic(reader: Reader, path: DataPath, topic: str, topic_ids: Sequence[str]) -> bool:
    if topic and topic not in topic_ids:
        reader.error(
            path,
            f"onbekend onderwerp '{topic}'{did_you_mean(topic, topic_ids)}",
            at_key=True,
        )
        return False
    return True


def _read_cases(reader: Reader, topic_ids: tuple[str, ...]) -> tuple[PracticeCase, ...]:
    cases = []
    codes: dict[str, str] = {}
    for case_id in reader.mapping(_CASES, optional=None):
        path = (*_CASES, case_id)
        where = f"bij casus '{case_id}'"
        if not _ID.fullmatch(case_id):
            reader.error(
                path,
                f"casus-id '{case_id}' mag alleen kleine letters, cijfers en '-' bevatten",
                at_key=True,
            )
        reader.mapping(path, where, _CASE_KEYS)
        household = _read_household(reader, (*path, "huishouden"), where)
        if household.code:
            if household.code in codes:
                reader.error(
                    (*path, "huishouden", "code"),
                    f"gezinscode '{household.code}' {where} wordt ook gebruikt bij casus "
                    f"'{codes[household.code]}'",
                )
            codes.setdefault(household.code, case_id)
        cases.append(
            PracticeCase(
                id=case_id,
                titel=reader.text((*path, "titel")),
                intake=reader.text((*path, "intake")),
                huishouden=household,
                antwoorden=_read_answers(reader, (*path, "antwoorden"), where, topic_ids),
                verborgen=_read_facts(reader, (*path, "verborgen"), where, topic_ids),
                stemmen=_read_voices(reader, (*path, "stemmen")),
                goed_gesprek=_read_good(reader, (*path, "goed_gesprek"), topic_ids),
            )
        )
    return tuple(cases)


def _read_household(reader: Reader, path: DataPath, where: str) -> PracticeHousehold:
    if reader.get(path) is None:
        return PracticeHousehold(code="", wijk="")
    reader.mapping(path, f"in 'huishouden' {where}", ("code", "wijk"), ("kinderen",))
    code = reader.text((*path, "code"))
    if code and (problem := code_problem(code)):
        reader.error((*path, "code"), f"'code' {where} is geen gezinscode: {problem}")
    wijk = reader.text((*path, "wijk"))
    if wijk and (problem := wijk_problem(wijk)):
        reader.error((*path, "wijk"), f"'wijk' {where}: {problem}")
    ages: list[int] = []
    written = reader.texts((*path, "kinderen"), required=False)
    for index, value in enumerate(written):
        if value in FLAGS or not value:
            continue
        try:
            (age,) = parse_ages(value)
        except ValueError:
            reader.error((*path, "kinderen", index), _child_problem(value, where))
        else:
            ages.append(age)
    return PracticeHousehold(
        code=normalise_code(code),
        wijk=wijk,
        ages=tuple(sorted(ages)),
        pregnant=PREGNANT in written,
        elsewhere=ELSEWHERE in written,
    )


def _child_problem(value: str, where: str) -> str:
    """Why ``value`` in 'kinderen' is not a child's age (or zwanger, elders)."""
    if value in LEGACY_AGE_GROUPS:
        return (
            f"'{value}' in 'kinderen' {where} is een leeftijdsgroep; schrijf de leeftijd "
            "van elk kind in hele jaren, zoals [2, 6]"
        )
    return (
        f"onbekend in 'kinderen' {where}: '{value}'{did_you_mean(value, list(FLAGS))}; "
        "schrijf een leeftijd in hele jaren (zoals 6), zwanger of elders"
    )


def _read_answers(
    reader: Reader, path: DataPath, where: str, topic_ids: Sequence[str]
) -> tuple[TopicAnswers, ...]:
    entries = reader.mapping(path, optional=None)
    if reader.get(path) is not None and not entries:
        reader.error(
            path, f"'antwoorden' {where} moet minstens één onderwerp bevatten", at_key=True
        )
    answers = []
    for topic in entries:
        if _check_topic(reader, (*path, topic), topic, topic_ids):
            answers.append(TopicAnswers(topic=topic, lines=reader.texts((*path, topic))))
    return tuple(answers)


def _read_facts(
    reader: Reader, path: DataPath, where: str, topic_ids: Sequence[str]
) -> tuple[HiddenFact, ...]:
    value = reader.get(path)
    if value is None:
        return ()
    if value == "" or value == []:
        reader.error(path, f"'verborgen' {where} moet minstens één feit bevatten", at_key=True)
        return ()
    if not isinstance(value, list):
        reader.error(
            path, "'verborgen' moet een lijst van feiten zijn (regels die beginnen met '- ')"
        )
        return ()
    facts = []
    for index in range(len(value)):
        item = (*path, index)
        fact_where = f"in feit {index + 1} van 'verborgen' {where}"
        reader.mapping(item, fact_where, _FACT_KEYS, ("soort",))
        topic = reader.text((*item, "onderwerp"))
        _check_topic(reader, (*item, "onderwerp"), topic, topic_ids)
        soort = reader.text((*item, "soort"), required=False)
        if soort and soort not in SOORTEN:
            reader.error(
                (*item, "soort"),
                f"onbekende soort '{soort}'{did_you_mean(soort, SOORTEN)}; "
                f"kies uit {', '.join(SOORTEN)}",
            )
        facts.append(
            HiddenFact(
                feit=reader.text((*item, "feit")),
                onderwerp=topic,
                sleutelwoorden=_unique_texts(reader, (*item, "sleutelwoorden")),
                soort=soort,
            )
        )
    return tuple(facts)


def _read_voices(reader: Reader, path: DataPath) -> tuple[str, ...]:
    voices = _unique_texts(reader, path)
    for index, voice in enumerate(voices):
        if voice and not _ID.fullmatch(voice):
            reader.error(
                (*path, index),
                f"stem '{voice}' in 'stemmen' mag alleen kleine letters, cijfers en '-' bevatten",
            )
    return voices


def _read_good(reader: Reader, path: DataPath, topic_ids: Sequence[str]) -> tuple[str, ...]:
    topics = _unique_texts(reader, path)
    for index, topic in enumerate(topics):
        if topic and topic not in topic_ids:
            reader.error(
                (*path, index),
                f"onbekend onderwerp '{topic}' in 'goed_gesprek'{did_you_mean(topic, topic_ids)}",
            )
    return tuple(topic for topic in topics if topic in topic_ids)


def cases_to_json(cases: Cases) -> dict[str, object]:
    """What was read, as JSON-ready data (for ``wijkgesprek controleer --json``)."""
    return {
        "bestand": str(cases.source),
        "versie": CASES_VERSION,
        "woorden": {"moeten": list(cases.words.moeten), "labels": list(cases.words.labels)},
        "casussen": [
            {
                "id": case.id,
                "titel": case.titel,
                "intake": case.intake,
                "huishouden": {
                    "code": case.huishouden.code,
                    "wijk": case.huishouden.wijk,
                    "kinderen": [
                        *case.huishouden.ages,
                        *(
                            flag
                            for flag, on in (
                                (PREGNANT, case.huishouden.pregnant),
                                (ELSEWHERE, case.huishouden.elsewhere),
                            )
                            if on
                        ),
                    ],
                },
                "antwoorden": {answers.topic: list(answers.lines) for answers in case.antwoorden},
                "verborgen": [
                    {
                        "feit": fact.feit,
                        "onderwerp": fact.onderwerp,
                        "sleutelwoorden": list(fact.sleutelwoorden),
                        "soort": fact.soort,
                    }
                    for fact in case.verborgen
                ],
                "stemmen": list(case.stemmen),
                "goed_gesprek": list(case.goed_gesprek),
            }
            for case in cases.cases
        ],
    }
