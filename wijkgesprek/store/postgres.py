"""The team database on PostgreSQL: the same migration ladder in PostgreSQL's dialect.

The ladder is ``store.ladder``'s, the same steps as the SQLite file's, written for
PostgreSQL (identity keys, ``timestamptz``). Full-text search uses PostgreSQL's own text
search instead of FTS5: a generated ``tsvector`` column per searchable table with a GIN
index, in the text search configuration ``wijkgesprek`` (words as written, accents removed
with ``unaccent``, separated as FTS5 separates them), so both find the same notes
(``tests/test_search_engines.py``). ``tests/test_ladders.py`` checks that both give the
same tables, columns, keys and indexes at every version.

Roles (``GRANTS``): the owner of the database creates and migrates it; a professional
reads and writes the households (a team lead is a professional who may also erase any
household); a coordinator reads only the published, suppressed trends. Addresses, their
passwords and TLS are ``pgaddress``'s.

The version lives in the table ``wijkgesprek_schema``; a transaction-level advisory lock
keeps two starting apps from migrating at the same time.
"""

from __future__ import annotations

from typing import Any

from wijkgesprek.errors import ERASE_REFUSED, StoreError, Unreachable
from wijkgesprek.store.ladder import POSTGRES, SCHEMA_VERSION, STEPS, statements
from wijkgesprek.store.pgaddress import Tls, describe, tls_arguments

DEFAULT = Tls()

LOCK_ID = 0x574B4753  # the same number as SQLite's application id

CONNECT_ARGS: dict[str, Any] = {
    "connect_timeout": 3,
    # A network that silently drops packets is noticed within seconds, not minutes:
    # the app then keeps notes on the laptop instead of waiting.
    "keepalives": 1,
    "keepalives_idle": 5,
    "keepalives_interval": 2,
    "keepalives_count": 2,
    "tcp_user_timeout": 5000,
    # A stuck lock or a forgotten transaction of a laptop that vanished holds nobody up
    # for long (the app's own waits are shorter still; see connection.py).
    "options": "-c lock_timeout=5s -c statement_timeout=30s "
    "-c idle_in_transaction_session_timeout=60s",
}
"""libpq settings for the app's connections: a save never waits long for a dead server."""

MIGRATIONS: list[tuple[str, ...]] = [statements(step, POSTGRES) for step in STEPS]
"""Step N (0-based) takes the database from version N to N + 1 (``store.ladder``)."""


PROFESSIONAL = "wijkgesprek_professional"
TEAM_LEAD = "wijkgesprek_teamleider"
COORDINATOR = "wijkgesprek_coordinator"
AUDITOR = "wijkgesprek_auditor"
GROUPS = (PROFESSIONAL, TEAM_LEAD, COORDINATOR)

_ROLES = f"""DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{PROFESSIONAL}') THEN
        CREATE ROLE {PROFESSIONAL} NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{TEAM_LEAD}') THEN
        CREATE ROLE {TEAM_LEAD} NOLOGIN IN ROLE {PROFESSIONAL};
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{COORDINATOR}') THEN
        CREATE ROLE {COORDINATOR} NOLOGIN;
    END IF;
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO {PROFESSIONAL}, {COORDINATOR}',
                   current_schema());
    -- Rights are given anew after every migration: nothing of an earlier version stays.
    EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM {", ".join(GROUPS)}',
                   current_schema());
END $$"""

AUDIT_GRANTS = (
    f"""DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{AUDITOR}') THEN
        CREATE ROLE {AUDITOR} NOLOGIN;
    END IF;
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO {AUDITOR}', current_schema());
    EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM {AUDITOR}', current_schema());
END $$""",
    # The access log: an auditor reads all of it (and nothing else); a professional adds
    # through the server's function and reads through another (their households, their
    # own rows). Nobody but the owner's functions and triggers writes it.
    f"GRANT SELECT ON wijkgesprek_schema, access_log TO {AUDITOR}",
    f"GRANT EXECUTE ON FUNCTION wijkgesprek_log(text, text[], text) TO {PROFESSIONAL}",
    f"GRANT EXECUTE ON FUNCTION wijkgesprek_access_log(text) TO {PROFESSIONAL}, {AUDITOR}",
)
"""The auditor role and the rights on the access log (``store.ladder``, version 11)."""

