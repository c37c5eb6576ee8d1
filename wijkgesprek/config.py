"""The user's config file (TOML), read once at start.

Example (all keys optional)::

    kleuren = "donker"            # "licht", "donker" or the name of a Textual theme
    vragen = "~/wijkteam/vragen.yaml"
    netwerk = ["regio.yaml", "noord.yaml"]   # later files win for the same entry
    reservekopieen = 7                       # daily backups kept
    bewaartermijn = 20                       # years after the last visit (retention)
    vergrendelen = 5                         # minutes without keys before an encrypted
                                             # database locks (0: only with Ctrl+L)
    exportmap = "~/Documenten/wijkgesprek"   # the folder of the last export (the app
                                             # writes it, as it writes kleuren on Ctrl+T)
    database = "postgresql://anna@server/wijkgesprek"   # a team database
    database_wachtwoordbestand = "~/.wijkteam-pgpass"
    database_tls = "controleren"             # a server elsewhere: TLS, certificate checked
                                             # ("versleutelen", "niet-verplicht": the admin's
                                             # explicit choice)
    database_certificaat = "~/wijkteam-ca.crt"   # the authority to check it with ("systeem")

    [toetsen]                     # binding id = key(s), see F1 in the app
    afronden = "f10"
    thema = "ctrl+t,f3"
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from wijkgesprek.errors import ConfigError
from wijkgesprek.store.pgaddress import DEFAULT_TLS, SYSTEM_ROOTS, TLS_CHOICES

THEMES = {"licht": "textual-light", "donker": "textual-dark"}
"""The colour settings in words (``kleuren``, ``--kleur``, Ctrl+T) and their Textual themes."""
_KNOWN_KEYS = (
    "kleuren",
    "vragen",
    "netwerk",
    "toetsen",
    "reservekopieen",
    "bewaartermijn",
    "vergrendelen",
    "database",
    "database_wachtwoordbestand",
    "database_tls",
    "database_certificaat",
    "exportmap",
)
RETENTION_YEARS = 20
"""Default retention: the Jeugdwet's 20 years for a youth-care file; teams may choose less."""


@dataclass(frozen=True)
class Config:
    theme: str = THEMES["donker"]
    questions: Path | None = None
    network: tuple[Path, ...] = ()
    backups: int = 7
    """How many daily backups are kept (``reservekopieen``)."""
    retention_years: int = RETENTION_YEARS
    """Households not visited for this many years are past retention (``bewaartermijn``)."""
    database: str | None = None
    """A team database (``postgresql://gebruiker@server/naam``); None: the local file."""
    password_file: Path | None = None
    """libpq's password file for the team database (``database_wachtwoordbestand``)."""
    tls: str = DEFAULT_TLS
    """How a team database on another computer is reached (``database_tls``, one of
    ``pgaddress.TLS_CHOICES``): by default over TLS with its certificate checked."""
    tls_root: str | None = None
    """The certificate authority to check the team database's certificate with
    (``database_certificaat``: a file, or ``system`` for this computer's own)."""
    lock_minutes: float = 5
    """Idle minutes before the app locks (``vergrendelen``; only with an encrypted
    database); 0: only on Ctrl+L."""
    keymap: dict[str, str] = field(default_factory=dict)
    export_folder: Path | None = None
    """The folder of the last export from the app (``exportmap``); None: Documents."""
    file: Path | None = None
    """Where these settings were read from (the file need not exist); None: nowhere."""


def theme_for(setting: str, available: Iterable[str] | None = None) -> str:
    """The Textual theme for a colour setting as a user writes it: licht, donker or the
    name of a Textual theme, in any case. ``available``: the themes to choose from
    (default: Textual's own). ValueError with one Dutch sentence when it is none."""
    from wijkgesprek.choices import spelt_as, unknown

    word = spelt_as(setting, THEMES)
    if word is not None:
        return THEMES[word]
    if available is None:
        from textual.theme import BUILTIN_THEMES  # only for a theme by name: it takes a while

        available = BUILTIN_THEMES
    themes = sorted(available)
    theme = spelt_as(setting, themes)
    if theme is not None:
        return theme
    others = [name for name in themes if name not in THEMES.values()]
    raise ValueError(
        unknown(
            setting,
            "geen kleurinstelling",
            [*THEMES, *others],
            allowed=f"licht of donker (of een Textual-thema: {', '.join(others)})",
        )
    )


