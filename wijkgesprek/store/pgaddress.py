"""The address of a team database, checked before anything connects.

- A password never travels in the address: ``user:pw@`` and ``?password=`` (also with
  its name percent-encoded, as libpq decodes it) are refused; the password comes from
  PGPASSWORD or a password file. :func:`hide_passwords` masks anything that looks like
  one in any message, so even an address wijkgesprek refuses is never printed with it.
- TLS: a server on another computer is reached only over TLS with its certificate
  checked (``sslmode=verify-full``), unless the admin chose otherwise in ``config.toml``
  (``database_tls``). A server on this computer (localhost, 127.0.0.1, ::1, a Unix
  socket) is reached as libpq would.

Standard library at import (the App imports ``store.target`` before the first frame).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from urllib.parse import unquote

from wijkgesprek.errors import UsageError

# -- passwords ----------------------------------------------------------------------------

_USER_PASSWORD = re.compile(r"(://[^:/@\s?#]*):[^\s/?#]*@")
_PARAMETER = re.compile(r"([?&])([^=&#\s]*)=([^&#\s]*)")
_CONNINFO_PASSWORD = re.compile(
    r"((?<![?&])\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", re.IGNORECASE
)
HIDDEN = "***"


def _is_password_key(key: str) -> bool:
    return unquote(key).strip().casefold() == "password"


def hide_passwords(text: str) -> str:
    """``text`` with every password an address in it could hold replaced by ``***``:
    after ``user:`` in ``scheme://user:…@``, a ``password=`` parameter (its name also
    percent-encoded) and a ``password=…`` of a key/value connection string."""
    text = _USER_PASSWORD.sub(rf"\1:{HIDDEN}@", text)

    def parameter(match: re.Match[str]) -> str:
        if _is_password_key(match.group(2)):
            return f"{match.group(1)}{match.group(2)}={HIDDEN}"
        return match.group(0)

    text = _PARAMETER.sub(parameter, text)
    return _CONNINFO_PASSWORD.sub(rf"\1{HIDDEN}", text)


def describe_safely(url: str) -> str:
    """The URL without any password, without parsing it (and control characters shown
    as '?')."""
    return hide_passwords("".join(ch if ch.isprintable() else "?" for ch in url))


def sqlalchemy_url(url: str) -> str:
    """``postgresql://…`` as SQLAlchemy's URL for psycopg 3."""
    return "postgresql+psycopg://" + url.split("://", 1)[1]


def describe(url: str) -> str:
    """The URL as the user wrote it, without any password, for messages."""
    from sqlalchemy.engine import make_url

    shown = make_url(sqlalchemy_url(url)).render_as_string(hide_password=True)
    return hide_passwords("postgresql://" + unquote(shown.split("://", 1)[1]))


def _parameters(url: str) -> dict[str, str]:
    """The query parameters of ``url`` as libpq reads them: names and values decoded,
    a later one winning."""
    query = url.partition("?")[2].partition("#")[0]
    found: dict[str, str] = {}
    for part in query.split("&"):
        key, _, value = part.partition("=")
        if key:
            found[unquote(key)] = unquote(value)
    return found


PASSWORD_REFUSED = (
    "Zet het wachtwoord van de teamdatabase niet in het adres: gebruik PGPASSWORD of een "
    "wachtwoordbestand (~/.pgpass, of 'database_wachtwoordbestand' in de instellingen)."
)


def check_url(url: str) -> None:
    """A team database URL must be PostgreSQL's and must not hold a password: a password
    on the command line or in a config file can be read by others."""
    if not url.startswith(("postgresql:", "postgres:")) or "://" not in url:
        raise UsageError(
            f"'{describe_safely(url)}' is geen adres van een teamdatabase; gebruik "
            "postgresql://gebruiker@server/naam."
        )
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    invalid = UsageError(
        f"'{describe_safely(url)}' is geen geldig databaseadres; gebruik "
        "postgresql://gebruiker@server:poort/naam (de poort is een getal)."
    )
    # A password first: the other messages show the address.
    if any(_is_password_key(key) for key in _parameters(url)):
        raise UsageError(PASSWORD_REFUSED)
    if _USER_PASSWORD.search(url):
        raise UsageError(PASSWORD_REFUSED)
    # libpq refuses a stray '%' only when it connects; a control character is never right.
    if re.search("%(?![0-9A-Fa-f]{2})", url) or not url.isprintable():
        raise invalid
    try:
        parsed = make_url(sqlalchemy_url(url))
        password, port = parsed.password, parsed.port
    except (ArgumentError, ValueError):
        raise invalid from None
    if port is not None and not 0 < port < 65536:
        raise invalid
    if password:
        raise UsageError(PASSWORD_REFUSED)