_TABLES = (
    "household", "visit", "note", "agreement", "referral", "referral_event", "gap",
    "safety_entry", "correction", "practice_turn", "household_change", "network_map",
    "network_person",
)  # fmt: skip
_ERASE = "wijkgesprek_erase_household(text), wijkgesprek_may_erase(text)"

GRANTS = (
    _ROLES,
    # A professional reads and writes everything of the team's households; deletes only an
    # agreement (F4) and a person taken off a visit's netwerkkaart. A household is erased
    # through wijkgesprek_erase_household, which allows it to its owner (who started its
    # first visit) and to a team lead.
    f"GRANT SELECT, INSERT, UPDATE ON {', '.join(_TABLES)} TO {PROFESSIONAL}",
    f"GRANT DELETE ON agreement, network_person TO {PROFESSIONAL}",
    f"REVOKE ALL ON FUNCTION {_ERASE} FROM PUBLIC",
    f"GRANT EXECUTE ON FUNCTION {_ERASE} TO {PROFESSIONAL}",
    # Trends are published by whoever counts them, for the coordinators.
    f"GRANT SELECT, INSERT, DELETE ON trend_publication TO {PROFESSIONAL}",
    f"GRANT SELECT ON wijkgesprek_schema TO {PROFESSIONAL}, {COORDINATOR}",
    # A coordinator reads counts only, as suppressed as `wijkgesprek trends` shows them:
    # no household, visit, note or safety entry at all.
    f"GRANT SELECT ON trend_publication TO {COORDINATOR}",
    *AUDIT_GRANTS,
)
"""Roles, enforced by the server: given after every migration, by the owner who runs it."""


def driver() -> Any:
    """psycopg, or one Dutch sentence when the ``team`` extra is not installed."""
    try:
        import psycopg
    except ImportError:
        raise StoreError(
            "Voor een teamdatabase is het pakket psycopg nodig: installeer wijkgesprek met "
            "pip install 'wijkgesprek[team]' (of pip install 'psycopg[binary]')."
        ) from None
    return psycopg


def connect_arguments(url: str, tls: Tls) -> dict[str, Any]:
    """libpq's settings for the app's connections to ``url``: quick to notice a dead
    server, and TLS as the admin requires it (``pgaddress.tls_arguments``)."""
    return {**CONNECT_ARGS, **tls_arguments(url, tls)}


def prepare(url: str, *, tls: Tls = DEFAULT, shows_notes: bool = False) -> int:
    """Create or migrate the team database; return the schema version (Dutch StoreError
    for a server that cannot be reached, a newer version, another application's
    database, or an account that may not do what is needed). ``shows_notes`` (the app):
    also refuse a role that may not read notes, over the same connection."""
    psycopg = driver()
    arguments = {**tls_arguments(url, tls), "connect_timeout": 10}
    try:
        with psycopg.connect(url, **arguments) as connection, connection.transaction():
            connection.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_ID,))
            version = _version(connection, url)
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"De teamdatabase {describe(url)} is gemaakt door een nieuwere versie "
                    f"van wijkgesprek (schema {version}). Werk wijkgesprek bij."
                )
            if version < SCHEMA_VERSION:  # only the owner migrates; others just start
                _check_owner(connection, url, version)
                if version == 0:
                    _create_version_table(connection)
                for number in range(version, SCHEMA_VERSION):
                    for statement in MIGRATIONS[number]:
                        connection.execute(statement)
                for statement in GRANTS:
                    connection.execute(statement)
                connection.execute("UPDATE wijkgesprek_schema SET version = %s", (SCHEMA_VERSION,))
            if shows_notes:
                row = connection.execute("SELECT has_column_privilege('note', 'text', 'SELECT')")
                reads_notes = bool(row.fetchone()[0])
    except psycopg.OperationalError as error:
        unreachable = is_unreachable(error)
        raise (Unreachable if unreachable else StoreError)(explain(url, error)) from None
    except psycopg.Error as error:  # anything else the server refused: one sentence
        raise StoreError(explain(url, error, preparing=True)) from None
    if shows_notes and not reads_notes:
        raise StoreError(
            f"Uw account bij de teamdatabase {describe(url)} mag geen aantekeningen lezen "
            "(rol coördinator). Gebruik 'wijkgesprek trends' voor de cijfers."
        )
    return SCHEMA_VERSION


