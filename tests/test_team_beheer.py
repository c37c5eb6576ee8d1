"""docs/team-beheer.md, followed step by step on a fresh cluster (issue 21, point 14).

Every ``sql``, ``sh`` and ``conf`` block of the guide runs here in order, as its first
line says (``-- als ROL[, in DATABASE]``, ``# op de server, als postgres``, ``# op de
laptop van …``, ``# postgresql.conf``, ``# pg_hba.conf``); ``; verwacht: geweigerd``
means the step must fail. Only what cannot be the same on a test machine is replaced
(``SUBSTITUTIONS``): the server's name and the laptops' network become localhost, the
paths are the test's, and ``\\password`` (which asks on a terminal) sets a test password.
The server runs with the guide's settings: TLS with a certificate of a throwaway CA
(``openssl``), only ``hostssl`` with scram-sha-256, a WAL archive. Between the blocks the
test checks what each step promises (``CHECKS``), and makes what the guide assumes is
there (a household to back up, one erased after a point in time).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pgserver
import pytest

pytestmark = pytest.mark.slow  # a cluster of its own, a base backup and a recovery

GUIDE = Path(__file__).parent.parent / "docs" / "team-beheer.md"
TIME_IN_GUIDE = "'2026-03-04 10:00:00+01'"


@dataclass(frozen=True)
class Block:
    kind: str  # sql, sh, conf
    heading: str
    text: str

    @property
    def first(self) -> str:
        return self.text.splitlines()[0].lstrip("-# ").strip()

    @property
    def refused(self) -> bool:
        return "verwacht: geweigerd" in self.first


def blocks(guide: str) -> list[Block]:
    """The guide's runnable blocks in order, each with the heading it stands under."""
    found: list[Block] = []
    heading, kind, lines = "", None, []
    for line in guide.splitlines():
        fence = line.strip().startswith("```")
        if kind is None and fence:
            kind, lines = line.strip().removeprefix("```"), []
        elif kind is not None and fence:
            if kind in ("sql", "sh", "conf"):
                found.append(Block(kind, heading, "\n".join(lines).strip() + "\n"))
            kind = None
        elif kind is not None:
            lines.append(line.strip() if kind != "sh" else line.removeprefix("   "))
        elif line.startswith("## "):
            heading = line.removeprefix("## ")
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def openssl(folder: Path, *arguments: str) -> None:
    subprocess.run(["openssl", *arguments], cwd=folder, check=True, capture_output=True)