def load_config(path: Path) -> Config:
    """Read ``path``; a missing file gives the defaults."""
    from wijkgesprek import limits

    try:
        raw = limits.read_limited(path, limits.MAX_CONFIG_BYTES)
    except limits.TooLarge as error:
        raise ConfigError(
            f"{path}: het instellingenbestand is te groot "
            f"(meer dan {limits.size_text(error.limit)})."
        ) from None
    except FileNotFoundError:
        return Config(file=path)
    except OSError as error:
        raise ConfigError(
            f"{path}: kan het instellingenbestand niet lezen ({error.strerror})."
        ) from None
    import tomllib  # only when there is a file: most starts have none

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}:1:1: het instellingenbestand is geen UTF-8-tekst.") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(explain_toml(path, error)) from None
    problems: list[str] = []
    for key in data:
        if key not in _KNOWN_KEYS:
            from difflib import get_close_matches

            hint = get_close_matches(key, _KNOWN_KEYS, n=1)
            extra = f" Bedoelde je '{hint[0]}'?" if hint else ""
            problems.append(f"{path}: onbekende instelling '{key}'.{extra}")
    theme = data.get("kleuren", "donker")
    if not isinstance(theme, str):
        problems.append(f'{path}: \'kleuren\' moet een tekst zijn, zoals "licht" of "donker".')
        theme = "donker"
    questions = data.get("vragen")
    if questions is not None and not isinstance(questions, str):
        problems.append(f"{path}: 'vragen' moet het pad naar een YAML-bestand zijn.")
        questions = None
    network = data.get("netwerk", [])
    if isinstance(network, str):
        network = [network]
    if not isinstance(network, list) or not all(isinstance(item, str) for item in network):
        problems.append(
            f"{path}: 'netwerk' moet een pad of een lijst paden zijn, zoals [\"noord.yaml\"]."
        )
        network = []
    backups = data.get("reservekopieen", 7)
    if not isinstance(backups, int) or isinstance(backups, bool) or not 1 <= backups <= 365:
        problems.append(f"{path}: 'reservekopieen' moet een getal van 1 tot en met 365 zijn.")
        backups = 7
    retention = data.get("bewaartermijn", RETENTION_YEARS)
    if not isinstance(retention, int) or isinstance(retention, bool) or not 1 <= retention <= 100:
        problems.append(
            f"{path}: 'bewaartermijn' moet een aantal jaren zijn, van 1 tot en met 100."
        )
        retention = RETENTION_YEARS
    lock = data.get("vergrendelen", 5)
    if not isinstance(lock, int) or isinstance(lock, bool) or not 0 <= lock <= 240:
        problems.append(
            f"{path}: 'vergrendelen' moet een aantal minuten zijn, van 0 tot en met 240."
        )
        lock = 5
    database = data.get("database")
    if database is not None and not isinstance(database, str):
        problems.append(f"{path}: 'database' moet een adres zijn, zoals \"postgresql://…\".")
        database = None
    password_file = data.get("database_wachtwoordbestand")
    if password_file is not None and not isinstance(password_file, str):
        problems.append(f"{path}: 'database_wachtwoordbestand' moet een pad zijn.")
        password_file = None
    tls = data.get("database_tls", DEFAULT_TLS)
    if tls not in TLS_CHOICES:
        choices = ", ".join(f'"{choice}"' for choice in TLS_CHOICES)
        problems.append(f"{path}: 'database_tls' moet een van deze zijn: {choices}.")
        tls = DEFAULT_TLS
    tls_root = data.get("database_certificaat")
    if tls_root is not None and not isinstance(tls_root, str):
        problems.append(
            f"{path}: 'database_certificaat' moet het pad naar een certificaat zijn, of "
            f'"{SYSTEM_ROOTS}".'
        )
        tls_root = None
    export_folder = data.get("exportmap")
    if export_folder is not None and not isinstance(export_folder, str):
        problems.append(f"{path}: 'exportmap' moet het pad naar een map zijn.")
        export_folder = None
    keymap = data.get("toetsen", {})
    if not isinstance(keymap, dict) or not all(isinstance(v, str) for v in keymap.values()):
        problems.append(
            f'{path}: onder [toetsen] hoort per actie een tekst, zoals afronden = "f8".'
        )
        keymap = {}
    if problems:
        raise ConfigError("\n".join(problems))
    return Config(
        theme=THEMES.get(theme, theme),
        questions=(path.parent / Path(questions).expanduser()) if questions else None,
        network=tuple(path.parent / Path(item).expanduser() for item in network),
        backups=backups,
        retention_years=retention,
        lock_minutes=lock,
        database=database or None,
        password_file=(path.parent / Path(password_file).expanduser()) if password_file else None,
        tls=tls,
        tls_root=(
            None
            if not tls_root
            else "system"
            if tls_root == SYSTEM_ROOTS
            else str(path.parent / Path(tls_root).expanduser())
        ),
        keymap=dict(keymap),
        export_folder=(path.parent / Path(export_folder).expanduser()) if export_folder else None,
        file=path,
    )


def explain_toml(path: Path, error: ValueError) -> str:

    match = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
    where = f"{match.group(1)}:{match.group(2)}" if match else "1:1"
    detail = re.sub(r"\s*\(at .*\)$", "", str(error))
    return f"{path}:{where}: het instellingenbestand is geen geldige TOML ({detail})."