def _version(connection: Any, url: str) -> int:
    tables = {
        name
        for (name,) in connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        )
    }
    if "wijkgesprek_schema" in tables:
        row = connection.execute("SELECT version FROM wijkgesprek_schema").fetchone()
        return int(row[0]) if row else 0
    if tables:
        raise StoreError(
            f"De database {describe(url)} bevat al tabellen van een ander programma; "
            "wijkgesprek gebruikt een eigen, lege database."
        )
    return 0


def _create_version_table(connection: Any) -> None:
    connection.execute("CREATE TABLE wijkgesprek_schema (version INTEGER NOT NULL)")
    connection.execute("INSERT INTO wijkgesprek_schema VALUES (0)")


_TELL_ADMIN = "Er is niets veranderd."


def _check_owner(connection: Any, url: str, version: int) -> None:
    """Before anything changes: only the owner creates or migrates (the owner of the
    database for an empty one, of the tables for an older one), and it needs CREATEROLE
    while a group role is missing."""
    where = describe(url)
    if version == 0:
        (owner,) = connection.execute(
            "SELECT pg_has_role(current_user, datdba, 'MEMBER') FROM pg_database "
            "WHERE datname = current_database()"
        ).fetchone()
        if not owner:
            raise StoreError(
                f"De teamdatabase {where} is nog leeg. Alleen de eigenaar van de database "
                "maakt de tabellen: vraag de beheerder om 'wijkgesprek beheer migreer' met dat "
                f"account. {_TELL_ADMIN}"
            )
    else:
        (owner,) = connection.execute(
            "SELECT pg_has_role(current_user, tableowner, 'MEMBER') FROM pg_tables "
            "WHERE schemaname = current_schema() AND tablename = 'wijkgesprek_schema'"
        ).fetchone()
        if not owner:
            raise StoreError(
                f"De teamdatabase {where} heeft een oudere versie (schema {version}; deze "
                f"wijkgesprek werkt met {SCHEMA_VERSION}). Alleen de eigenaar van de tabellen "
                "kan hem bijwerken: vraag de beheerder om 'wijkgesprek beheer migreer' met "
                f"dat account. {_TELL_ADMIN}"
            )
    missing = [
        name
        for name in (*GROUPS, AUDITOR)
        if connection.execute("SELECT FROM pg_roles WHERE rolname = %s", (name,)).fetchone() is None
    ]
    (may_create,) = connection.execute(
        "SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user"
    ).fetchone()
    if missing and not may_create:
        raise StoreError(
            f"Het account waarmee u de teamdatabase {where} inricht, mag geen rollen maken "
            f"({', '.join(missing)}): geef het CREATEROLE (ALTER ROLE … CREATEROLE, als "
            f"superuser) of laat een superuser die rollen eerst maken. {_TELL_ADMIN}"
        )


def is_unreachable(error: BaseException | None) -> bool:
    """Whether ``error`` means the server does not answer right now (rather than a refusal:
    wrong password, no such database, no permission, a certificate that does not hold)."""
    try:
        import psycopg
    except ImportError:
        return False
    if not isinstance(error, psycopg.OperationalError):
        return False
    state = getattr(error, "sqlstate", None)
    text = str(error).lower()
    if "password" in text or "authentication" in text or "does not exist" in text:
        return False
    if tls_problem(text) is not None:
        return False
    # No state: the connection failed or broke; 08: connection exception; 57P: shutdown.
    return state is None or state.startswith(("08", "57P"))


def tls_problem(text: str) -> str | None:
    """What went wrong with TLS, from libpq's message (lower case): ``root`` (no
    certificate authority to check with), ``none`` (the server offers no TLS), ``check``
    (the certificate does not hold); None: not a TLS problem (a connection that broke
    during TLS is the network's)."""
    if "root certificate" in text or "sslrootcert" in text:
        return "root"
    if "does not support ssl" in text:
        return "none"
    if "certificate" in text or "ssl error" in text or "tlsv1 alert" in text:
        return "check"
    return None


def _hint(error: BaseException | None) -> str | None:
    diagnostic = getattr(error, "diag", None)
    return getattr(diagnostic, "message_hint", None)


