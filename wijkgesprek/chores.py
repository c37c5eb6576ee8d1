"""What the app does once its first frame is drawn (``App.on_mount`` asks for it after
the first refresh), so none of it delays what the terminal shows first: the guide from
its cache, the sociale kaart (a thread), a team database that did not answer at the start,
the notes left in the outbox, the daily backup with its check for damage (a thread), and
the idle lock."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text

from wijkgesprek.errors import DamagedDatabase, WijkError
from wijkgesprek.text import visible

if TYPE_CHECKING:
    from wijkgesprek.app import WijkgesprekApp

DAMAGE_SHOWN = 600.0
"""Seconds a damaged database found after the start stays told (Textual's notification)."""


class Chores:
    """The first-frame chores of one run of the app, and the damage they found."""

    def __init__(self, app: WijkgesprekApp, *, offline: bool) -> None:
        self.app = app
        self.offline = offline
        """The team database did not answer at the start: open offline (``Connection``)."""
        self.damage = ""
        """What the check at the start found wrong with the database ("": nothing)."""

    def after_first_frame(self) -> None:
        app = self.app
        try:
            app.guide  # noqa: B018  (load it now, off the path to the first frame)
        except WijkError as error:  # the file changed since it was checked
            app.exit(return_code=error.exit_code, message=Text(visible(str(error))))
            return
        app.run_worker(
            self._read_network, name="read_network", group="network", exclusive=True, thread=True
        )
        if self.offline:
            app.connection.start_offline()
        app.connection.send_left_over()
        if app.database.daily_backups:  # not of practice data, nor of a team database
            app.run_worker(
                self._daily_backup, name="daily_backup", group="backup", exclusive=True, thread=True
            )
        app.locker.start(app.config.lock_minutes)

    def _daily_backup(self) -> None:
        from wijkgesprek.store.backup import daily_backup

        file = self.app.database.file
        assert file is not None
        try:  # checks the whole file first: damage anywhere is found at every start
            daily_backup(file, today=date.today(), keep=self.app.config.backups)
        except DamagedDatabase as damage:  # told, and stays until it is read
            self.app.call_from_thread(self.tell_damage, str(damage))
        except (OSError, WijkError):  # a missed backup must never stop a visit
            self.app.call_from_thread(
                self.app.notify,
                "De dagelijkse reservekopie is niet gelukt; controleer de schijfruimte.",
                severity="warning",
            )

    def tell_damage(self, damage: str = "") -> None:
        """Say that the database is damaged (again after unlocking: the lock took every
        message away)."""
        self.damage = damage or self.damage
        if self.damage:
            self.app.notify(self.damage, severity="error", timeout=DAMAGE_SHOWN, markup=False)

    def _read_network(self) -> None:
        if problem := self.app.resources.read_network():
            self.app.call_from_thread(
                self.app.notify, problem, severity="error", timeout=20, markup=False
            )
