"""Hand-overs: export → import round trip, conflicts, take-over, and every bad file refused."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from household_data import CODE, NOTE_STRESS, SECRETS, T0, T1, add_trail, build, dump

from wijkgesprek import paths
from wijkgesprek.cli import main
from wijkgesprek.domain.household import Children
from wijkgesprek.errors import ContentError, WijkError
from wijkgesprek.exchange.handover import SCHEMA_VERSION, parse_handover, to_handover
from wijkgesprek.store import handover as store_handover
from wijkgesprek.store import repo
from wijkgesprek.store.engine import Store
from wijkgesprek.store.handover import apply_import, load_handover, plan_import, referral_extras
from wijkgesprek.store.schema import prepare_database

NOW = datetime(2026, 3, 16, 10, 0, tzinfo=UTC)


@pytest.fixture
def seeded(store: Store) -> Store:
    build(store)
    return store


def export(store: Store, code: str = CODE) -> dict[str, Any]:
    history = store.run(repo.get_household, code=code)
    return to_handover(history, extras=store.run(referral_extras, code=code))


def write(tmp_path: Path, data: object, name: str = "overdracht.json") -> Path:
    target = tmp_path / name
    target.write_text(json.dumps(data, ensure_ascii=False, indent=2), "utf-8")
    return target


def other_store(tmp_path: Path) -> Store:
    database = tmp_path / "ander" / paths.DATABASE_NAME
    prepare_database(database)
    return Store(database)


# --- round trip ------------------------------------------------------------------------------


def test_round_trip_through_an_empty_database(
    seeded: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "GZ-001.json"
    assert main(["export", CODE, "--soort", "overdracht", "--uitvoer", str(file)]) == 0
    capsys.readouterr()
    other = tmp_path / "ander"
    assert main(["--data-dir", str(other), "import", str(file)]) == 0
    out, err = capsys.readouterr()
    assert out == "Nieuw huishouden GZ-001 met 2 bezoeken.\n1 nieuwe verwijzing toegevoegd.\n"
    assert err == ""
    again = tmp_path / "opnieuw.json"
    args = ["--data-dir", str(other), "export", CODE, "--soort", "overdracht"]
    assert main([*args, "--uitvoer", str(again)]) == 0
    assert json.loads(again.read_text("utf-8")) == json.loads(file.read_text("utf-8"))
    assert again.read_text("utf-8") == file.read_text("utf-8")


def test_round_trip_keeps_the_trail_and_referral_history(seeded: Store, tmp_path: Path) -> None:
    original = export(seeded)
    other = other_store(tmp_path)
    handover = parse_handover(json.dumps(original), source=tmp_path / "x.json")
    plan = other.run(plan_import, handover=handover)
    other.run(apply_import, plan=plan, take_over=False, now=NOW)
    assert export(other) == original
    history = other.run(repo.get_household, code=CODE)
    trail = history.visits[0].safety
    scales = [e for e in trail if e.kind == "schaal"]
    assert scales[0].corrects is None and scales[1].corrects == scales[0].id
    assert history.visits[0].record.agreements[0].status == "gedaan"
    other.engine.dispose()


def test_import_into_the_same_database_changes_nothing(
    seeded: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = write(tmp_path, export(seeded))
    before = dump(seeded.path)
    assert main(["import", str(file)]) == 0
    assert capsys.readouterr().out == "GZ-001: geen nieuwe bezoeken, 2 gelijk.\n"
    assert dump(seeded.path) == before


def test_new_visits_are_added(
    seeded: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = export(seeded)
    later = copy.deepcopy(data["bezoeken"][1])
    later["begonnen"] = (T1 + timedelta(weeks=1)).isoformat()
    later["afgerond"] = (T1 + timedelta(weeks=1, hours=1)).isoformat()
    later["notities"] = {"stress": "Derde bezoek: het gaat beter."}
    data["bezoeken"].append(later)
    data["verwijzingen"].append(
        {
            **data["verwijzingen"][0],
            "naam": "Taalcafé",
            "status": "besproken",
            "bezoek": 3,
            "geschiedenis": [
                {"status": "besproken", "reden": "", "bezoek": 3, "op": later["begonnen"]}
            ],
        }
    )
    assert main(["import", str(write(tmp_path, data))]) == 0
    out = capsys.readouterr().out
    assert out == "GZ-001: 1 nieuw bezoek toegevoegd, 2 gelijk.\n1 nieuwe verwijzing toegevoegd.\n"
    assert export(seeded) == data


# --- conflicts -------------------------------------------------------------------------------


def changed(seeded: Store, tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    data = export(seeded)
    data["bezoeken"][0]["notities"]["stress"] = NOTE_STRESS.replace("slecht", "beter")
    data["bezoeken"][0]["volgend_contact"] = "2026-03-10"
    return write(tmp_path, data), data


def test_a_changed_visit_is_a_conflict_and_nothing_changes(
    seeded: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file, _ = changed(seeded, tmp_path)
    before = dump(seeded.path)
    assert main(["import", str(file)]) == 1
    out, err = capsys.readouterr()
    assert f"Bezoek van {T0.astimezone():%d-%m-%Y %H:%M} verschilt:" in out
    assert "  bezoeken[1].notities.stress\n" in out
    assert "    hier:           “…achter. ⏎ Moeder slaapt slecht sinds" in out
    assert "    in het bestand: “…achter. ⏎ Moeder slaapt beter sinds" in out
    assert "  bezoeken[1].volgend_contact\n    hier:           09-03-2026\n" in out
    assert "GZ-001: geen nieuwe bezoeken, 1 gelijk, 1 met verschillen." in out
    assert err == (
        "Niets veranderd. Gebruik --neem-over om de versie uit het bestand over te nemen.\n"
    )
    assert dump(seeded.path) == before


def test_conflicts_show_excerpts_not_whole_notes(seeded: Store, tmp_path: Path) -> None:
    data = export(seeded)
    data["bezoeken"][1]["notities"]["stress"] = "x" * 5000 + " einde"
    plan = seeded.run(plan_import, handover=parse_handover(json.dumps(data), source=tmp_path))
    (conflict,) = plan.conflicts
    (difference,) = conflict.differences
    assert difference.path == "bezoeken[2].notities.stress"
    assert len(difference.ours) <= 64 and len(difference.theirs) <= 64
    with pytest.raises(WijkError, match="Niets veranderd"):
        seeded.run(apply_import, plan=plan, take_over=False, now=NOW)


def test_take_over_replaces_and_keeps_the_earlier_version(
    seeded: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file, data = changed(seeded, tmp_path)
    assert main(["import", str(file), "--neem-over"]) == 0
    out = capsys.readouterr().out
    assert "bezoeken[1].notities.stress" in out  # what was taken over is shown first
    assert "GZ-001: geen nieuwe bezoeken, 1 gelijk, 1 bezoek overgenomen uit het bestand." in out
    label = f"Eerdere versie (voor import van {datetime.now(UTC).astimezone():%d-%m-%Y})"
    assert f"De eerdere versie is bewaard als aanvulling “{label}”." in out
    history = seeded.run(repo.get_household, code=CODE)
    first = history.visits[0]
    assert first.record.notes["stress"].text == data["bezoeken"][0]["notities"]["stress"]
    kept = {c.topic: c.text for c in first.corrections if c.text.startswith(label)}
    assert kept["stress"] == f"{label}:\n{NOTE_STRESS}"
    assert kept["afspraken"] == f"{label}: volgend contact 09-03-2026."
    assert str(first.record.next_contact) == "2026-03-10"
    capsys.readouterr()
    assert main(["import", str(file)]) == 0  # taken over: now the same
    assert capsys.readouterr().out == "GZ-001: geen nieuwe bezoeken, 2 gelijk.\n"


def test_other_kinds_of_difference(seeded: Store, tmp_path: Path) -> None:
    data = export(seeded)
    data["huishouden"]["wijk"] = "Zuid"
    visit = data["bezoeken"][1]
    visit["afspraken"][0]["status"] = "gedaan"
    visit["afspraken"].append({"wat": "Bellen", "wie": "", "wanneer": "", "status": "open"})
    visit["themas"]["stress"] = ["wonen"]
    visit["aanvullingen"].append(
        {"onderwerp": "stress", "tekst": "Nog iets", "op": NOW.isoformat()}
    )
    visit["veiligheid"].append(
        {"soort": "schaal", "sleutel": "kind", "waarde": "7", "notitie": "", "op": NOW.isoformat()}
    )
    visit["geen_aanbod"].append("taal")
    referral = data["verwijzingen"][0]
    referral["status"] = "gestart"
    referral["geschiedenis"].append(
        {"status": "gestart", "reden": "", "bezoek": 2, "op": NOW.isoformat()}
    )
    plan = seeded.run(plan_import, handover=parse_handover(json.dumps(data), source=tmp_path))
    paths_found = [d.path for c in plan.conflicts for d in c.differences]
    assert paths_found == [
        "huishouden.wijk",
        "bezoeken[2].themas.stress",
        "bezoeken[2].afspraken[1].status",
        "bezoeken[2].afspraken[2]",
        "bezoeken[2].aanvullingen[1]",
        "bezoeken[2].veiligheid[2]",
        "bezoeken[2].geen_aanbod",
        "verwijzingen[1].status",
        "verwijzingen[1].geschiedenis[3]",
    ]
    lines = seeded.run(apply_import, plan=plan, take_over=True, now=NOW)
    assert "1 verwijzing bijgewerkt; de eerdere standen blijven in de geschiedenis." in lines
    assert any(line.startswith("Wijk en kinderen van GZ-001 overgenomen") for line in lines)
    mine = seeded.run(load_handover, code=CODE)
    assert mine.wijk == "Zuid"
    assert [(c.kind, c.old, c.new, c.at) for c in mine.changes][-1] == (
        "wijk",
        "Noord",
        "Zuid",
        NOW,
    )
    second = mine.visits[1]
    assert [a.status for a in second.agreements] == ["gedaan", "open"]
    assert second.themes["stress"] == ("wonen",)
    assert len(second.safety) == 2 and second.gaps == ("taal",)
    assert [st.state for st in mine.referrals[0].steps] == ["besproken", "aangemeld", "gestart"]
    again = seeded.run(plan_import, handover=parse_handover(json.dumps(data), source=tmp_path))
    assert again.conflicts == () and again.same_visits == (1, 2)


def test_local_extras_are_no_conflict(seeded: Store, tmp_path: Path) -> None:
    data = export(seeded)
    first = seeded.run(repo.get_household, code=CODE).visits[0].record.id
    seeded.run(repo.add_correction, visit_id=first, topic="stress", text="Hier later", now=NOW)
    plan = seeded.run(plan_import, handover=parse_handover(json.dumps(data), source=tmp_path))
    assert plan.conflicts == () and plan.same_visits == (1, 2)


def test_apply_is_one_transaction(
    seeded: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = export(seeded)
    data["bezoeken"][0]["notities"]["stress"] = "Anders"
    data["bezoeken"].append({**data["bezoeken"][1], "begonnen": NOW.isoformat()})
    plan = seeded.run(plan_import, handover=parse_handover(json.dumps(data), source=tmp_path))
    before = dump(seeded.path)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("schijf vol")

    monkeypatch.setattr(store_handover._Apply, "_take_over_visit", broken)
    with pytest.raises(RuntimeError):
        seeded.run(apply_import, plan=plan, take_over=True, now=NOW)
    assert dump(seeded.path) == before


def test_a_plan_gone_stale_is_refused(seeded: Store, tmp_path: Path) -> None:
    data = export(seeded)
    data["bezoeken"].append({**data["bezoeken"][1], "begonnen": NOW.isoformat()})
    plan = seeded.run(plan_import, handover=parse_handover(json.dumps(data), source=tmp_path))
    seeded.run(
        repo.start_visit, code=CODE, wijk="Noord", children=Children(birth_years=(2024,)), now=NOW
    )
    before = dump(seeded.path)
    with pytest.raises(WijkError, match="veranderd sinds"):
        seeded.run(apply_import, plan=plan, take_over=False, now=NOW)
    assert dump(seeded.path) == before


def test_a_one_megabyte_note_is_fine(
    seeded: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = export(seeded)
    big = ("Een lange aantekening met ë en € " * 40_000)[:1_000_000]
    data["huishouden"]["code"] = "GZ-014"
    data["bezoeken"][0]["notities"]["stress"] = big
    assert main(["import", str(write(tmp_path, data))]) == 0
    assert capsys.readouterr().out.startswith("Nieuw huishouden GZ-014 met 2 bezoeken.\n")
    history = seeded.run(repo.get_household, code="GZ-014")
    assert history.visits[0].record.notes["stress"].text == big


# --- bad files -------------------------------------------------------------------------------

Mutation = Callable[[dict[str, Any]], object]


def _set(path: str, value: object) -> Mutation:
    def change(data: dict[str, Any]) -> object:
        *parents, last = path.split("/")
        target: Any = data
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        if value is KeyError:
            del target[last]
        elif last.isdigit():
            target[int(last)] = value
        else:
            target[last] = value
        return data

    return change


def _version_1(data: dict[str, Any], groups: list[str]) -> dict[str, Any]:
    """``data`` as version 1 wrote it: the old age groups, no changes."""
    household = data["huishouden"]
    for key in ("kinderen", "kinderen_vastgelegd", "wijzigingen"):
        del household[key]
    household["leeftijdsgroepen"] = groups
    for visit in data["bezoeken"]:  # schema 3 added the netwerkkaart
        del visit["netwerkkaart"]
    return {**data, "schema": 1}


def test_a_version_1_file_keeps_its_old_age_groups(seeded: Store, tmp_path: Path) -> None:
    data = _version_1(export(seeded), ["0-4", "4-12", "zwanger"])
    other = other_store(tmp_path)
    handover = parse_handover(json.dumps(data), source=tmp_path / "oud.json")
    other.run(
        apply_import, plan=other.run(plan_import, handover=handover), take_over=False, now=NOW
    )
    history = other.run(repo.get_household, code=CODE)
    assert history.children == Children(legacy=("0-4", "4-12"), pregnant=True)
    assert history.children.recorded == T1  # asked, as then, at the start of the last visit
    assert history.changes == ()
    # Into a database that has the household with ages: a difference, never a silent change.
    plan = seeded.run(plan_import, handover=handover)
    (difference,) = [d for c in plan.conflicts for d in c.differences if "kinderen" in d.path]
    assert difference.theirs.startswith("0–4 jaar, 4–12 jaar, zwanger (vastgelegd op")


def _text(text: str) -> Mutation:
    return lambda data: text


BAD: dict[str, tuple[Mutation, str]] = {
    "not JSON": (_text("Dit is geen JSON"), ":1:1: geen geldig JSON-bestand"),
    "truncated": (lambda d: json.dumps(d, indent=2)[:900], "geen geldig JSON-bestand"),
    "a list": (lambda d: [d], ":1:1: het bestand moet een JSON-object ({…}) zijn, niet een lijst"),
    "schema 99": (
        _set("schema", 99),
        "schema: versie 99 is gemaakt door een nieuwere versie van wijkgesprek; "
        "werk wijkgesprek bij",
    ),
    "schema as text": (_set("schema", "1"), "schema: ontbreekt of is geen schemaversie"),
    "soort wrong": (_set("soort", "agenda"), "soort: dit is geen overdracht van wijkgesprek"),
    "soort missing": (_set("soort", KeyError), "soort: dit is geen overdracht van wijkgesprek"),
    "code missing": (_set("huishouden/code", KeyError), "huishouden.code: ontbreekt"),
    "code a name": (_set("huishouden/code", "Jansen"), "huishouden.code: Gebruik een gezinscode"),
    "visits not a list": (_set("bezoeken", {}), "bezoeken: moet een lijst ([…]) zijn"),
    "date invalid": (
        _set("bezoeken/1/begonnen", "31-02-2026"),
        "bezoeken[2].begonnen: geen geldige",
    ),
    "date without zone": (_set("bezoeken/0/afgerond", "2026-03-02T13:00:00"), "tijdzone ontbreekt"),
    "next contact invalid": (
        _set("bezoeken/0/volgend_contact", "2026-13-01"),
        "bezoeken[1].volgend_contact: geen geldige datum",
    ),
    "note not text": (
        _set("bezoeken/0/notities/stress", 42),
        "bezoeken[1].notities.stress: moet tekst zijn, niet een heel getal",
    ),
    "agreement status unknown": (
        _set("bezoeken/0/afspraken/0/status", "klaar"),
        "bezoeken[1].afspraken[1].status: onbekende waarde; kies uit open, gedaan, vervallen",
    ),
    "field unknown": (_set("bezoeken/0/geheim", "x"), "bezoeken[1].geheim: onbekend veld"),
    "scale out of range": (
        _set("bezoeken/0/veiligheid/2/waarde", "11"),
        "bezoeken[1].veiligheid[3]: sleutel of waarde past niet bij soort schaal",
    ),
    "melding without a day": (
        lambda d: _set("bezoeken/0/veiligheid/2/notitie", '{"met": "medewerker VT"}')(
            _set("bezoeken/0/veiligheid/2/waarde", "melding")(
                _set("bezoeken/0/veiligheid/2/sleutel", "1")(
                    _set("bezoeken/0/veiligheid/2/soort", "veilig-thuis")(d)
                )
            )
        ),
        "bezoeken[1].veiligheid[3]: de notitie van een contact met Veilig Thuis is niet te lezen",
    ),
    "veilig thuis contact kind unknown": (
        lambda d: _set("bezoeken/0/veiligheid/2/waarde", "gebeld")(
            _set("bezoeken/0/veiligheid/2/soort", "veilig-thuis")(d)
        ),
        "bezoeken[1].veiligheid[3]: sleutel of waarde past niet bij soort veilig-thuis",
    ),
    "safety kind unknown": (
        _set("bezoeken/0/veiligheid/0/soort", "geheim"),
        "bezoeken[1].veiligheid[1].soort: onbekende waarde",
    ),
    "referral visit missing": (
        _set("verwijzingen/0/bezoek", 7),
        "verwijzingen[1].bezoek: geen bezoek in dit bestand (kies 1 tot en met 2)",
    ),
    "referral state unknown": (
        _set("verwijzingen/0/status", "afgewezen"),
        "verwijzingen[1].status: onbekende waarde",
    ),
    "waiting list reason not a date": (
        lambda d: _set("verwijzingen/0/geschiedenis/1/reden", "binnenkort")(
            _set("verwijzingen/0/geschiedenis/1/status", "wachtlijst")(d)
        ),
        "verwijzingen[1].geschiedenis[2].reden: bij de wachtlijst leeg of",
    ),
    "waiting list expected date invalid": (
        lambda d: _set("verwijzingen/0/reden", "verwacht vanaf 31-02-2026")(
            _set("verwijzingen/0/status", "wachtlijst")(d)
        ),
        "verwijzingen[1].reden: bij de wachtlijst leeg of",
    ),
    "true is no number": (
        _set("verwijzingen/0/bezoek", True),
        "verwijzingen[1].bezoek: moet een heel getal zijn",
    ),
    "child unknown": (
        _set("huishouden/kinderen", ["baby"]),
        "huishouden.kinderen[1]: onbekend; een geboortejaar (zoals 2021)",
    ),
    "birth date instead of year": (
        _set("huishouden/kinderen", ["2024-05-01"]),
        "huishouden.kinderen[1]: onbekend",
    ),
    "change of something else": (
        _set("huishouden/wijzigingen/0/wat", "naam"),
        "huishouden.wijzigingen[1].wat: onbekende waarde; kies uit wijk, kinderen",
    ),
    "old file, age group unknown": (
        lambda d: _version_1(d, ["baby"]),
        "huishouden.leeftijdsgroepen[1]: onbekend; kies uit 0-4, 4-12, 12-18, 18+",
    ),
    "same start twice": (
        _set("bezoeken/1/begonnen", T0.isoformat()),
        "bezoeken[2].begonnen: zelfde begintijd als bezoeken[1]",
    ),
    "duplicate key": (
        lambda d: json.dumps(d).replace('"soort": "wijk', '"schema": 1, "soort": "wijk', 1),
        "velden staan er dubbel in: schema",
    ),
    "NaN": (
        lambda d: json.dumps(d).replace(f'"schema": {SCHEMA_VERSION}', '"schema": NaN'),
        "NaN",
    ),
    # Dates at the ends of the calendar: local time or a day later would overflow.
    "visit in year 1": (
        _set("bezoeken/1/begonnen", "0001-01-01T00:00:00+00:00"),
        "bezoeken[2].begonnen: de datum ligt niet tussen 2000 en 2100",
    ),
    "visit ended in year 9999": (
        _set("bezoeken/0/afgerond", "9999-12-31T23:59:59-12:00"),
        "bezoeken[1].afgerond: de datum ligt niet tussen 2000 en 2100",
    ),
    "follow-up in year 9999": (
        _set("bezoeken/0/volgend_contact", "9999-12-31"),
        "bezoeken[1].volgend_contact: de datum ligt niet tussen 2000 en 2100",
    ),
    "referral step in year 1": (
        _set("verwijzingen/0/geschiedenis/0/op", "0001-01-01T00:00:00+14:00"),
        "verwijzingen[1].geschiedenis[1].op: de datum ligt niet tussen 2000 en 2100",
    ),
    "household change in 9999": (
        _set("huishouden/wijzigingen/0/op", "9999-12-31T00:00:00+00:00"),
        "huishouden.wijzigingen[1].op: de datum ligt niet tussen 2000 en 2100",
    ),
    "born in 9999": (
        _set("huishouden/kinderen/0", "9999"),
        "huishouden.kinderen[1]: geboortejaar ligt niet tussen 1900 en 2100",
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_files_are_refused_and_nothing_changes(
    seeded: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    mutate, message = BAD[case]
    result = mutate(export(seeded))
    file = tmp_path / "overdracht.json"
    file.write_text(result if isinstance(result, str) else json.dumps(result), "utf-8")
    before = dump(seeded.path)
    assert main(["import", str(file)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"{file}:")
    assert message in err
    assert err.endswith("Het bestand is niet ingelezen; er is niets veranderd.\n")
    for secret in SECRETS:
        assert secret not in err
    assert dump(seeded.path) == before
    with pytest.raises(ContentError):
        parse_handover(file.read_text("utf-8"), source=file)


def test_truncated_json_says_where(seeded: Store, tmp_path: Path) -> None:
    text = json.dumps(export(seeded), indent=2)[:900]
    with pytest.raises(ContentError) as caught:
        parse_handover(text, source=tmp_path / "x.json")
    (problem,) = caught.value.problems
    assert problem.line == text.count("\n") + 1 and problem.column > 1


def test_all_problems_are_listed_and_capped(seeded: Store, tmp_path: Path) -> None:
    data = export(seeded)
    for visit in data["bezoeken"]:
        visit["notities"] = {f"onderwerp{n}": n for n in range(30)}
    with pytest.raises(ContentError) as caught:
        parse_handover(json.dumps(data), source=tmp_path / "x.json")
    problems = caught.value.problems
    assert len(problems) == 26 and problems[-1].message == "… en nog 35 problemen"


def test_a_bad_file_does_not_create_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = write(tmp_path, {"soort": "wijkgesprek-overdracht", "schema": SCHEMA_VERSION + 1})
    assert main(["import", str(file)]) == 1
    assert "werk wijkgesprek bij" in capsys.readouterr().err
    assert not (paths.data_dir() / paths.DATABASE_NAME).exists()


def test_unreadable_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(tmp_path / "weg.json")]) == 1
    assert capsys.readouterr().err == f"{tmp_path / 'weg.json'} bestaat niet.\n"
    binary = tmp_path / "foto.json"
    binary.write_bytes(b'{"soort":\n "\xff\xfe"}')
    assert main(["import", str(binary)]) == 1
    assert f"{binary}:2:3: geen UTF-8-tekst" in capsys.readouterr().err


def test_a_waiting_list_goes_through_a_round_trip(seeded: Store, tmp_path: Path) -> None:
    second = seeded.run(repo.get_household, code=CODE).visits[1].record.id
    (referral,) = seeded.run(repo.get_household, code=CODE).referrals
    seeded.run(
        repo.update_referral,
        referral_id=referral.id,
        visit_id=second,
        state="wachtlijst",
        reason="verwacht vanaf 01-05-2026",
        now=T1 + timedelta(minutes=20),
    )
    original = export(seeded)
    assert original["verwijzingen"][0]["geschiedenis"][-1] == {
        "status": "wachtlijst",
        "reden": "verwacht vanaf 01-05-2026",
        "bezoek": 2,
        "op": (T1 + timedelta(minutes=20)).isoformat(),
    }
    other = other_store(tmp_path)
    handover = parse_handover(json.dumps(original), source=tmp_path / "x.json")
    plan = other.run(plan_import, handover=handover)
    other.run(apply_import, plan=plan, take_over=False, now=NOW)
    assert export(other) == original
    (waiting,) = other.run(repo.get_household, code=CODE).referrals
    assert (waiting.state, waiting.since) == ("wachtlijst", T1 + timedelta(minutes=20))
    other.engine.dispose()


def test_what_was_done_with_veilig_thuis_travels_in_the_hand_over(
    seeded: Store, tmp_path: Path
) -> None:
    from wijkgesprek.domain.meldcode import REPORT, Contact, contacts
    from wijkgesprek.domain.safety import KINDCHECK, VT_CONTACT, WHEN

    made = Contact(REPORT, day=date(2026, 3, 10), met="medewerker VT", kenmerk="VT-0004")
    visit_id = seeded.run(repo.get_household, code=CODE).visits[1].record.id
    trail = (
        (KINDCHECK, "", "aandachtspunt", "slaapt slecht"),
        (KINDCHECK, WHEN, "volgend bezoek", ""),
        (VT_CONTACT, "", REPORT, made.note()),
    )
    add_trail(seeded, visit_id, trail, start=T1 + timedelta(minutes=9))
    original = export(seeded)
    other = other_store(tmp_path)
    handover = parse_handover(json.dumps(original), source=tmp_path / "x.json")
    other.run(
        apply_import, plan=other.run(plan_import, handover=handover), take_over=False, now=NOW
    )
    assert export(other) == original
    trail = other.run(repo.get_household, code=CODE).visits[1].safety
    assert [(c.kind, c.kenmerk, c.day) for c in contacts(trail)] == [
        (REPORT, "VT-0004", date(2026, 3, 10))
    ]
    other.engine.dispose()