def explain(url: str, error: BaseException | None, *, preparing: bool = False) -> str:
    """A Dutch sentence for a server problem; never the password, never note text."""
    text = str(error).lower()
    where = describe(url)
    state = getattr(error, "sqlstate", None)
    if state == "42501" and _hint(error) == "wijkgesprek-wissen":
        return ERASE_REFUSED
    if state == "42501" and not preparing:  # insufficient_privilege
        return (
            f"Uw account bij de teamdatabase {where} mag dit niet. Een coördinator ziet alleen "
            "de gepubliceerde trends ('wijkgesprek trends'); vraag de beheerder om uw rol."
        )
    tls = tls_problem(text)
    if tls == "root":
        return (
            f"De versleutelde verbinding met de teamdatabase {where} lukt niet: er is geen "
            "certificaat van een certificaatautoriteit om de server mee te controleren. Zet "
            "het pad ernaar in 'database_certificaat' in config.toml (of \"systeem\" voor "
            "de autoriteiten die deze computer vertrouwt), of vraag de beheerder."
        )
    if tls == "none":
        return (
            f"De teamdatabase {where} biedt geen versleutelde verbinding (TLS), en een server "
            "op een andere computer bereikt wijkgesprek alleen versleuteld. Vraag de "
            "beheerder om TLS aan te zetten op de server."
        )
    if tls == "check":
        return (
            f"De versleutelde verbinding (TLS) met de teamdatabase {where} lukt niet: het "
            "certificaat van de server is niet te vertrouwen of hoort niet bij dit adres. "
            "Er is niets verstuurd; vraag de beheerder."
        )
    if "password" in text or "authentication" in text:
        return (
            f"Aanmelden bij de teamdatabase {where} lukt niet: controleer de gebruikersnaam "
            "en het wachtwoord (PGPASSWORD of het wachtwoordbestand)."
        )
    if state in ("55P03", "57014"):  # lock or statement timeout
        return (
            f"De teamdatabase {where} is bezig: iets anders houdt deze gegevens even vast. "
            "Probeer het zo opnieuw."
        )
    if "does not exist" in text and state in (None, "3D000", "28000"):  # database, role
        return f"De teamdatabase {where} bestaat niet. Vraag de beheerder om hem aan te maken."
    if "unaccent" in text:
        return (
            f"De server van de teamdatabase {where} mist de uitbreiding unaccent (pakket "
            "postgresql-contrib): vraag de beheerder die te installeren."
        )
    if preparing or (state is not None and not state.startswith(("08", "57P"))):
        code = f" (foutcode {state})" if state else ""
        return (
            f"De teamdatabase {where} weigert dit{code}. Er is niets veranderd; vraag de "
            "beheerder om hulp."
        )
    return (
        f"De teamdatabase {where} is niet bereikbaar. Controleer de verbinding en probeer "
        "het opnieuw."
    )


def upgrade(url: str, *, tls: Tls = DEFAULT) -> tuple[int, int]:
    """``wijkgesprek beheer migreer``: bring the team database to this version of
    wijkgesprek as its owner, and give the roles their rights again (also when it was
    current: after a restore into a new cluster, say). Returns the schema version before
    and after; a Dutch StoreError when the account is not the owner or may not do it."""
    psycopg = driver()
    arguments = {**tls_arguments(url, tls), "connect_timeout": 10}
    try:
        with psycopg.connect(url, **arguments) as connection:
            me, owner, empty = connection.execute(
                """SELECT session_user, coalesce(
                       (SELECT tableowner FROM pg_tables WHERE schemaname = current_schema()
                        AND tablename = 'wijkgesprek_schema'),
                       (SELECT pg_get_userbyid(datdba) FROM pg_database
                        WHERE datname = current_database())),
                       to_regclass('wijkgesprek_schema') IS NULL"""
            ).fetchone()
            before = 0 if empty else _version(connection, url)
            (allowed,) = connection.execute(
                "SELECT pg_has_role(session_user, %s::name, 'MEMBER')", (owner,)
            ).fetchone()
        if not allowed:
            raise StoreError(
                f"Alleen de eigenaar van de teamdatabase {describe(url)} ({owner}) kan hem "
                f"bijwerken; u bent aangemeld als {me}. Er is niets veranderd."
            )
        after = prepare(url, tls=tls)
        if before == after:  # prepare gave the rights only when it migrated
            with psycopg.connect(url, **arguments) as connection, connection.transaction():
                for statement in GRANTS:
                    connection.execute(statement)
    except psycopg.OperationalError as error:
        raise (Unreachable if is_unreachable(error) else StoreError)(explain(url, error)) from None
    except psycopg.Error as error:  # anything else the server refused: one sentence
        raise StoreError(explain(url, error, preparing=True)) from None
    return before, after
