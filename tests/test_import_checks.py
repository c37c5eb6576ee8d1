"""What an imported hand-over may put into the database: themes, gaps and referral kinds
checked against the guide and the sociale kaart, with the place in the file; and several
hand-overs imported at once, each on its own."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from household_data import CODE, build, dump

from wijkgesprek import paths
from wijkgesprek.cli import main
from wijkgesprek.content.model import OTHER_KIND
from wijkgesprek.exchange.handover import to_handover
from wijkgesprek.store import repo
from wijkgesprek.store.engine import Store
from wijkgesprek.store.handover import referral_extras

HOSTILE = "Jansen, Dorpsstraat 1"
"""A name and address typed where a theme or a kind belongs (invented)."""


@pytest.fixture
def seeded(store: Store) -> Store:
    build(store)
    return store


def export(store: Store, code: str = CODE) -> dict[str, Any]:
    history = store.run(repo.get_household, code=code)
    return to_handover(history, extras=store.run(referral_extras, code=code))


def write(target: Path, data: object) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(data, ensure_ascii=False, indent=2), "utf-8")
    return target


def place(file: Path, needle: str) -> tuple[int, int]:
    """Line and column (from 1) of the quoted text ``needle`` in ``file``."""
    text = file.read_text("utf-8")
    offset = text.index(json.dumps(needle, ensure_ascii=False))
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def other_dir(tmp_path: Path) -> Path:
    return tmp_path / "ander"


def database_bytes(folder: Path) -> bytes:
    """Every file of the data folder (database, its WAL, backups), as bytes."""
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


# --- the three kinds of field -----------------------------------------------------------------

REFUSED = {
    "theme of a note": (
        lambda d: d["bezoeken"][0]["themas"]["stress"].append(HOSTILE),
        "bezoeken[1].themas.stress[3]",
    ),
    "gap": (
        lambda d: d["bezoeken"][0]["geen_aanbod"].append(HOSTILE),
        "bezoeken[1].geen_aanbod[2]",
    ),
    "theme of a referral": (
        lambda d: d["verwijzingen"][0]["themas"].append(HOSTILE),
        "verwijzingen[1].themas[2]",
    ),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_an_unknown_theme_is_refused_with_its_place(
    seeded: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    mutate, path = REFUSED[case]
    data = export(seeded)
    mutate(data)
    file = write(tmp_path / "overdracht.json", data)
    line, column = place(file, HOSTILE)
    before = dump(seeded.path)
    assert main(["import", str(file)]) == 1
    out, err = capsys.readouterr()
    assert f"{file}:{line}:{column}: {path}: onbekend thema" in err
    assert "gespreksleidraad" in err
    assert HOSTILE not in out + err
    assert dump(seeded.path) == before
    assert main(["controleer", str(file)]) == 1
    out, err = capsys.readouterr()
    assert f"{file}:{line}:{column}: {path}: onbekend thema" in err
    assert HOSTILE not in out + err


def test_an_unknown_referral_kind_becomes_overig_with_a_warning(
    seeded: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = export(seeded)
    data["verwijzingen"][0]["soort"] = HOSTILE
    file = write(tmp_path / "overdracht.json", data)
    line, column = place(file, HOSTILE)
    expected = f"{file}:{line}:{column}: waarschuwing: verwijzingen[1].soort: onbekende soort"
    assert main(["controleer", str(file)]) == 0
    out, err = capsys.readouterr()
    assert expected in err and f"'{OTHER_KIND}'" in err
    assert HOSTILE not in out + err
    target = other_dir(tmp_path)
    assert main(["--data-dir", str(target), "import", str(file)]) == 0
    out, err = capsys.readouterr()
    assert expected in err
    assert HOSTILE not in out + err
    kinds = {
        r.soort
        for r in Store(target / paths.DATABASE_NAME).run(repo.get_household, code=CODE).referrals
    }
    assert OTHER_KIND in kinds and HOSTILE not in kinds


def test_a_kind_in_other_case_is_the_kind(seeded: Store, tmp_path: Path) -> None:
    data = export(seeded)
    data["verwijzingen"][0]["soort"] = " Dienst"
    file = write(tmp_path / "overdracht.json", data)
    target = other_dir(tmp_path)
    assert main(["--data-dir", str(target), "import", str(file)]) == 0
    history = Store(target / paths.DATABASE_NAME).run(repo.get_household, code=CODE)
    assert history.referrals[0].soort == "dienst"


def test_a_hostile_value_appears_nowhere(
    seeded: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A name and address typed as a theme, a gap and a referral kind: the file with the
    themes is refused, the kind becomes "overig"; afterwards the database, the trends and
    every export hold none of it."""
    target = other_dir(tmp_path)
    base = ["--data-dir", str(target)]
    outputs = []
    for number in range(1, 6):  # enough households for the trends to show figures
        data = export(seeded)
        data["huishouden"]["code"] = f"GZ-{number:03}"
        data["verwijzingen"][0]["soort"] = HOSTILE
        kind_file = write(tmp_path / f"soort-{number}.json", data)
        assert main([*base, "import", str(kind_file)]) == 0
        outputs.append(capsys.readouterr())
    themed = export(seeded)
    themed["huishouden"]["code"] = "GZ-777"
    themed["bezoeken"][0]["themas"]["stress"] = [HOSTILE]
    themed["bezoeken"][0]["geen_aanbod"] = [HOSTILE]
    theme_file = write(tmp_path / "b-thema.json", themed)
    period = ["--van", "2026-01", "--tot", "2026-06"]
    assert main([*base, "import", str(theme_file)]) == 1
    outputs.append(capsys.readouterr())
    for args in (
        ["trends", "--formaat", "csv", *period],
        ["trends", "--formaat", "md", *period],
        ["trends", *period],
        ["export", CODE],
        ["export", CODE, "--soort", "gezin"],
        ["export", CODE, "--soort", "overdracht"],
    ):
        assert main([*base, *args]) == 0, args
        outputs.append(capsys.readouterr())
    for out, err in outputs:
        assert HOSTILE not in out + err
    assert OTHER_KIND in outputs[6].out  # the kind's row is there, under its new name
    raw = database_bytes(target)
    assert raw  # the import wrote something
    for needle in (HOSTILE, "Jansen", "Dorpsstraat"):
        assert needle.encode("utf-8") not in raw
        assert needle.encode("utf-16-le") not in raw


