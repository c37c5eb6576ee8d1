"""The team database on PostgreSQL: the same migration ladder in PostgreSQL's dialect.

The ladder is ``store.ladder``'s, the same steps as the SQLite file's, written for
PostgreSQL (identity keys, ``timestamptz``). Full-text search uses PostgreSQL's own text
search instead of FTS5: a generated ``tsvector`` column per searchable table with a GIN
index, in the text search configuration ``wijkgesprek`` (Dutch stemming, accents removed
with ``unaccent``). ``tests/test_ladders.py`` checks that both give the same tables,
columns, keys and indexes at every version.

The version lives in the table ``wijkgesprek_schema``; a transaction-level advisory lock
keeps two starting apps from migrating at the same time.
"""

from __future__ import annotations

from typing import Any

from wijkgesprek.errors import StoreError, Unreachable
from wijkgesprek.store.ladder import POSTGRES, SCHEMA_VERSION, STEPS, statements

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
COORDINATOR = "wijkgesprek_coordinator"
AUDITOR = "wijkgesprek_auditor"

_ROLES = f"""DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{PROFESSIONAL}') THEN
        CREATE ROLE {PROFESSIONAL} NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{COORDINATOR}') THEN
        CREATE ROLE {COORDINATOR} NOLOGIN;
    END IF;
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO {PROFESSIONAL}, {COORDINATOR}',
                   current_schema());
END $$"""

AUDIT_GRANTS = (
    f"""DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{AUDITOR}') THEN
        CREATE ROLE {AUDITOR} NOLOGIN;
    END IF;
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO {AUDITOR}', current_schema());
END $$""",
    # The access log: an auditor reads all of it (and nothing else); a professional adds
    # through the server's function and reads through another (their households, their
    # own rows). Nobody but the owner's functions and triggers writes it.
    f"GRANT SELECT ON wijkgesprek_schema, access_log TO {AUDITOR}",
    f"GRANT EXECUTE ON FUNCTION wijkgesprek_log(text, text[], text) TO {PROFESSIONAL}",
    f"GRANT EXECUTE ON FUNCTION wijkgesprek_access_log(text) TO {PROFESSIONAL}, {AUDITOR}",
)
"""The auditor role and the rights on the access log (``store.ladder``, version 9)."""

_TABLES = (
    "household", "visit", "note", "agreement", "referral", "referral_event", "gap",
    "safety_entry", "correction", "practice_turn", "household_change",
)  # fmt: skip

GRANTS = (
    _ROLES,
    # A professional reads and writes everything of the team's households.
    f"GRANT SELECT, INSERT, UPDATE, DELETE ON {', '.join(_TABLES)} TO {PROFESSIONAL}",
    f"GRANT SELECT ON wijkgesprek_schema TO {PROFESSIONAL}, {COORDINATOR}",
    # A coordinator counts trends and sees the follow-up overview: never a note's text,
    # an agreement, an addition or a free-text reason. Only these columns can be read.
    f"GRANT SELECT ON household, visit, gap TO {COORDINATOR}",
    f"GRANT SELECT (id, visit_id, topic, themes, updated_at, version, updated_by) "
    f"ON note TO {COORDINATOR}",
    f"GRANT SELECT (id, household_id, visit_id, naam, soort, wijk, themes, state, "
    f"created_at, updated_at) ON referral TO {COORDINATOR}",
    f"GRANT SELECT (id, visit_id, kind, key, value, at, corrects_id) "
    f"ON safety_entry TO {COORDINATOR}",
    *AUDIT_GRANTS,
)
"""Roles, enforced by the server: given after every migration, by the owner who runs it."""


def check_url(url: str) -> None:
    """A team database URL must be PostgreSQL's and must not hold a password: a password
    on the command line or in a config file can be read by others."""
    import re

    from wijkgesprek.errors import UsageError

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
        raise UsageError(
            "Zet het wachtwoord van de teamdatabase niet in het adres: gebruik PGPASSWORD "
            "of een wachtwoordbestand (~/.pgpass, of 'database_wachtwoordbestand' in de "
            "instellingen)."
        )


def describe_safely(url: str) -> str:
    """The URL with anything between ':' and '@' hidden, without parsing it (and control
    characters shown as '?')."""
    url = "".join(ch if ch.isprintable() else "?" for ch in url)
    head, at, tail = url.rpartition("@")
    if not at:
        return url
    scheme, sep, rest = head.partition("://")
    user = rest.split(":", 1)[0]
    return f"{scheme}{sep}{user}:***@{tail}" if ":" in rest else url


def sqlalchemy_url(url: str) -> str:
    """``postgresql://…`` as SQLAlchemy's URL for psycopg 3."""
    return "postgresql+psycopg://" + url.split("://", 1)[1]


def describe(url: str) -> str:
    """The URL as the user wrote it, without any password, for messages."""
    from urllib.parse import unquote

    from sqlalchemy.engine import make_url

    shown = make_url(sqlalchemy_url(url)).render_as_string(hide_password=True)
    return "postgresql://" + unquote(shown.split("://", 1)[1])


