"""TLS for real (issue 21, point 9): a throwaway PostgreSQL server with a certificate of a
throwaway certificate authority (made with ``openssl``), reached as a server on another
computer (``db.wijkteam.test``, its address given as ``hostaddr``). wijkgesprek connects
only when the certificate is checked and holds, and says so in Dutch when it does not."""

from __future__ import annotations

import shutil
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pgserver
import pytest
from sqlalchemy import text

from wijkgesprek.errors import StoreError, Unreachable
from wijkgesprek.store.engine import Store
from wijkgesprek.store.pgaddress import Tls
from wijkgesprek.store.schema import SCHEMA_VERSION
from wijkgesprek.store.target import TeamServer

pytestmark = pytest.mark.slow  # a server of its own, with TLS

NAME = "db.wijkteam.test"


def openssl(*arguments: str, folder: Path) -> None:
    subprocess.run(["openssl", *arguments], cwd=folder, check=True, capture_output=True)


def authority(folder: Path, name: str) -> None:
    """``{name}.crt`` and ``{name}.key``: a certificate authority of its own."""
    openssl(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-subj", f"/CN={name}", "-keyout", f"{name}.key", "-out", f"{name}.crt",
        folder=folder,
    )  # fmt: skip


def server_certificate(folder: Path, authority: str) -> None:
    """``server.crt`` and ``server.key`` for NAME, signed by ``authority``."""
    openssl(
        "req", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={NAME}",
        "-keyout", "server.key", "-out", "server.csr", folder=folder,
    )  # fmt: skip
    (folder / "san.ext").write_text(f"subjectAltName=DNS:{NAME}\n")
    openssl(
        "x509", "-req", "-in", "server.csr", "-CA", f"{authority}.crt",
        "-CAkey", f"{authority}.key", "-CAcreateserial", "-days", "2",
        "-extfile", "san.ext", "-out", "server.crt", folder=folder,
    )  # fmt: skip


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class TlsServer:
    port: int
    certificates: Path

    def url(self, host: str = NAME, database: str = "postgres") -> str:
        return f"postgresql://postgres@{host}:{self.port}/{database}?hostaddr=127.0.0.1"


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsServer]:
    if shutil.which("openssl") is None:
        pytest.skip("TLS-test overgeslagen: geen openssl op deze machine")
    folder = tmp_path_factory.mktemp("ca")
    authority(folder, "team-ca")
    authority(folder, "andere-ca")
    server_certificate(folder, "team-ca")
    port = free_port()
    started = pgserver.start(
        options=f"-c listen_addresses=127.0.0.1 -p {port} -c ssl=on "
        "-c ssl_cert_file={folder}/server.crt -c ssl_key_file={folder}/server.key",
        files={
            "server.crt": (folder / "server.crt").read_bytes(),
            "server.key": (folder / "server.key").read_bytes(),
        },
    )
    if isinstance(started, str):
        if pgserver._binaries() is None:
            pytest.skip(f"TLS-test overgeslagen: {started}")
        pytest.fail(started)
    yield TlsServer(port, folder)
    started.stop()


def test_a_server_elsewhere_is_reached_over_checked_tls(tls_server: TlsServer) -> None:
    import psycopg

    with psycopg.connect(
        tls_server.url(),
        sslmode="verify-full",
        sslrootcert=str(tls_server.certificates / "team-ca.crt"),
        autocommit=True,
    ) as connection:
        connection.execute("DROP DATABASE IF EXISTS wijk_tls")
        connection.execute("CREATE DATABASE wijk_tls")
    target = TeamServer(
        tls_server.url(database="wijk_tls"), Tls(root=str(tls_server.certificates / "team-ca.crt"))
    )
    assert target.prepare(shows_notes=True) == SCHEMA_VERSION
    store = Store(target)
    try:
        with store.engine.connect() as connection:
            row = connection.execute(
                text("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            ).one()
        assert row == (True,)  # the app's own connections are encrypted too
    finally:
        store.engine.dispose()


@pytest.mark.parametrize(
    ("host", "root", "says"),
    [
        (NAME, None, "database_certificaat"),  # nothing to check the server with
        (NAME, "andere-ca.crt", "niet te vertrouwen"),  # another authority signed it
        ("andere.wijkteam.test", "team-ca.crt", "hoort niet bij dit adres"),  # another name
    ],
)
def test_a_certificate_that_does_not_hold_is_told_in_dutch(
    tls_server: TlsServer, host: str, root: str | None, says: str
) -> None:
    tls = Tls(root=None if root is None else str(tls_server.certificates / root))
    target = TeamServer(tls_server.url(host=host), tls)
    with pytest.raises(StoreError) as refused:
        target.prepare()
    assert says in str(refused.value)
    assert not isinstance(refused.value, Unreachable)


def test_the_admin_may_allow_tls_without_checking_the_certificate(tls_server: TlsServer) -> None:
    """``database_tls = "versleutelen"``: encrypted, the certificate not checked."""
    target = TeamServer(tls_server.url(host="andere.wijkteam.test"), Tls("versleutelen"))
    assert target.prepare() == SCHEMA_VERSION
