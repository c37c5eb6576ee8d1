"""The address of a team database (issue 21, points 8 and 9): a password never travels in
it and is never printed, and a server on another computer is reached over TLS with its
certificate checked unless the admin chose otherwise in ``config.toml``."""

from __future__ import annotations

from pathlib import Path

import pytest

from wijkgesprek import paths
from wijkgesprek.cli import main
from wijkgesprek.cli.common import team_server
from wijkgesprek.errors import ConfigError, StoreError, Unreachable, UsageError
from wijkgesprek.store import postgres
from wijkgesprek.store.pgaddress import Tls, check_tls, check_url, hide_passwords, tls_arguments
from wijkgesprek.store.target import TeamServer

SECRET = "geheimWW9"

# -- a password never travels in the address ------------------------------------------------

PASSWORD_ADDRESSES = [
    f"postgresql://anna:{SECRET}@/wijk?host=/tmp/geen-server-hier",
    f"postgresql://anna@/wijk?host=/tmp/geen-server-hier&password={SECRET}",
    f"postgresql://anna@/bestaatniet?password={SECRET}&host=/tmp/geen-server-hier",
    f"postgres://anna@server.example/wijk?%70assword={SECRET}",  # the name encoded
    f"postgresql://anna@server.example/wijk?PASSWORD={SECRET}",
    f"postgresql://anna:{SECRET}@server.example:99999/wijk",  # and a wrong port
    f"postgresql://anna:{SECRET}@server.example/wijk%zz",  # and a stray %
    f"mysql://anna:{SECRET}@server.example/wijk",  # not PostgreSQL at all
    f"host=server.example password={SECRET} dbname=wijk",  # libpq's key=value form
]


@pytest.mark.parametrize("url", PASSWORD_ADDRESSES)
def test_an_address_with_a_password_is_refused_without_showing_it(url: str) -> None:
    with pytest.raises(UsageError) as refused:
        check_url(url)
    assert SECRET not in str(refused.value)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (f"postgresql://anna:{SECRET}@x/y", "postgresql://anna:***@x/y"),
        (f"postgresql://anna:{SECRET}@ook@x/y", "postgresql://anna:***@x/y"),  # an @ in it
        (f"postgresql://anna@x/y?password={SECRET}&a=b", "postgresql://anna@x/y?password=***&a=b"),
        (f"x?sslmode=require&%70assword={SECRET}", "x?sslmode=require&%70assword=***"),
        (f"host=x password='{SECRET} met spatie' dbname=y", "host=x password=*** dbname=y"),
        ("postgresql://anna@x/y?host=/tmp", "postgresql://anna@x/y?host=/tmp"),
    ],
)
def test_hide_passwords_masks_every_form(text: str, shown: str) -> None:
    assert hide_passwords(text) == shown


def command_lines(url: str) -> list[list[str]]:
    """Every command that takes a team database, before and after the command, and the
    ways to get the command line wrong around such an address."""
    commands = [
        [],
        ["zoek", "schuld"],
        ["vervolg"],
        ["export", "GZ-001"],
        ["import", "overdracht.json"],
        ["trends"],
        ["trends", "--publiceer"],
        ["wis", "GZ-001", "--bevestig", "GZ-001"],
        ["bewaartermijn", "--wis", "--ja"],
    ]
    lines = [["--database", url, *command] for command in commands]
    lines += [[*command, "--database", url] for command in commands if command]
    lines += [
        ["migreer", "--naar", url],
        [f"--database={url}", "onbekend"],
        [url],  # as if it were a command
        ["migreer", url],  # --naar forgotten
        ["herstel", "--database", url],  # a command without --database
        ["trends", "--per", url],
        ["zoek", "x", "--database", url, "--aantal", "nul"],
    ]
    return lines


