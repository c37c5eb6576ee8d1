"""The App: turns the settings into screens, and nothing more."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from textual import events
from textual.app import SystemCommand
from textual.await_complete import AwaitComplete
from textual.screen import Screen

from wijkgesprek import colours, discreet
from wijkgesprek.chores import Chores
from wijkgesprek.commands import app_bindings, palette_commands
from wijkgesprek.config import Config
from wijkgesprek.connection import Connection
from wijkgesprek.door import Door
from wijkgesprek.fatal import fatal_line
from wijkgesprek.keys import InOrderKeys
from wijkgesprek.resources import Resources
from wijkgesprek.screens.home import HomeScreen
from wijkgesprek.screens.lock import Lock
from wijkgesprek.stopping import Stopping
from wijkgesprek.store.target import Target, as_target
from wijkgesprek.text import clean_typed
from wijkgesprek.widgets.palette import CommandPalette

if TYPE_CHECKING:
    from wijkgesprek.content.model import Cases, Guide, Network
    from wijkgesprek.store.engine import Store
    from wijkgesprek.store.outbox import Outbox

T = TypeVar("T")


class WijkgesprekApp(InOrderKeys):
    CSS_PATH = "app.tcss"
    TITLE = "wijkgesprek"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = app_bindings()

    def __init__(
        self,
        *,
        guide: Guide | Callable[[], Guide],
        database: Target | Path,
        config: Config | None = None,
        network: tuple[Path, ...] = (),
        cases: Cases | None = None,
        outbox: Outbox | None = None,
        data_folder: Path | None = None,
        offline: bool = False,
    ) -> None:
        super().__init__()
        self.cases = cases
        """Practice mode (``wijkgesprek oefenen``) when set: ``database`` is then the
        practice database, and the home screen lists the cases."""
        self.base_title = "wijkgesprek · oefenen" if cases else "wijkgesprek"
        self.title = self.base_title
        self.resources = Resources(guide, network)
        self.database = as_target(database, practice=cases is not None)
        """Where the data is: the file on this laptop or the team database."""
        if data_folder is None:
            from wijkgesprek.paths import data_dir

            file = self.database.file
            data_folder = file.parent if file is not None else data_dir()
        self.data_folder = data_folder
        """The data folder on this laptop (also with a team database): where the record of
        exports is kept (``export.record``)."""
        self.config = config or Config()
        self.discreet = False
        """Whether safety details are hidden (Ctrl+G, ``discreet.py``)."""
        self.connection = Connection(self, outbox)
        """The team database's state: offline, and the notes waiting on the laptop."""
        self.chores = Chores(self, offline=offline)
        """What is done after the first frame (the daily backup, …), and the damage found."""
        self.locker = Lock(self)
        self.door = Door(self)
        self.stopping = Stopping(self)
        """Every screen saves what it holds (``flush_all``), and Ctrl+Q."""

    @property
    def guide(self) -> Guide:
        return self.resources.guide

    @property
    def network(self) -> Network | None:
        """The sociale kaart, once read (after the first frame); empty when it failed."""
        return self.resources.network

    @cached_property
    def store(self) -> Store:
        """The database, opened on first use (keeps SQLModel off the first frame)."""
        from wijkgesprek.store.engine import Store

        return Store(self.database)

    def on_mount(self) -> None:
        colours.from_config(self)
        if self.config.keymap:
            self.set_keymap(self.config.keymap)
        self.call_after_refresh(self.chores.after_first_frame)

    def get_default_screen(self) -> Screen[Any]:
        # The home screen is the default screen (not pushed in on_mount), so its
        # first frame is the first thing the terminal shows.
        if self.cases is not None:
            from wijkgesprek.screens.practice_home import PracticeHomeScreen

            return PracticeHomeScreen(self.cases)
        return HomeScreen()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Paste) and not event.is_forwarded:
            # One place for every field: pasted control codes become visible symbols.
            event.text = clean_typed(event.text)
        if isinstance(event, events.Key | events.Paste | events.MouseDown):
            self.locker.last_input = time.monotonic()
        await super().on_event(event)

    # -- the lock (only with an encrypted database: screens/lock.py) ---------------

    def action_lock(self) -> None:
        self.locker.lock()

    @property
    def locked(self) -> bool:
        return self.locker.locked

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.locker.allows(action)  # while locked: only help and stopping

    # -- the database: App.read/App.write, the screens' usual door (door.py) ----

    def write(self, function: Callable[..., object], /, **kwargs: Any) -> bool:
        return self.door.write(function, **kwargs)

    def read(self, function: Callable[..., T], /, **kwargs: Any) -> T | None:
        return self.door.read(function, **kwargs)

    def pop_screen(self) -> AwaitComplete:
        """Go back a screen; a screen that goes back after ``Door.household_gone`` took
        every screen away (it noticed the erased household too) has nothing to pop."""
        if len(self.screen_stack) <= 1:
            return AwaitComplete(asyncio.sleep(0)).call_next(self)
        return super().pop_screen()

    def update_title(self) -> None:
        marks = [("offline", self.connection.offline), ("discreet", self.discreet)]
        self.title = " · ".join([self.base_title, *(mark for mark, on in marks if on)])

    # -- errors: never a traceback, never personal data --------------------------

    def _fatal_error(self) -> None:
        # The one private hook left: Textual calls it for an unhandled error and would
        # print a traceback with local variables (note text). One Dutch line instead.
        self.panic(fatal_line(self._exception))

    def action_focus_next(self) -> None:
        """Tab: a field that can complete what was typed (a known wijk) does so first."""
        complete = getattr(self.focused, "complete", None)
        if callable(complete):
            complete()
        self.screen.focus_next()

    def action_help(self) -> None:
        """F1: help for the screen or dialog on top; F1 again closes it."""
        from wijkgesprek.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
        else:
            self.push_screen(HelpScreen(self.screen))

    def action_discreet(self) -> None:
        discreet.toggle(self)

    def action_veilig_thuis(self) -> None:
        from wijkgesprek.screens.veilig_thuis import VeiligThuisScreen

        if isinstance(self.screen, VeiligThuisScreen):
            self.screen.dismiss(None)  # Ctrl+O again closes it
        else:
            self.push_screen(VeiligThuisScreen())

    def action_toggle_colours(self) -> None:
        colours.toggle(self)

    def action_command_palette(self) -> None:
        if not CommandPalette.is_open(self):  # type: ignore[arg-type]  # App[None] is fine
            self.push_screen(
                CommandPalette(placeholder="Zoek een opdracht…", id="--command-palette")
            )

    def action_help_quit(self) -> None:
        self.notify("Stoppen doet u met Ctrl+Q; alles wordt eerst opgeslagen.")

    async def action_quit(self) -> None:
        self.stopping.quit()

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from palette_commands(lambda action: getattr(self, f"action_{action}"), self._where)
        commands = getattr(screen, "commands", None)
        if callable(commands):
            yield from commands()

    def _where(self) -> None:
        self.notify(f"De gegevens staan in {self.database.describe()}.", timeout=10, markup=False)
