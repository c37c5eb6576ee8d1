"""Read a practice case's ``netwerk``: the people around the invented family that the
trainee can discover by asking (see :mod:`wijkgesprek.content.cases` for the whole file).

Format, a list under the case::

    netwerk:
      - rol: zus                # a role, never a name (domain.network_map.role_problem)
        groep: familie          # a group id of the guide's netwerkkaart
        hulp: [emotioneel]      # optional: kind-of-help ids of the netwerkkaart
        afstand: verder-weg     # dichtbij or verder-weg
        kan_meer: ja            # optional, default nee: would do more if asked
        vertelt: Mijn zus belt elke week. Ze zou best eens willen oppassen.
        sleutelwoorden: [familie, zus, bellen]   # words of the question that lead here
        wie: [moeder]           # optional: only these persons can tell (default: anyone)

The ids of ``groep``, ``hulp`` and ``afstand`` are checked against the netwerkkaart of the
guide in use; a role is written once per case (any case).
"""

from __future__ import annotations

from collections.abc import Sequence

from wijkgesprek.content.model import CaseNetworkPerson, NetworkGuide, Person
from wijkgesprek.content.yamlsource import DataPath, Reader, did_you_mean
from wijkgesprek.domain.network_map import role_problem

_KEYS = ("rol", "groep", "afstand", "vertelt", "sleutelwoorden")
_OPTIONAL = ("hulp", "kan_meer", "wie")
_YES_NO = ("ja", "nee")


def read_case_network(
    reader: Reader,
    path: DataPath,
    where: str,
    persons: Sequence[Person],
    network: NetworkGuide,
) -> tuple[CaseNetworkPerson, ...]:
    """The case's ``netwerk`` at ``path`` (``()`` when absent); every problem to ``reader``."""
    value = reader.get(path)
    if value is None:
        return ()
    if value == "" or value == []:
        reader.error(path, f"'netwerk' {where} moet minstens één persoon bevatten", at_key=True)
        return ()
    if not isinstance(value, list):
        reader.error(
            path, "'netwerk' moet een lijst van mensen zijn (regels die beginnen met '- ')"
        )
        return ()
    people = []
    roles: set[str] = set()
    for index in range(len(value)):
        item = (*path, index)
        item_where = f"bij netwerk-persoon {index + 1} {where}"
        reader.mapping(item, item_where, _KEYS, _OPTIONAL)
        role = reader.text((*item, "rol"))
        if role and (problem := role_problem(role)):
            reader.error((*item, "rol"), f"'rol' {item_where}: {problem}")
        elif role and role.casefold() in roles:
            reader.error((*item, "rol"), f"'{role}' staat twee keer in 'netwerk' {where}")
        roles.add(role.casefold())
        who = _who(reader, (*item, "wie"), item_where, persons)
        known = {p.id for p in persons}
        present = {p.id for p in persons if p.aanwezig}
        if who and set(who) <= known and not set(who) & present:
            reader.error(
                (*item, "wie"),
                f"netwerk-persoon {index + 1} {where} kan nooit verteld worden: niemand die "
                "het weet, is aanwezig",
                at_key=True,
            )
        people.append(
            CaseNetworkPerson(
                rol=role,
                groep=_group(reader, (*item, "groep"), item_where, network),
                vertelt=reader.text((*item, "vertelt")),
                sleutelwoorden=_unique(reader, (*item, "sleutelwoorden")),
                hulp=_helps(reader, (*item, "hulp"), item_where, network),
                afstand=_closeness(reader, (*item, "afstand"), item_where, network),
                kan_meer=_yes_no(reader, (*item, "kan_meer")),
                wie=who,
            )
        )
    return tuple(people)


def _unique(reader: Reader, path: DataPath) -> tuple[str, ...]:
    values = reader.texts(path)
    seen: set[str] = set()
    for index, text in enumerate(values):
        if text and text.casefold() in seen:
            reader.error((*path, index), f"'{text}' staat twee keer in '{path[-1]}'")
        seen.add(text.casefold())
    return values


def _group(reader: Reader, path: DataPath, where: str, network: NetworkGuide) -> str:
    group = reader.text(path)
    known = [group.id for group in network.groups]
    if group and group not in known:
        reader.error(
            path,
            f"onbekende groep '{group}' {where}{did_you_mean(group, known)}; kies uit de "
            f"groepen van de netwerkkaart: {', '.join(known)}",
        )
    return group


def _helps(reader: Reader, path: DataPath, where: str, network: NetworkGuide) -> tuple[str, ...]:
    helps = reader.texts(path, required=False)
    known = [kind.id for kind in network.helps]
    for index, kind in enumerate(helps):
        if kind and kind not in known:
            reader.error(
                (*path, index),
                f"onbekende soort hulp '{kind}' {where}{did_you_mean(kind, known)}; kies uit "
                f"de hulp van de netwerkkaart: {', '.join(known)}",
            )
    return tuple(dict.fromkeys(helps))


def _closeness(reader: Reader, path: DataPath, where: str, network: NetworkGuide) -> str:
    closeness = reader.text(path)
    known = [key for key, _ in network.closeness]
    if closeness and closeness not in known:
        reader.error(
            path,
            f"onbekende afstand '{closeness}' {where}{did_you_mean(closeness, known)}; "
            f"kies uit {' of '.join(known)}",
        )
    return closeness


def _yes_no(reader: Reader, path: DataPath) -> bool:
    value = reader.text(path, required=False)
    if value and value not in _YES_NO:
        reader.error(path, f"'{path[-1]}' is ja of nee, niet '{value}'")
    return value == "ja"


def _who(reader: Reader, path: DataPath, where: str, persons: Sequence[Person]) -> tuple[str, ...]:
    who = _unique(reader, path) if reader.get(path) is not None else ()
    known = [person.id for person in persons]
    for index, person_id in enumerate(who):
        if person_id and person_id not in known:
            reader.error(
                (*path, index),
                f"onbekende persoon '{person_id}' {where}{did_you_mean(person_id, known)}; "
                f"kies uit {', '.join(known)}",
            )
    return who