@pytest.mark.parametrize("url", PASSWORD_ADDRESSES[:5] + PASSWORD_ADDRESSES[6:])
def test_no_command_line_ever_prints_a_password(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The attacker's test: every path through the command line with a password in the
    address ends in a message without it, never a traceback."""
    shown = []
    for arguments in command_lines(url):
        code = main(arguments)
        out, err = capsys.readouterr()
        shown.append((arguments, code, out + err))
    for arguments, code, text in shown:
        assert code != 0, arguments
        assert SECRET not in text, arguments
        assert "Traceback" not in text, arguments


@pytest.mark.parametrize("url", PASSWORD_ADDRESSES[:3])
def test_a_password_in_the_config_file_is_refused_without_showing_it(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    config = paths.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f'database = "{url}"\n', encoding="utf-8")
    for arguments in ([], ["trends"], ["vervolg"], ["zoek", "x"]):
        assert main(arguments) == 2
        out, err = capsys.readouterr()
        assert "wachtwoord" in err and SECRET not in out + err


def test_a_message_of_the_server_never_names_the_password() -> None:
    """Even an address that got past the check (a tool, a test) is described without it."""
    url = f"postgresql://anna@/bestaatniet?password={SECRET}&host=/tmp/geen-server-hier"
    target = TeamServer(url)
    assert SECRET not in target.describe() and SECRET not in repr(target)
    with pytest.raises(StoreError) as raised:
        target.prepare()
    assert SECRET not in str(raised.value)


# -- TLS for a server on another computer ------------------------------------------------------

VERIFY = {"sslmode": "verify-full"}


@pytest.mark.parametrize(
    ("url", "chosen"),
    [
        ("postgresql://anna@/wijk", {}),  # libpq's default Unix socket
        ("postgresql://anna@localhost/wijk", {}),
        ("postgresql://anna@127.0.0.1:5433/wijk", {}),
        ("postgresql://anna@[::1]:5433/wijk", {}),
        ("postgresql://anna@/wijk?host=/var/run/postgresql", {}),
        ("postgresql://anna@%2Fvar%2Frun%2Fpostgresql/wijk", {}),
        ("postgresql://anna@db.wijkteam.example/wijk", VERIFY),
        ("postgresql://anna@db.wijkteam.example:6432/wijk", VERIFY),
        ("postgresql://anna@10.0.0.5/wijk", VERIFY),
        ("postgresql://anna@[2001:db8::5]/wijk", VERIFY),
        ("postgresql://anna@localhost,db.wijkteam.example/wijk", VERIFY),  # any host elsewhere
        ("postgresql://anna@/wijk?host=db.wijkteam.example", VERIFY),
        ("postgresql://anna@localhost/wijk?hostaddr=10.0.0.5", VERIFY),  # goes elsewhere
        ("postgresql://anna@db.wijkteam.example/wijk?sslmode=verify-full", {}),  # as asked
        ("postgresql://anna@db.wijkteam.example/wijk?sslmode=allow", VERIFY),
    ],
)
def test_the_tls_settings_depend_on_where_the_server_is(url: str, chosen: dict[str, str]) -> None:
    assert tls_arguments(url, Tls()) == chosen
    check_url(url)
    if "sslmode=allow" not in url:
        check_tls(url, Tls())


def test_the_host_of_pghost_counts_when_the_address_names_none(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PGHOST", "db.wijkteam.example")
    assert tls_arguments("postgresql://anna@/wijk", Tls()) == VERIFY
    monkeypatch.setenv("PGHOST", "/var/run/postgresql")
    assert tls_arguments("postgresql://anna@/wijk", Tls()) == {}


def test_the_app_connects_with_the_tls_settings() -> None:
    arguments = postgres.connect_arguments("postgresql://anna@db.wijkteam.example/wijk", Tls())
    assert arguments["sslmode"] == "verify-full" and arguments["connect_timeout"] == 3
    local = postgres.connect_arguments("postgresql://anna@localhost/wijk", Tls())
    assert "sslmode" not in local


def write_config(text: str) -> Path:
    config = paths.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(text, encoding="utf-8")
    return config


@pytest.mark.parametrize(
    ("setting", "sslmode"),
    [("", "verify-full"), ('database_tls = "controleren"\n', "verify-full"),
     ('database_tls = "versleutelen"\n', "require"),
     ('database_tls = "niet-verplicht"\n', "prefer")],
)  # fmt: skip
def test_only_the_config_file_lowers_what_tls_must_do(setting: str, sslmode: str) -> None:
    write_config(setting)
    target = team_server("postgresql://anna@db.wijkteam.example/wijk")
    assert tls_arguments(target.url, target.tls)["sslmode"] == sslmode


def test_the_certificate_authority_comes_from_the_config_file() -> None:
    config = write_config('database_certificaat = "wijkteam-ca.crt"\n')
    target = team_server("postgresql://anna@db.wijkteam.example/wijk")
    assert tls_arguments(target.url, target.tls) == {
        "sslmode": "verify-full",
        "sslrootcert": str(config.parent / "wijkteam-ca.crt"),
    }
    write_config('database_certificaat = "systeem"\n')
    target = team_server("postgresql://anna@db.wijkteam.example/wijk")
    assert tls_arguments(target.url, target.tls)["sslrootcert"] == "system"


def test_an_unknown_tls_setting_names_the_file_and_the_choices() -> None:
    config = write_config('database_tls = "uit"\n')
    with pytest.raises(ConfigError) as raised:
        team_server("postgresql://anna@db.wijkteam.example/wijk")
    message = str(raised.value)
    assert str(config) in message and "'database_tls'" in message
    assert all(choice in message for choice in ("controleren", "versleutelen", "niet-verplicht"))


@pytest.mark.parametrize("sslmode", ["disable", "allow", "prefer", "require", "verify-ca"])
def test_an_address_cannot_ask_for_less_tls_than_the_config_allows(sslmode: str) -> None:
    url = f"postgresql://anna@db.wijkteam.example/wijk?sslmode={sslmode}"
    with pytest.raises(UsageError, match="database_tls"):
        team_server(url)
    write_config('database_tls = "niet-verplicht"\n')
    if sslmode in ("disable", "allow"):
        with pytest.raises(UsageError):
            team_server(url)
    else:
        team_server(url)
    # On this computer the address decides.
    team_server(f"postgresql://anna@localhost/wijk?sslmode={sslmode}")


@pytest.mark.parametrize(
    ("reported", "says"),
    [
        (
            'connection to server at "db.wijkteam.example" (10.0.0.5), port 5432 failed: '
            'root certificate file "/home/anna/.postgresql/root.crt" does not exist\n'
            "Either provide the file, use the system's trusted roots with "
            "sslrootcert=system, or change sslmode to disable server certificate verification.",
            "database_certificaat",
        ),
        ("server does not support SSL, but SSL was required", "biedt geen versleutelde"),
        (
            'connection to server at "db.wijkteam.example" (10.0.0.5), port 5432 failed: '
            "SSL error: certificate verify failed",
            "certificaat van de server is niet te vertrouwen",
        ),
        (
            'server certificate for "andere.example" does not match host name '
            '"db.wijkteam.example"',
            "hoort niet bij dit adres",
        ),
    ],
)
def test_a_tls_failure_is_told_as_one(reported: str, says: str) -> None:
    import psycopg

    target = TeamServer("postgresql://anna@db.wijkteam.example/wijk")
    error = target.explain(psycopg.OperationalError(reported))
    assert says in str(error)
    assert "TLS" in str(error) or "versleutelde" in str(error)
    assert not isinstance(error, Unreachable)  # not the network: retrying will not help
    assert "/home/anna" not in str(error)