@dataclass
class Cluster:
    """A cluster of the test's own, set up as the guide says."""

    folder: Path
    bin: Path
    as_user: list[str]
    port: int
    passwords: dict[str, str] = field(default_factory=dict)
    moment: str = ""
    """A moment between writing and erasing GZ-901: where the guide's recovery goes to."""

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def ca(self) -> Path:
        return self.folder / "laptop" / "ca.crt"

    def path(self, name: str) -> Path:
        return self.folder / name

    def pg_ctl(self, *arguments: str) -> None:
        options = f"-k {self.folder} -p {self.port} -c fsync=off"
        command = [str(self.bin / "pg_ctl"), "-D", str(self.data), "-w"]
        command += ["-l", str(self.folder / "log"), "-o", options, *arguments]
        done = subprocess.run([*self.as_user, *command], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr + (self.folder / "log").read_text()[-2000:]

    def substitute(self, text: str) -> str:
        for old, new in {
            "db.wijkteam.example": "localhost",
            "10.20.0.0/16": "127.0.0.1/32",
            "listen_addresses = '*'": "listen_addresses = 'localhost'",
            "/etc/wijkteam/ca.crt": str(self.ca),
            "/etc/postgresql/tls/": f"{self.folder}/tls/",
            "/var/backups/wijkgesprek": str(self.path("dumps")),
            "/var/lib/postgresql/wal-archief": str(self.path("wal-archief")),
            "/var/lib/postgresql/basis": str(self.path("basis")),
            "/var/lib/postgresql/15/main": str(self.data),
        }.items():
            text = text.replace(old, new)
        return re.sub(
            r"^\\password (\w+)$",
            lambda m: f"ALTER ROLE {m.group(1)} PASSWORD '{self.password(m.group(1))}';",
            text,
            flags=re.M,
        )

    def password(self, role: str) -> str:
        return self.passwords.setdefault(role, f"proef-{role}-{len(self.passwords)}")

    def environment(self, *, server: bool) -> dict[str, str]:
        pgpass = self.folder / "laptop" / "pgpass"
        pgpass.write_text(
            "".join(f"localhost:{self.port}:*:{r}:{p}\n" for r, p in self.passwords.items())
        )
        pgpass.chmod(0o600)
        path = f"{self.bin}:{Path(sys.executable).parent}:{os.environ['PATH']}"
        env = {**os.environ, "PATH": path, "PGPORT": str(self.port), "PGPASSFILE": str(pgpass)}
        if server:
            env.update(PGHOST=str(self.folder), PGUSER="postgres")
        return env

    def run(self, block: Block) -> subprocess.CompletedProcess[str]:
        text = self.substitute(block.text)
        if block.kind == "sql":
            who = re.match(r"als (\w+)(?:, in (\w+))?", block.first)
            assert who, block.first
            role, database = who.group(1), who.group(2) or "postgres"
            if role == "postgres":
                target = f"host={self.folder} port={self.port} dbname={database} user=postgres"
            else:
                target = (
                    f"host=localhost port={self.port} dbname={database} user={role} "
                    f"sslmode=verify-full sslrootcert={self.ca}"
                )
            command = ["psql", target, "-v", "ON_ERROR_STOP=1", "-X", "-q", "-f", "-"]
            env = self.environment(server=False)
            return subprocess.run(
                command, input=text, capture_output=True, text=True, env=env, timeout=120
            )
        server = "op de server" in block.first
        runner = self.as_user if server else []
        env = self.environment(server=server)
        exported = [f"{k}={v}" for k, v in env.items() if k.startswith("PG") or k == "PATH"]
        return subprocess.run(
            [*runner, "env", *exported, "bash", "-e", "-c", text],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
            cwd=self.folder,
        )

    def sql(self, statement: str, database: str = "wijkgesprek_noord") -> list[tuple[str, ...]]:
        target = f"host={self.folder} port={self.port} dbname={database} user=postgres"
        command = [str(self.bin / "psql"), target, "-X", "-A", "-t", "-F", "|"]
        command += ["-v", "ON_ERROR_STOP=1", "-c", statement]
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        return [tuple(line.split("|")) for line in done.stdout.splitlines() if line]


def make_cluster(guide: list[Block], folder: Path) -> Cluster:
    binaries = pgserver._binaries()
    if binaries is None or shutil.which("openssl") is None:
        pytest.skip("geen PostgreSQL-server of openssl op deze machine")
    as_user: list[str] = []
    if os.geteuid() == 0:
        as_user = ["runuser", "-u", "postgres", "--"]
    cluster = Cluster(folder=folder, bin=binaries, as_user=as_user, port=free_port())
    for name in ("tls", "laptop", "dumps", "wal-archief"):
        (folder / name).mkdir()
    tls = folder / "tls"
    openssl(tls, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=Proef-CA", "-keyout", "ca.key", "-out", "ca.crt")  # fmt: skip
    openssl(tls, "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
            "-keyout", "server.key", "-out", "server.csr")  # fmt: skip
    (tls / "san.ext").write_text("subjectAltName=DNS:localhost\n")
    openssl(tls, "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
            "-CAcreateserial", "-days", "2", "-extfile", "san.ext",
            "-out", "server.crt")  # fmt: skip
    shutil.copy(tls / "ca.crt", cluster.ca)
    (tls / "server.key").chmod(0o600)
    if as_user:
        subprocess.run(["chown", "-R", "postgres", str(folder)], check=True)
    initdb = [str(binaries / "initdb"), "-D", str(cluster.data), "-U", "postgres"]
    initdb += ["-A", "trust", "--encoding", "UTF8", "--locale", "C.UTF-8"]
    subprocess.run([*as_user, *initdb], check=True, capture_output=True)
    # The guide's settings; the superuser on the server through the socket, as Debian's peer.
    conf = [cluster.substitute(b.text) for b in guide if b.kind == "conf"]
    settings = "".join(t for t in conf if t.startswith("# postgresql.conf"))
    rules = "".join(t for t in conf if t.startswith("# pg_hba.conf"))
    with (cluster.data / "postgresql.conf").open("a") as file:
        file.write(settings)
    (cluster.data / "pg_hba.conf").write_text(
        "local all postgres trust\nlocal replication postgres trust\n" + rules
    )
    cluster.pg_ctl("start")
    return cluster


# -- what the test checks and makes around the guide's steps ----------------------------------


def connects(cluster: Cluster, role: str, database: str, *, tls: str = "verify-full") -> bool:
    import psycopg

    try:
        psycopg.connect(
            host="localhost", port=cluster.port, dbname=database, user=role,
            password=cluster.password(role), sslmode=tls, sslrootcert=str(cluster.ca),
            connect_timeout=5,
        ).close()  # fmt: skip
    except psycopg.OperationalError:
        return False
    return True


def after_setup(cluster: Cluster) -> None:
    """The owner is no superuser; the tables, roles and the extension are there."""
    assert cluster.sql("SELECT rolsuper, rolcreaterole FROM pg_roles "
                       "WHERE rolname = 'wijkgesprek_eigenaar'") == [("f", "t")]  # fmt: skip
    assert cluster.sql("SELECT extname FROM pg_extension WHERE extname = 'unaccent'")
    roles = {r for (r,) in cluster.sql("SELECT rolname FROM pg_roles")}
    assert {"wijkgesprek_professional", "wijkgesprek_auditor"} <= roles
    assert not connects(cluster, "wijkgesprek_eigenaar", "wijkgesprek_noord", tls="disable")


def after_professionals(cluster: Cluster) -> None:
    """Anna works: a household with a note (for the backups below)."""
    from datetime import UTC, datetime

    from wijkgesprek.domain.household import Children
    from wijkgesprek.store import repo
    from wijkgesprek.store.engine import Store
    from wijkgesprek.store.target import TeamServer

    store = Store(TeamServer(anna_url(cluster)))
    try:
        now = datetime.now(UTC)
        visit = store.run(
            repo.start_visit, code="GZ-900", wijk="Noord", children=Children(), now=now
        )
        store.run(repo.save_note, visit_id=visit, topic="stress", text="Huurschuld.", now=now)
    finally:
        store.engine.dispose()
    assert cluster.sql("SELECT who FROM access_log WHERE household = 'GZ-900' LIMIT 1") == [
        ("anna",)
    ]


def anna_url(cluster: Cluster) -> str:
    """Anna's address, as on her laptop; her password written anew into the file the
    test's environment points to (``test_every_step_of_the_guide_on_a_fresh_cluster``)."""
    cluster.environment(server=False)
    return f"postgresql://anna@localhost/wijkgesprek_noord?sslmode=verify-full&sslrootcert={cluster.ca}"


def after_teams(cluster: Cluster) -> None:
    assert cluster.sql("SELECT has_database_privilege('bas', 'wijkgesprek_noord', 'CONNECT'), "
                       "has_database_privilege('anna', 'wijkgesprek_zuid', 'CONNECT')") == [
        ("f", "f")
    ]  # fmt: skip
    assert connects(cluster, "bas", "wijkgesprek_zuid")
    assert not connects(cluster, "anna", "wijkgesprek_zuid")


def after_restore_test(cluster: Cluster) -> None:
    assert cluster.sql("SELECT code FROM household", "wijkgesprek_noord_proef") == [("GZ-900",)]


def before_point_in_time(cluster: Cluster) -> None:
    """GZ-901 is written, a moment passes, then it is erased: the moment goes into the
    guide's recovery_target_time, and the server is stopped as the guide says."""
    from datetime import UTC, datetime

    from wijkgesprek.domain.household import Children
    from wijkgesprek.store import repo
    from wijkgesprek.store.engine import Store
    from wijkgesprek.store.erase import erase_households
    from wijkgesprek.store.target import TeamServer

    store = Store(TeamServer(anna_url(cluster)))
    try:
        store.run(
            repo.start_visit, code="GZ-901", wijk="Noord", children=Children(),
            now=datetime.now(UTC),
        )  # fmt: skip
    finally:
        store.engine.dispose()
    time.sleep(1.1)  # the server's clock, not the UI: a moment strictly between the two
    (moment,) = cluster.sql("SELECT now()")[0]
    time.sleep(1.1)
    owner = Store(TeamServer(anna_url(cluster).replace("anna@", "wijkgesprek_eigenaar@")))
    try:
        assert erase_households(owner, ["GZ-901"]).codes == ("GZ-901",)
    finally:
        owner.engine.dispose()
    (segment,) = cluster.sql("SELECT pg_walfile_name(pg_switch_wal())")[0]
    deadline = time.monotonic() + 60
    while (cluster.sql("SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver")[0][0]
           < segment):  # fmt: skip
        assert time.monotonic() < deadline, "the WAL archive did not follow"
        time.sleep(0.2)
    cluster.moment = moment
    cluster.pg_ctl("stop", "-m", "fast")


def after_point_in_time(cluster: Cluster) -> None:
    """Started again: the household erased after that moment is back."""
    cluster.pg_ctl("start")
    assert cluster.sql("SELECT code FROM household ORDER BY code") == [("GZ-900",), ("GZ-901",)]


def after_erasing_again(cluster: Cluster) -> None:
    assert cluster.sql("SELECT code FROM household") == [("GZ-900",)]
    assert cluster.sql("SELECT count(*) FROM access_log WHERE household = 'GZ-901'") == [("0",)]


def after_pooler_settings(cluster: Cluster) -> None:
    import psycopg

    with psycopg.connect(
        host="localhost", port=cluster.port, dbname="wijkgesprek_noord", user="cor",
        password=cluster.password("cor"), sslmode="verify-full", sslrootcert=str(cluster.ca),
    ) as connection:  # fmt: skip
        assert connection.execute("SHOW lock_timeout").fetchone() == ("5s",)


def after_removal(cluster: Cluster) -> None:
    assert not connects(cluster, "anna", "wijkgesprek_noord")
    assert cluster.sql("SELECT rolcanlogin FROM pg_roles WHERE rolname = 'anna'") == [("f",)]


def after_reading_the_log(cluster: Cluster, shown: str) -> None:
    """The auditor sees who did what with GZ-900, and the reading is logged too."""
    assert "anna" in shown and "GZ-900" in shown and "aangemaakt" in shown
    assert cluster.sql("SELECT count(*) FROM access_log WHERE who = 'ida'") != [("0",)]


Check = Callable[[Cluster, str], None]


def only(check: Callable[[Cluster], None]) -> Check:
    return lambda cluster, _shown: check(cluster)


CHECKS: dict[str, Check] = {
    'beheer migreer --database "postgresql://wijkgesprek_eigenaar@db.wijkteam.example/'
    "wijkgesprek_noord": only(after_setup),
    "CREATE ROLE anna": only(after_professionals),
    "toegang\n": after_reading_the_log,
    "CREATE ROLE bas": only(after_teams),
    "--dbname=wijkgesprek_noord_proef": only(after_restore_test),
    "wis GZ-901": only(after_erasing_again),
    "ALTER DATABASE wijkgesprek_noord SET lock_timeout": only(after_pooler_settings),
    "pg_terminate_backend": only(after_removal),
}
"""After the first block holding the key: what the test checks (given what it printed)."""


@pytest.fixture
def guide_blocks() -> list[Block]:
    return blocks(GUIDE.read_text("utf-8"))


def test_the_guide_has_every_step_the_issue_asks_for(guide_blocks: list[Block]) -> None:
    text = GUIDE.read_text("utf-8")
    for words in ("PostgreSQL 15", "unaccent", "CREATEROLE", "pg_hba.conf", "verify-full",
                  "CREATE ROLE anna", "REVOKE wijkgesprek_professional", "beheer migreer",
                  "pg_dump", "pg_basebackup", "recovery_target_time", "max_connections",
                  "PgBouncer", "team_zuid"):  # fmt: skip
        assert words in text, words
    kinds = {b.kind for b in guide_blocks}
    assert kinds == {"sql", "sh", "conf"}
    assert all(re.match(r"(als \w+|op de |postgresql.conf|pg_hba.conf)", b.first)
               for b in guide_blocks), [b.first for b in guide_blocks]  # fmt: skip


def test_every_step_of_the_guide_on_a_fresh_cluster(
    guide_blocks: list[Block], monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    # A short path of its own: the server's socket lives in it (Unix sockets are short).
    folder = Path(tempfile.mkdtemp(prefix="wijkbeheer-", dir="/tmp"))
    cluster = make_cluster(guide_blocks, folder)
    # The test's own connections find this cluster as a laptop would; undone after the
    # test, so that the other tests in this process reach their own server again.
    monkeypatch.setenv("PGPORT", str(cluster.port))
    monkeypatch.setenv("PGPASSFILE", str(folder / "laptop" / "pgpass"))
    try:
        _follow(cluster, guide_blocks)
    finally:
        subprocess.run(
            [*cluster.as_user, str(cluster.bin / "pg_ctl"), "-D", str(cluster.data),
             "stop", "-m", "immediate"], capture_output=True,
        )  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)


def _follow(cluster: Cluster, guide: list[Block]) -> None:
    done_checks: set[str] = set()
    for block in guide:
        if block.kind == "conf":
            continue  # in place before the server started
        if "recovery_target_time" in block.text:
            before_point_in_time(cluster)
            moment = cluster.moment
            block = Block(
                block.kind, block.heading, block.text.replace(TIME_IN_GUIDE, f"'{moment}'")
            )
        finished = cluster.run(block)
        told = f"{block.heading}: {block.first}\n{finished.stdout}\n{finished.stderr}"
        if block.refused:
            assert finished.returncode != 0, told
            assert "Traceback" not in finished.stderr, told
        else:
            assert finished.returncode == 0, told
        if "recovery_target_time" in block.text:
            after_point_in_time(cluster)
        for key, check in CHECKS.items():
            if key not in done_checks and key in block.text:
                done_checks.add(key)
                check(cluster, finished.stdout)
                break
    assert done_checks == set(CHECKS), set(CHECKS) - done_checks