# --- several files ------------------------------------------------------------------------------


@pytest.fixture
def three(seeded: Store, tmp_path: Path) -> Iterator[tuple[Path, Path, Path]]:
    """Two good hand-overs (GZ-001, GZ-002) and a bad one (GZ-003, an unknown theme)."""
    good = export(seeded)
    second = export(seeded)
    second["huishouden"]["code"] = "GZ-002"
    bad = export(seeded)
    bad["huishouden"]["code"] = "GZ-003"
    bad["bezoeken"][1]["geen_aanbod"] = ["vakantie"]
    folder = tmp_path / "overdrachten"
    yield (
        write(folder / "1-eerste.json", good),
        write(folder / "2-fout.json", bad),
        write(folder / "3-tweede.json", second),
    )


def codes_in(folder: Path) -> set[str]:
    database = folder / paths.DATABASE_NAME
    if not database.exists():
        return set()
    return {h.code for h in Store(database).run(repo.list_households)}


def test_several_files_each_on_its_own(
    three: tuple[Path, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, bad, second = three
    target = other_dir(tmp_path)
    args = ["--data-dir", str(target), "import", str(first), str(bad), str(second)]
    assert main(args) == 1
    out, err = capsys.readouterr()
    assert codes_in(target) == {"GZ-001", "GZ-002"}
    assert f"{first}: ingelezen" in out and f"{second}: ingelezen" in out
    assert "Nieuw huishouden GZ-001" in out and "Nieuw huishouden GZ-002" in out
    assert f"{bad}: niet ingelezen" in err
    assert "bezoeken[2].geen_aanbod[1]: onbekend thema" in err
    assert "1 van de 3 bestanden is niet ingelezen" in err
    assert err.index(f"{bad}:") < err.index("1 van de 3")
    # Each file reported in order, the bad one between the good ones.
    assert out.index(str(first)) < out.index(str(second))


def test_all_good_files_give_zero(
    three: tuple[Path, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, _, second = three
    target = other_dir(tmp_path)
    assert main(["--data-dir", str(target), "import", str(first), str(second)]) == 0
    out, err = capsys.readouterr()
    assert "2 bestanden ingelezen" in out and err == ""
    assert codes_in(target) == {"GZ-001", "GZ-002"}


def test_a_folder_is_every_json_file_in_it_sorted(
    three: tuple[Path, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, bad, second = three
    folder = first.parent
    (folder / "lees-mij.txt").write_text("geen overdracht", "utf-8")
    (folder / "._1-eerste.json").write_bytes(b"\x00\x05\x16\x07")  # a macOS shadow file
    target = other_dir(tmp_path)
    assert main(["--data-dir", str(target), "import", str(folder)]) == 1
    out, err = capsys.readouterr()
    assert codes_in(target) == {"GZ-001", "GZ-002"}
    assert out.index(str(first)) < out.index(str(second))
    assert str(bad) in err and "lees-mij" not in out + err and "._1" not in out + err
    assert "1 van de 3 bestanden is niet ingelezen" in err


def test_an_empty_folder_is_said(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "leeg"
    folder.mkdir()
    assert main(["import", str(folder)]) == 1
    assert f"{folder}: geen .json-bestanden in deze map" in capsys.readouterr().err
    assert not (paths.data_dir() / paths.DATABASE_NAME).exists()


def test_a_conflict_refuses_only_that_file_and_neem_over_works_per_file(
    seeded: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    changed = export(seeded)
    changed["bezoeken"][0]["notities"]["stress"] = "Andere tekst, verzonnen."
    other = export(seeded)
    other["huishouden"]["code"] = "GZ-004"
    conflict = write(tmp_path / "a.json", changed)
    new = write(tmp_path / "b.json", other)
    before = dump(seeded.path)
    assert main(["import", str(conflict), str(new)]) == 1
    out, err = capsys.readouterr()
    assert "bezoeken[1].notities.stress" in out
    assert f"{conflict}: niet ingelezen" in err and "--neem-over" in err
    assert f"{new}: ingelezen" in out
    assert "GZ-004" in codes_in(paths.data_dir())
    after = dump(seeded.path)
    assert [r for r in after["note"] if r in before["note"]] == before["note"]
    assert main(["import", "--neem-over", str(conflict), str(new)]) == 0
    out, _ = capsys.readouterr()
    assert "overgenomen uit het bestand" in out
    history = seeded.run(repo.get_household, code=CODE)
    assert history.visits[0].record.notes["stress"].text == "Andere tekst, verzonnen."


def test_one_file_reads_as_before(
    seeded: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = write(tmp_path / "overdracht.json", export(seeded))
    assert main(["import", str(file)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith(f"{CODE}: geen nieuwe bezoeken, 2 gelijk.") and err == ""
