"""Shared pieces of the command line: the Dutch argument parser, value checks, where
the guide and the sociale kaart are, and today."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from wijkgesprek import paths
from wijkgesprek.choices import spelt_as, unknown
from wijkgesprek.errors import Cancelled, UsageError
from wijkgesprek.store.target import LocalFile, Target, TeamServer

if TYPE_CHECKING:
    from wijkgesprek.config import Config
    from wijkgesprek.content.model import Guide
    from wijkgesprek.store.engine import Store


GUIDE_CACHE = "leidraad"


TRANSLATIONS = (
    ("unrecognized arguments:", "onbekende opties of woorden:"),
    ("the following arguments are required:", "dit ontbreekt nog:"),
    ("expected one argument", "verwacht één waarde"),
    ("invalid choice:", "onbekende keuze:"),
    ("choose from", "kies uit"),
    ("ambiguous option:", "onduidelijke optie:"),
    ("could match", "kan zijn"),
    ("not allowed with argument", "gaat niet samen met"),
    ("argument ", "bij "),
)


class Parser(argparse.ArgumentParser):
    """argparse with Dutch words around the parts it prints itself."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._positionals.title = "argumenten"
        self._optionals.title = "opties"
        self.add_argument("-h", "--help", action="help", help="toon deze hulp en stop")

    def format_usage(self) -> str:
        return super().format_usage().replace("usage:", "gebruik:", 1)

    def format_help(self) -> str:
        return super().format_help().replace("usage:", "gebruik:", 1)

    def error(self, message: str) -> NoReturn:
        for english, dutch in TRANSLATIONS:
            message = message.replace(english, dutch)
        raise UsageError(
            f"{self.prog}: {message}\nZie '{self.prog.split()[0]} --help' voor wat kan."
        )


def age(text: str) -> int:
    if not text.isdigit() or int(text) > 120:
        raise argparse.ArgumentTypeError(f"'{text}' is geen leeftijd in jaren")
    return int(text)


def days(text: str) -> int:
    if not text.isdigit() or int(text) > 3660:
        raise argparse.ArgumentTypeError(f"'{text}' is geen aantal dagen")
    return int(text)


def count(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 1000:
        raise argparse.ArgumentTypeError(f"'{text}' is geen aantal van 1 tot en met 1000")
    return int(text)


def choice_of(*options: str, what: str) -> dict[str, Any]:
    """``add_argument`` keywords for a fixed choice, taken in any case; another value is
    named, with "bedoelde u …?" and the choices (``what``: "formaat" → "'x' is geen
    formaat")."""

    def choice(text: str) -> str:
        found = spelt_as(text, options)
        if found is None:
            raise argparse.ArgumentTypeError(unknown(text, f"geen {what}", options))
        return found

    return {"choices": options, "type": choice}


def colours(text: str) -> str:
    """``--kleur``: licht, donker or a Textual theme (any case) → the Textual theme."""
    from wijkgesprek.config import theme_for

    try:
        return theme_for(text)
    except ValueError as problem:
        raise argparse.ArgumentTypeError(str(problem)) from None


def visit_number(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is geen bezoeknummer (1 = het eerste)")
    return int(text)


def ask(prompt: str, *, secret: bool = False) -> str:
    """A question on the terminal (``secret``: not shown while typed). Ctrl+D or Ctrl+C
    ends it with :class:`Cancelled`: nothing has been changed at a question."""

    try:
        if secret:
            import getpass

            return getpass.getpass(prompt)
        return input(prompt)
    except (EOFError, KeyboardInterrupt):
        print(file=sys.stderr)  # end the line of the question
        raise Cancelled("Er is niets veranderd.") from None


def today() -> date:
    """Today's date (a seam for tests)."""
    return date.today()


def guide_file(args: argparse.Namespace, config: Config | None = None) -> Path:
    """The guide: ``--vragen``, else the config file's, else the shipped one."""
    if args.questions:
        return Path(args.questions)
    config = config or _config()
    return config.questions or paths.shipped_questions()


def network_files(args: argparse.Namespace, config: Config | None = None) -> tuple[Path, ...]:
    """The sociale kaart: ``--netwerk``, else the config file's, else the shipped one."""
    if args.network:
        return tuple(args.network)
    config = config or _config()
    return config.network or (paths.shipped_network(),)


def _config() -> Config:
    from wijkgesprek.config import load_config

    return load_config(paths.config_file())


def load_guide_cached(path: Path) -> Guide:
    """The guide, from the cache when unchanged (keeps PyYAML off the first frame)."""
    from wijkgesprek.content.cache import cached

    def build() -> Guide:
        from wijkgesprek.content.questions import load_guide

        return load_guide(path)

    from wijkgesprek.content.model import Guide

    return cached(path, kind=GUIDE_CACHE, build=build, cache_dir=paths.cache_dir(), expect=Guide)


def database_target(args: argparse.Namespace) -> Target:
    """The team database (``--database`` or ``database`` in the config: a PostgreSQL URL,
    never with a password in it) or else the database file on this laptop."""
    url = getattr(args, "database", None)
    if url is None:
        from wijkgesprek.config import load_config

        url = load_config(paths.config_file()).database
    if url:
        return team_server(url)
    return LocalFile(paths.data_dir(args.data_dir) / paths.DATABASE_NAME)


def team_server(url: str) -> TeamServer:
    """The team database at ``url``, checked before anything connects (no password in
    it, no less TLS than the config allows), with the password file and TLS settings of
    ``config.toml``."""

    from wijkgesprek.config import load_config
    from wijkgesprek.store.pgaddress import Tls, check_tls, check_url

    check_url(url)
    config = load_config(paths.config_file())
    if config.password_file is not None:
        os.environ.setdefault("PGPASSFILE", str(config.password_file))
    tls = Tls(config.tls, config.tls_root)
    check_tls(url, tls)
    return TeamServer(url, tls)


@contextmanager
def opened_store(target: Target) -> Iterator[Store]:
    """The database prepared (created or migrated) and open; closed afterwards."""
    from wijkgesprek.store.engine import Store

    target.prepare()
    store = Store(target)
    try:
        yield store
    finally:
        store.engine.dispose()


def local_only(target: Target, what: str) -> Path:
    """The file of ``target`` when it is the one on this laptop; a team database gets a
    message."""
    if target.file is None:
        raise UsageError(
            f"wijkgesprek {what} gaat over de database op deze laptop, niet over een "
            "teamdatabase; die beheert de beheerder van de server."
        )
    return target.file