def prepare(url: str, *, shows_notes: bool = False) -> int:
    """Create or migrate the team database; return the schema version (Dutch StoreError
    for a server that cannot be reached, a newer version, or another application's
    database). ``shows_notes`` (the app): also refuse a role that may not read notes,
    over the same connection."""
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=10) as connection, connection.transaction():
            connection.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_ID,))
            version = _version(connection, url)
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"De teamdatabase {describe(url)} is gemaakt door een nieuwere versie "
                    f"van wijkgesprek (schema {version}). Werk wijkgesprek bij."
                )
            for number in range(version, SCHEMA_VERSION):
                for statement in MIGRATIONS[number]:
                    connection.execute(statement)
            if version < SCHEMA_VERSION:  # only the owner migrates; others just start
                for statement in GRANTS:
                    connection.execute(statement)
                connection.execute("UPDATE wijkgesprek_schema SET version = %s", (SCHEMA_VERSION,))
            if shows_notes:
                row = connection.execute("SELECT has_column_privilege('note', 'text', 'SELECT')")
                reads_notes = bool(row.fetchone()[0])  # type: ignore[index]
    except psycopg.OperationalError as error:
        unreachable = is_unreachable(error)
        raise (Unreachable if unreachable else StoreError)(explain(url, error)) from None
    if shows_notes and not reads_notes:
        raise StoreError(
            f"Uw account bij de teamdatabase {describe(url)} mag geen aantekeningen lezen "
            "(rol coördinator). Gebruik 'wijkgesprek trends' en 'wijkgesprek vervolg'."
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
    connection.execute("CREATE TABLE wijkgesprek_schema (version INTEGER NOT NULL)")
    connection.execute("INSERT INTO wijkgesprek_schema VALUES (0)")
    return 0


def is_unreachable(error: BaseException | None) -> bool:
    """Whether ``error`` means the server does not answer right now (rather than a refusal:
    wrong password, no such database, no permission)."""
    import psycopg

    if not isinstance(error, psycopg.OperationalError):
        return False
    state = getattr(error, "sqlstate", None)
    text = str(error).lower()
    if "password" in text or "authentication" in text or "does not exist" in text:
        return False
    # No state: the connection failed or broke; 08: connection exception; 57P: shutdown.
    return state is None or state.startswith(("08", "57P"))


def explain(url: str, error: BaseException | None) -> str:
    """A Dutch sentence for a server problem; never the password, never note text."""
    text = str(error).lower()
    where = describe(url)
    if getattr(error, "sqlstate", None) == "42501":  # insufficient_privilege
        return (
            f"Uw account bij de teamdatabase {where} mag dit niet. Een coördinator ziet "
            "trends en vervolgcontacten, geen aantekeningen; vraag de beheerder om uw rol."
        )
    if "password" in text or "authentication" in text:
        return (
            f"Aanmelden bij de teamdatabase {where} lukt niet: controleer de gebruikersnaam "
            "en het wachtwoord (PGPASSWORD of het wachtwoordbestand)."
        )
    if getattr(error, "sqlstate", None) in ("55P03", "57014"):  # lock or statement timeout
        return (
            f"De teamdatabase {where} is bezig: iets anders houdt deze gegevens even vast. "
            "Probeer het zo opnieuw."
        )
    if "does not exist" in text:
        return f"De teamdatabase {where} bestaat niet. Vraag de beheerder om hem aan te maken."
    return (
        f"De teamdatabase {where} is niet bereikbaar. Controleer de verbinding en probeer "
        "het opnieuw."
    )


def upgrade(url: str) -> tuple[int, int]:
    """``wijkgesprek beheer migreer``: bring the team database to this version of
    wijkgesprek as its owner, and give the roles their rights again (also when it was
    current: after a restore into a new cluster, say). Returns the schema version before
    and after; a Dutch StoreError when the account is not the owner or may not do it."""
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=10) as connection:
            me, owner, before = connection.execute(
                """SELECT session_user, o.owner,
                       CASE WHEN to_regclass('wijkgesprek_schema') IS NULL THEN 0 END
                   FROM (SELECT coalesce(
                       (SELECT tableowner FROM pg_tables WHERE schemaname = current_schema()
                        AND tablename = 'wijkgesprek_schema'),
                       (SELECT pg_get_userbyid(datdba) FROM pg_database
                        WHERE datname = current_database())) AS owner) AS o"""
            ).fetchone()  # type: ignore[misc]
            if before is None:
                row = connection.execute("SELECT version FROM wijkgesprek_schema").fetchone()
                before = int(row[0]) if row else 0
            allowed = connection.execute(
                "SELECT pg_has_role(session_user, %s::name, 'USAGE')", (owner,)
            ).fetchone()[0]  # type: ignore[index]
    except psycopg.OperationalError as error:
        raise (Unreachable if is_unreachable(error) else StoreError)(explain(url, error)) from None
    if not allowed:
        raise StoreError(
            f"Alleen de eigenaar van de teamdatabase {describe(url)} ({owner}) kan hem "
            f"bijwerken; u bent aangemeld als {me}. Vraag de beheerder."
        )
    try:
        after = prepare(url)
        if before == after:
            with psycopg.connect(url, connect_timeout=10) as connection, connection.transaction():
                for statement in GRANTS:
                    connection.execute(statement)
    except psycopg.errors.InsufficientPrivilege:
        raise StoreError(
            f"Het bijwerken van de teamdatabase {describe(url)} lukt niet: het account "
            f"{me} mag geen rollen maken. Geef de eigenaar CREATEROLE (zie "
            "docs/team-beheer.md) en probeer het opnieuw."
        ) from None
    return before, after