# -- TLS ------------------------------------------------------------------------------------

TLS_CHOICES = {
    "controleren": "verify-full",
    "versleutelen": "require",
    "niet-verplicht": "prefer",
}
"""``database_tls`` in ``config.toml``, for a server on another computer: ``controleren``
(the default: TLS, and the certificate must be signed by a trusted authority and name the
server), ``versleutelen`` (TLS, certificate not checked), ``niet-verplicht`` (TLS when
the server offers it)."""
DEFAULT_TLS = "controleren"
SYSTEM_ROOTS = "systeem"
"""``database_certificaat = "systeem"``: the certificate authorities this computer trusts."""

_STRENGTH = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
_LOOPBACK = ("127.0.0.1", "::1")


@dataclass(frozen=True)
class Tls:
    """How a team database on another computer must be reached (``config.toml``)."""

    choice: str = DEFAULT_TLS
    """One of :data:`TLS_CHOICES`."""
    root: str | None = None
    """The certificate authority to check the server with (a file, or ``system``);
    None: libpq's default (``~/.postgresql/root.crt``)."""

    @property
    def sslmode(self) -> str:
        return TLS_CHOICES[self.choice]


def _host_name(part: str) -> str:
    """A host of the URL's host list without its port (``[::1]:5432`` → ``::1``)."""
    part = unquote(part)
    if part.startswith("["):
        return part[1:].split("]", 1)[0]
    return part.rsplit(":", 1)[0] if part.count(":") == 1 else part


def hosts(url: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(the host names, the host addresses) libpq would use for ``url``: from the
    address, its ``host`` and ``hostaddr`` parameters, or PGHOST and PGHOSTADDR."""
    rest = url.partition("://")[2]
    netloc = re.split("[/?#]", rest, maxsplit=1)[0].rpartition("@")[2]
    names = [_host_name(part) for part in netloc.split(",")] if netloc else []
    parameters = _parameters(url)
    if "host" in parameters:
        names = parameters["host"].split(",")
    if not any(names):
        names = os.environ.get("PGHOST", "").split(",")
    addresses = parameters.get("hostaddr", os.environ.get("PGHOSTADDR", ""))
    return tuple(n.strip() for n in names), tuple(a.strip() for a in addresses.split(",") if a)


def is_local(url: str) -> bool:
    """Whether ``url`` reaches a server on this computer only: localhost, a loopback
    address, a Unix socket (a folder), or no host at all (libpq's default socket)."""
    names, addresses = hosts(url)
    local_names = all(name in ("", *LOCAL_HOSTS) or name.startswith(("/", "@")) for name in names)
    return local_names and all(address in _LOOPBACK for address in addresses)


def check_tls(url: str, tls: Tls) -> None:
    """Refuse an address that asks for less TLS than the admin allows (its own
    ``sslmode``) for a server on another computer."""
    asked = _parameters(url).get("sslmode")
    if asked is None or is_local(url):
        return
    if asked not in _STRENGTH:
        raise UsageError(
            f"'sslmode={asked}' in het adres van de teamdatabase bestaat niet; laat het weg."
        )
    if _STRENGTH.index(asked) < _STRENGTH.index(tls.sslmode):
        raise UsageError(
            f"Het adres van de teamdatabase vraagt sslmode={asked}, maar een server op een "
            "andere computer bereikt wijkgesprek alleen versleuteld, met een gecontroleerd "
            "certificaat. Laat sslmode weg; alleen de beheerder kan dit anders instellen, met "
            "'database_tls' in config.toml."
        )


def tls_arguments(url: str, tls: Tls) -> dict[str, str]:
    """libpq's TLS settings for ``url``: none for a server on this computer; otherwise
    at least ``tls.sslmode`` (a stricter ``sslmode`` in the address stays) and the
    certificate authority to check with."""
    if is_local(url):
        return {}
    parameters = _parameters(url)
    asked = parameters.get("sslmode")
    chosen: dict[str, str] = {}
    if asked not in _STRENGTH or _STRENGTH.index(asked) < _STRENGTH.index(tls.sslmode):
        chosen["sslmode"] = tls.sslmode
    if tls.root is not None and "sslrootcert" not in parameters:
        chosen["sslrootcert"] = tls.root
    return chosen
