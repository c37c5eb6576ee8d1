"""Load the practice cases (``cases.yaml``, and a trainer's own files) into :class:`Cases`.

Format (all values are text, see :mod:`wijkgesprek.content.yamlsource`)::

    versie: 2
    casussen:                 # case id -> case, in the order of the file
      moeder-twee-kinderen:
        titel: Moeder met twee jonge kinderen
        intake: Een moeder is net in de wijk komen wonen ...
        huishouden:
          code: OEF-01        # a household code (domain.household.code_problem)
          wijk: Noord
          kinderen: [2, 6]    # ages in whole years, zwanger, elders; may be empty
        personen:             # whom the trainee can ask, each with their own lines
          moeder:
            wie: moeder       # optional: how the person is shown (default: the id)
            antwoorden:       # topic id -> lines, said one by one to open questions
              stress:
                - Het is gewoon veel.
            schaal:           # optional: the person's answer to the scaling question
              cijfer: 6
              reden: Een 6, want ...
          zoon:
            wie: zoon (6)
            kind: ja          # answers as a child (the word list's children's reactions)
            antwoorden: {veiligheid: [Mama slaapt vaak al.]}
          vader:
            aanwezig: nee     # cannot answer; optional, default ja
          # tolk: ja          # understands the questions only through an interpreter
        verborgen:            # told only after an open follow-up with the right words
          - feit: Ze slaapt al weken slecht.
            onderwerp: stress
            sleutelwoorden: [slaap, nacht]
            wie: [moeder]     # optional: only these persons know it
            soort: gezondheid # optional, one of SOORTEN
        netwerk:              # optional: people around the family, told when asked
          - rol: zus          #   about the network in the right words
            groep: familie    #   (see content.case_network)
            afstand: verder-weg
            vertelt: Mijn zus belt elke week.
            sleutelwoorden: [familie, zus]
        goed_gesprek: [kennismaking, stress, netwerk, dromen, veiligheid, afspraken]
        tolk: ja              # optional: the case can be practised with an interpreter

How questions are read and what the family says to a closed question, a label or a
"moet" comes from the shared word list (``woorden.yaml``, :mod:`content.words`), so a
trainer's file holds cases only. Several files are read together (the shipped cases and
a trainer's own): a case id or household code used twice is a problem in the later file.
Topic ids are checked against the guide's topics, the ids in ``netwerk`` against its
netwerkkaart; every problem is reported with ``file:line:column``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from wijkgesprek import limits
from wijkgesprek.content.case_network import read_case_network
from wijkgesprek.content.model import (
    REQUIRED_TOPICS,
    Cases,
    HiddenFact,
    NetworkGuide,
    Person,
    PracticeCase,
    PracticeHousehold,
    Scale,
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
from wijkgesprek.errors import ContentError, Problem

CASES_VERSION = "2"
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
_ROOT_KEYS = ("versie", "casussen")
_CASE_KEYS = ("titel", "intake", "huishouden", "personen", "verborgen", "goed_gesprek")
_CASE_OPTIONAL = ("tolk", "netwerk")
_PERSON_KEYS = ("wie", "aanwezig", "kind", "tolk", "antwoorden", "schaal")
_FACT_KEYS = ("feit", "onderwerp", "sleutelwoorden")
_CASES: DataPath = ("casussen",)
_YES_NO = ("ja", "nee")
_DEFAULT_NETWORK = NetworkGuide()


@dataclass(frozen=True)
class _Seen:
    """Where a case id or household code was first used, for the message about a second."""

    case_id: str
    file: Path
    line: int


def load_cases(
    files: Path | Sequence[Path],
    *,
    topic_ids: Sequence[str] = REQUIRED_TOPICS,
    words: Words | None = None,
    network: NetworkGuide = _DEFAULT_NETWORK,
) -> Cases:
    """Read and check the case files together; raise ``ContentError`` listing every
    problem of every file. ``words``: the shared word list (default: the shipped one);
    ``network``: the guide's netwerkkaart, whose ids a case's ``netwerk`` uses."""
    files = (files,) if isinstance(files, Path) else tuple(files)
    if words is None:
        from wijkgesprek import paths
        from wijkgesprek.content.words import load_words

        words = load_words(paths.shipped_words())
    ids: dict[str, _Seen] = {}
    codes: dict[str, _Seen] = {}
    problems: list[Problem] = []
    cases: list[PracticeCase] = []
    for file in files:
        try:
            cases += _load_file(file, tuple(topic_ids), network, ids, codes)
        except ContentError as error:
            problems += error.problems
    if problems:
        raise ContentError(problems)
    return Cases(sources=files, words=words, cases=tuple(cases))


def _load_file(
    path: Path,
    topic_ids: tuple[str, ...],
    network: NetworkGuide,
    ids: dict[str, _Seen],
    codes: dict[str, _Seen],
) -> list[PracticeCase]:
    reader = Reader(read_document(path))
    root = reader.mapping((), "bovenaan het bestand", _ROOT_KEYS, ("woorden",))
    if "woorden" in root:
        reader.error(
            ("woorden",),
            "'woorden' staan in de gedeelde woordenlijst (woorden.yaml), die alle casussen "
            "gebruiken; haal ze hier weg",
            at_key=True,
        )
    version = reader.text(("versie",))
    if version == "1":
        reader.error(
            ("versie",),
            "versie 1 (antwoorden per casus) wordt niet meer gelezen: schrijf 'versie: 2' "
            "met 'personen', ieder met eigen antwoorden (zie data/cases.yaml)",
        )
    elif version and version != CASES_VERSION:
        reader.error(
            ("versie",),
            f"onbekende versie '{version}'; deze versie van wijkgesprek leest alleen "
            f"'versie: {CASES_VERSION}'",
        )
    cases = _read_cases(reader, topic_ids, network, ids, codes)
    if reader.get(_CASES) is not None and not cases and not reader.problems:
        reader.error(_CASES, "'casussen' moet minstens één casus bevatten", at_key=True)
    reader.finish()
    return cases


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


def _yes_no(reader: Reader, path: DataPath, *, default: bool) -> bool:
    value = reader.text(path, required=False)
    if not value:
        return default
    if value not in _YES_NO:
        reader.error(path, f"'{path[-1]}' is ja of nee, niet '{value}'")
        return default
    return value == "ja"


def _check_topic(reader: Reader, path: DataPath, topic: str, topic_ids: Sequence[str]) -> bool:
    if topic and topic not in topic_ids:
        reader.error(
            path,
            f"onbekend onderwerp '{topic}'{did_you_mean(topic, topic_ids)}",
            at_key=True,
        )
        return False
    return True


def _read_cases(
    reader: Reader,
    topic_ids: tuple[str, ...],
    network: NetworkGuide,
    ids: dict[str, _Seen],
    codes: dict[str, _Seen],
) -> list[PracticeCase]:
    cases = []
    file = reader.document.file
    for case_id in reader.mapping(_CASES, optional=None):
        path = (*_CASES, case_id)
        where = f"bij casus '{case_id}'"
        line = reader.document.position(path, at_key=True)[0]
        if not _ID.fullmatch(case_id):
            reader.error(
                path,
                f"casus-id '{case_id}' mag alleen kleine letters, cijfers en '-' bevatten",
                at_key=True,
            )
        elif case_id in ids:  # in an earlier file (within a file, YAML refuses it)
            first = ids[case_id]
            reader.error(
                path,
                f"casus '{case_id}' staat ook in {first.file} (regel {first.line}); "
                "geef deze casus een eigen id",
                at_key=True,
            )
        ids.setdefault(case_id, _Seen(case_id, file, line))
        reader.mapping(path, where, _CASE_KEYS, _CASE_OPTIONAL)
        household = _read_household(reader, (*path, "huishouden"), where)
        if household.code:
            code_path = (*path, "huishouden", "code")
            if household.code in codes:
                first = codes[household.code]
                elsewhere = "" if first.file == file else f" in {first.file}"
                reader.error(
                    code_path,
                    f"gezinscode '{household.code}' {where} wordt ook gebruikt bij casus "
                    f"'{first.case_id}'{elsewhere}",
                )
            codes.setdefault(
                household.code,
                _Seen(case_id, file, reader.document.position(code_path)[0]),
            )
        tolk = _yes_no(reader, (*path, "tolk"), default=False)
        persons = _read_persons(reader, (*path, "personen"), where, topic_ids, tolk=tolk)
        facts = _read_facts(reader, (*path, "verborgen"), where, topic_ids, persons)
        cases.append(
            PracticeCase(
                id=case_id,
                titel=reader.text((*path, "titel")),
                intake=reader.text((*path, "intake")),
                huishouden=household,
                personen=persons,
                verborgen=facts,
                goed_gesprek=_read_good(reader, (*path, "goed_gesprek"), topic_ids),
                tolk=tolk,
                netwerk=read_case_network(reader, (*path, "netwerk"), where, persons, network),
                source=file,
                line=line,
            )
        )
    return cases


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


def _read_persons(
    reader: Reader, path: DataPath, where: str, topic_ids: Sequence[str], *, tolk: bool
) -> tuple[Person, ...]:
    entries = reader.mapping(path, optional=None)
    if reader.get(path) is not None and not entries:
        reader.error(path, f"'personen' {where} moet minstens één persoon bevatten", at_key=True)
    persons = []
    for person_id in entries:
        item = (*path, person_id)
        person_where = f"bij persoon '{person_id}' {where}"
        if not _ID.fullmatch(person_id):
            reader.error(
                item,
                f"persoon '{person_id}' mag alleen kleine letters, cijfers en '-' bevatten",
                at_key=True,
            )
        present = _yes_no(reader, (*item, "aanwezig"), default=True)
        reader.mapping(item, person_where, ("antwoorden",) if present else (), _PERSON_KEYS)
        needs_interpreter = _yes_no(reader, (*item, "tolk"), default=False)
        if needs_interpreter and not tolk:
            reader.error(
                (*item, "tolk"),
                f"'tolk: ja' {person_where}, maar de casus heeft geen 'tolk: ja': zonder tolk "
                "verstaat deze persoon geen enkele vraag",
                at_key=True,
            )
        persons.append(
            Person(
                id=person_id,
                wie=reader.text((*item, "wie"), required=False) or person_id,
                antwoorden=_read_answers(reader, (*item, "antwoorden"), person_where, topic_ids),
                aanwezig=present,
                kind=_yes_no(reader, (*item, "kind"), default=False),
                tolk=needs_interpreter,
                schaal=_read_scale(reader, (*item, "schaal"), person_where),
            )
        )
    if persons and not any(person.aanwezig for person in persons):
        reader.error(path, f"niemand in 'personen' {where} is aanwezig", at_key=True)
    return tuple(persons)


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


def _read_scale(reader: Reader, path: DataPath, where: str) -> Scale | None:
    if reader.get(path) is None:
        return None
    reader.mapping(path, f"bij 'schaal' {where}", ("cijfer", "reden"))
    written = reader.text((*path, "cijfer"))
    reason = reader.text((*path, "reden"))
    if not written:
        return None
    if not written.isdigit() or int(written) > 10:
        reader.error(
            (*path, "cijfer"), f"'cijfer' is een heel getal van 0 tot en met 10, niet '{written}'"
        )
        return None
    return Scale(cijfer=int(written), reden=reason)


def _read_facts(
    reader: Reader,
    path: DataPath,
    where: str,
    topic_ids: Sequence[str],
    persons: Sequence[Person],
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
    known = [person.id for person in persons]
    facts = []
    for index in range(len(value)):
        item = (*path, index)
        fact_where = f"in feit {index + 1} van 'verborgen' {where}"
        reader.mapping(item, fact_where, _FACT_KEYS, ("soort", "wie"))
        topic = reader.text((*item, "onderwerp"))
        _check_topic(reader, (*item, "onderwerp"), topic, topic_ids)
        soort = reader.text((*item, "soort"), required=False)
        if soort and soort not in SOORTEN:
            reader.error(
                (*item, "soort"),
                f"onbekende soort '{soort}'{did_you_mean(soort, SOORTEN)}; "
                f"kies uit {', '.join(SOORTEN)}",
            )
        who = _unique_texts(reader, (*item, "wie"))
        for number, person_id in enumerate(who):
            if person_id and person_id not in known:
                reader.error(
                    (*item, "wie", number),
                    f"onbekende persoon '{person_id}' {fact_where}"
                    f"{did_you_mean(person_id, known)}; kies uit {', '.join(known)}",
                )
        fact = HiddenFact(
            feit=reader.text((*item, "feit")),
            onderwerp=topic,
            sleutelwoorden=_unique_texts(reader, (*item, "sleutelwoorden")),
            soort=soort,
            wie=who,
        )
        known_people = all(person_id in known for person_id in who)
        if topic in topic_ids and known_people and persons and not _can_be_told(fact, persons):
            reader.error(
                (*item, "onderwerp"),
                f"feit {index + 1} {where} kan nooit verteld worden: niemand die het weet, is "
                f"aanwezig en heeft antwoorden bij '{topic}' (een feit komt pas na een "
                "doorvraag op wat die persoon zelf over het onderwerp vertelde)",
            )
        facts.append(fact)
    return tuple(facts)


def _can_be_told(fact: HiddenFact, persons: Sequence[Person]) -> bool:
    return any(
        person.aanwezig
        and person.answers(fact.onderwerp)
        and (not fact.wie or person.id in fact.wie)
        for person in persons
    )


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
        "bestanden": [str(source) for source in cases.sources],
        "versie": CASES_VERSION,
        "casussen": [_case_json(case) for case in cases.cases],
    }


def _case_json(case: PracticeCase) -> dict[str, object]:
    household = case.huishouden
    flags = ((PREGNANT, household.pregnant), (ELSEWHERE, household.elsewhere))
    return {
        "id": case.id,
        "bestand": str(case.source),
        "titel": case.titel,
        "intake": case.intake,
        "huishouden": {
            "code": household.code,
            "wijk": household.wijk,
            "kinderen": [*household.ages, *(flag for flag, on in flags if on)],
        },
        "personen": {
            person.id: {
                "wie": person.wie,
                "aanwezig": person.aanwezig,
                "kind": person.kind,
                "tolk": person.tolk,
                "antwoorden": {a.topic: list(a.lines) for a in person.antwoorden},
                "schaal": (
                    {"cijfer": person.schaal.cijfer, "reden": person.schaal.reden}
                    if person.schaal
                    else None
                ),
            }
            for person in case.personen
        },
        "verborgen": [
            {
                "feit": fact.feit,
                "onderwerp": fact.onderwerp,
                "sleutelwoorden": list(fact.sleutelwoorden),
                "soort": fact.soort,
                "wie": list(fact.wie),
            }
            for fact in case.verborgen
        ],
        "netwerk": [
            {
                "rol": person.rol,
                "groep": person.groep,
                "hulp": list(person.hulp),
                "afstand": person.afstand,
                "kan_meer": person.kan_meer,
                "vertelt": person.vertelt,
                "sleutelwoorden": list(person.sleutelwoorden),
                "wie": list(person.wie),
            }
            for person in case.netwerk
        ],
        "goed_gesprek": list(case.goed_gesprek),
        "tolk": case.tolk,
    }
