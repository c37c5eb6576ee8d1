"""The command line: versions, checks, and one clear sentence for every user error."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from helpers import run_cli as run

from wijkgesprek import __version__
from wijkgesprek.cli import main
from wijkgesprek.domain.household import Children
from wijkgesprek.paths import shipped_questions
from wijkgesprek.store.schema import APPLICATION_ID, SCHEMA_VERSION

ROOT = Path(__file__).resolve().parent.parent


def test_version_runs_from_any_folder(tmp_path: Path) -> None:
    result = run("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.strip() == f"wijkgesprek {__version__}"


def test_unknown_option_is_a_dutch_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lettertype"]) == 2
    err = capsys.readouterr().err
    assert "onbekende opties of woorden: --lettertype" in err
    assert "--help" in err


@pytest.mark.parametrize(
    ("given", "hint"),
    [
        ("rood", ""),
        ("lichtt", "bedoelde u licht?"),
        ("dracul", "bedoelde u dracula?"),
        ("", ""),
    ],
)
def test_a_colour_that_is_no_setting_is_named_with_what_is_allowed(
    given: str, hint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--kleur", given, "waar"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"bij --kleur/--kleuren: '{given}' is geen kleurinstelling" in captured.err
    assert hint in captured.err
    assert "ies licht of donker (of een Textual-thema: " in captured.err
    assert "nord" in captured.err and "Traceback" not in captured.err


@pytest.mark.parametrize(
    ("given", "theme"),
    [("licht", "textual-light"), ("Donker", "textual-dark"), (" NORD ", "nord")],
)
def test_a_colour_setting_is_read_in_any_case(given: str, theme: str) -> None:
    from wijkgesprek.cli.main import build_parser

    assert build_parser().parse_args(["--kleuren", given]).colours == theme


def test_help_is_dutch(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("gebruik: wijkgesprek")
    assert "controleer" in out and "toon deze hulp en stop" in out


def test_check_the_shipped_guide(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["controleer", str(shipped_questions())]) == 0
    assert "in orde" in capsys.readouterr().out


def test_check_json_prints_what_was_read(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["controleer", "--json", str(shipped_questions())]) == 0
    read = json.loads(capsys.readouterr().out)
    assert [topic["id"] for topic in read["onderwerpen"]][:2] == ["kennismaking", "stress"]


def test_check_a_broken_file_names_file_line_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "vragen.yaml"
    broken.write_text(
        shipped_questions().read_text("utf-8").replace("doorvragen:", "doorvrgen:", 1)
    )
    assert main(["controleer", str(broken)]) == 1
    err = capsys.readouterr().err
    line = next(
        n for n, text in enumerate(broken.read_text().splitlines(), 1) if "doorvrgen" in text
    )
    assert f"{broken}:{line}:" in err
    assert "bedoelde je 'doorvragen'?" in err


def test_missing_questions_file_is_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "weg.yaml"
    assert main(["--data-dir", str(tmp_path / "data"), "--questions", str(missing)]) == 1
    err = capsys.readouterr().err
    assert str(missing) in err and "Traceback" not in err


def test_database_from_the_future_is_refused_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    database = data / "wijkgesprek.db"
    with sqlite3.connect(database) as connection:
        connection.execute("CREATE TABLE later (x)")
        connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = database.read_bytes()
    assert main(["--data-dir", str(data)]) == 1
    err = capsys.readouterr().err
    assert str(database) in err and "nieuwere versie" in err
    assert database.read_bytes() == before


def test_unusable_data_folder_is_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "bestand"
    blocker.write_text("geen map")
    assert main(["--data-dir", str(blocker / "data")]) == 1
    err = capsys.readouterr().err
    assert str(blocker / "data") in err and "--data-dir" in err
    assert len(err.strip().splitlines()) == 1


def test_broken_config_names_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config_dir = tmp_path / "config"
    config_dir.mkdir()
    (config_dir / "config.toml").write_text('kleuren = "licht"\n[toetsen\n')
    monkeypatch.setenv("WIJKGESPREK_CONFIG_DIR", str(config_dir))
    assert main(["--data-dir", str(tmp_path / "data")]) == 1
    err = capsys.readouterr().err
    assert f"{config_dir / 'config.toml'}:2:" in err
    assert "Traceback" not in err


def test_misspelt_config_key_gets_a_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "config.toml").write_text('kleur = "licht"\n')
    monkeypatch.setenv("WIJKGESPREK_CONFIG_DIR", str(tmp_path))
    assert main(["--data-dir", str(tmp_path / "data")]) == 1
    assert "Bedoelde je 'kleuren'?" in capsys.readouterr().err


def test_where_shows_the_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("WIJKGESPREK_DATA_DIR", str(tmp_path / "hier"))
    assert main(["waar"]) == 0
    assert str(tmp_path / "hier") in capsys.readouterr().out


def test_wheel_carries_the_data_and_finds_it_from_elsewhere(tmp_path: Path) -> None:
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path / "dist"),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    (wheel,) = (tmp_path / "dist").glob("wijkgesprek-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "wijkgesprek/data/questions.yaml" in names
    assert "wijkgesprek/app.tcss" in names
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    elsewhere = tmp_path / "ergens"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    result = run(
        "controleer", str(target / "wijkgesprek/data/questions.yaml"), cwd=elsewhere, env=env
    )
    assert result.returncode == 0, result.stderr
    found = subprocess.run(
        [sys.executable, "-c", "import wijkgesprek.paths as p; print(p.shipped_questions())"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=env,
        timeout=60,
    )
    assert Path(found.stdout.strip()) == target / "wijkgesprek/data/questions.yaml"


@pytest.mark.parametrize(
    ("args", "told"),
    [
        (["vervolg", "--formaat", "isc"], "bij --formaat: 'isc' is geen formaat; bedoelde u ics? "
         "Kies tabel of ics."),
        (["trends", "--formaat", "xlsx"], "bij --formaat: 'xlsx' is geen formaat; kies tabel, "
         "csv of md."),
        (["trends", "--per", "week"], "bij --per: 'week' is geen periode; kies maand, kwartaal "
         "of jaar."),
        (["export", "GZ-001", "--soort", "dosier"], "bij --soort: 'dosier' is geen soort export; "
         "bedoelde u dossier? Kies dossier, gezin of overdracht."),
    ],
)  # fmt: skip
def test_a_choice_that_is_not_one_names_option_value_and_choices(
    args: list[str], told: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"wijkgesprek {args[0]}: {told}\n")


@pytest.mark.parametrize(
    ("args", "read"),
    [
        (["vervolg", "--formaat", "ICS"], {"formaat": "ics"}),
        (["trends", "--formaat", "Csv", "--per", "MAAND"], {"formaat": "csv", "per": "maand"}),
        (["export", "GZ-001", "--soort", "Gezin"], {"soort": "gezin"}),
    ],
)
def test_a_choice_is_read_in_any_case(args: list[str], read: dict[str, str]) -> None:
    from wijkgesprek.cli.main import build_parser

    parsed = vars(build_parser().parse_args(args))
    assert {key: parsed[key] for key in read} == read


def test_suggestions_rank_the_shipped_network(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["suggesties", "--thema", "geldzorgen", "--wijk", "Noord", "--leeftijd", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines, "nothing suggested"
    assert all("geldzorgen" in line.casefold() for line in lines)
    assert lines[0].lstrip().startswith("1.")


def test_suggestions_as_json_name_gaps(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["suggesties", "--thema", "eenzaamheid", "--wijk", "Rivierkwartier", "--json"]
    assert main(args) == 0
    read = json.loads(capsys.readouterr().out)
    assert read["geen_aanbod"] == ["eenzaamheid"]
    assert read["suggesties"] == []
    assert main([*args[:-1]]) == 0
    assert "Geen aanbod voor 'Eenzaamheid' in Rivierkwartier." in capsys.readouterr().out


@pytest.mark.parametrize(
    ("given", "hint"),
    [
        ("geldzorg", "; bedoelde u geldzorgen? Kies geldzorgen, schulden, "),
        ("rijbewijs", "; kies geldzorgen, schulden, "),
        ("", "; kies geldzorgen, schulden, "),
    ],
)
def test_suggestions_with_an_unknown_theme_name_it_and_what_is_known(
    given: str, hint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["suggesties", "--thema", given, "--wijk", "Noord"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(
        f"wijkgesprek suggesties: bij --thema: '{given}' is geen thema van de "
        f"gespreksleidraad{hint}"
    )
    assert " of taal.\n" in captured.err


@pytest.mark.parametrize(
    ("given", "hint"),
    [
        ("Nord", "; bedoelde u Noord? Kies Noord of Rivierkwartier."),
        ("rivierkwartir", "; bedoelde u Rivierkwartier? Kies Noord of Rivierkwartier."),
        ("", "; kies Noord of Rivierkwartier."),
    ],
)
def test_suggestions_for_a_misspelt_wijk_ask_which_was_meant(
    given: str, hint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["suggesties", "--thema", "geldzorgen", "--wijk", given]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"wijkgesprek suggesties: bij --wijk: '{given}' is geen wijk van de sociale kaart{hint}\n"
    )


def test_suggestions_read_wijk_and_theme_in_any_case(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["suggesties", "--thema", "geldzorgen", "--wijk", "Noord"]) == 0
    expected = capsys.readouterr().out
    assert "Geldcafé Noord" in expected and "in uw wijk" in expected
    assert main(["suggesties", "--thema", "Geldzorgen", "--wijk", " noord "]) == 0
    assert capsys.readouterr().out == expected
    assert main(["suggesties", "--thema", "veiligheid in de buurt", "--wijk", "Noord"]) == 0
    assert "thema Veiligheid in de buurt" in capsys.readouterr().out


def test_suggestions_for_a_wijk_not_on_the_map_give_the_whole_town(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["suggesties", "--thema", "geldzorgen", "--wijk", "Oost"]) == 0
    captured = capsys.readouterr()
    assert captured.err == (
        "wijkgesprek suggesties: 'Oost' is geen wijk van de sociale kaart (die kent Noord en "
        "Rivierkwartier); alleen aanbod voor de hele gemeente.\n"
    )
    assert "Schuldhulp Op Orde" in captured.out and "Geldcafé Noord" not in captured.out


def test_later_network_file_wins_and_check_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shipped = (ROOT / "data" / "network.yaml").read_text("utf-8")
    start = shipped.index("  - naam: ")
    end = shipped.index("  - naam: ", start + 1)
    first_entry = shipped[start:end]
    own = tmp_path / "wijk.yaml"
    own.write_text(
        "versie: 1\naanbod:\n" + first_entry.replace("beschrijving: ", "beschrijving: EIGEN ", 1),
        encoding="utf-8",
    )
    network = ROOT / "data" / "network.yaml"
    assert main(["controleer", str(network), str(own)]) == 0
    captured = capsys.readouterr()
    assert "het later genoemde bestand wint" in captured.err
    assert f"{own}:3" in captured.err
    assert main(["controleer", "--json", str(network), str(own)]) == 0
    entries = json.loads(capsys.readouterr().out)
    overridden = [e for e in entries if str(e["beschrijving"]).startswith("EIGEN ")]
    assert len(overridden) == 1 and overridden[0]["bestand"] == str(own)


def test_broken_network_file_fails_the_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "kaart.yaml"
    text = (ROOT / "data" / "network.yaml").read_text("utf-8").replace("telefoon:", "telefon:", 1)
    broken.write_text(text, encoding="utf-8")
    assert main(["controleer", str(broken)]) == 1
    err = capsys.readouterr().err
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "telefon:" in t)
    assert f"{broken}:{line}:" in err and "bedoelde je 'telefoon'?" in err


def test_network_files_from_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "config.toml").write_text('netwerk = ["kaart.yaml"]\n', encoding="utf-8")
    (tmp_path / "kaart.yaml").write_text(
        (ROOT / "data" / "network.yaml").read_text("utf-8"), encoding="utf-8"
    )
    monkeypatch.setenv("WIJKGESPREK_CONFIG_DIR", str(tmp_path))
    assert main(["waar"]) == 0
    assert f"sociale kaart:  {tmp_path / 'kaart.yaml'}" in capsys.readouterr().out


def at_a_terminal(args: list[str], prompt: bytes, key: bytes) -> tuple[int, bytes]:
    """Run ``wijkgesprek ARGS`` with a pseudo-terminal as its controlling terminal, wait
    for ``prompt`` and press ``key``; the exit code and everything it wrote."""
    import fcntl
    import pty
    import select
    import termios
    import time

    master, slave = pty.openpty()

    def take_the_terminal() -> None:  # so Ctrl+C becomes SIGINT, and getpass finds it
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    process = subprocess.Popen(
        [sys.executable, "-m", "wijkgesprek", *args],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        preexec_fn=take_the_terminal,
    )
    os.close(slave)
    output = b""
    end = time.monotonic() + 60
    pressed = 0.0
    try:
        while time.monotonic() < end:
            # Pressed again after a while: a key that lands in the instant before Python
            # starts reading the line can be lost (CPython's readline), as for a person.
            if prompt in output and time.monotonic() - pressed > 2:
                os.write(master, key)
                pressed = time.monotonic()
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(master, 4096)
                except OSError:  # the child closed the terminal
                    chunk = b""
                output += chunk
                if not chunk and process.poll() is not None:
                    break
            elif process.poll() is not None:
                break
        return process.wait(timeout=10), output
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
@pytest.mark.parametrize("key", [b"\x04", b"\x03"], ids=["ctrl-d", "ctrl-c"])
@pytest.mark.parametrize(
    ("args", "prompt"),
    [
        (["wis", "GZ-001"], b"Typ GZ-001"),
        (["herstel"], b"Typ ja"),
        (["bewaartermijn", "--wis"], b"Typ WISSEN"),
        (["versleutel"], b"Nieuw wachtwoord"),
    ],
    ids=["wis", "herstel", "bewaartermijn", "versleutel"],
)
def test_ctrl_d_or_ctrl_c_at_a_question_changes_nothing(
    args: list[str], prompt: bytes, key: bytes
) -> None:
    from datetime import UTC, date, datetime

    from wijkgesprek import paths
    from wijkgesprek.store import repo
    from wijkgesprek.store.backup import daily_backup
    from wijkgesprek.store.engine import Store
    from wijkgesprek.store.schema import prepare_database

    if args[0] == "versleutel":
        pytest.importorskip("sqlcipher3")
    database = paths.data_dir() / paths.DATABASE_NAME
    prepare_database(database)
    store = Store(database)
    long_ago = datetime(1990, 1, 1, tzinfo=UTC)  # past any bewaartermijn
    store.run(repo.start_visit, code="GZ-001", wijk="Noord", children=Children(), now=long_ago)
    store.run(repo.end_visit, visit_id=1, now=long_ago)
    store.engine.dispose()
    daily_backup(database, today=date(2026, 11, 1))
    before = database.read_bytes()
    code, output = at_a_terminal(args, prompt, key)
    assert prompt in output
    assert code != 0
    assert b"Er is niets veranderd." in output and b"Traceback" not in output
    assert database.read_bytes() == before
