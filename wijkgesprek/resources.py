"""What the App reads besides the database: the guide and the sociale kaart.

Both are read off the path to the first frame. The guide comes from the command line
checked (or as a loader that reads it from the cache); the sociale kaart is read in a
thread after the first frame, and a problem with it is told once, calmly: the app works
on without suggestions. Which files: ``cli.common.guide_file`` and ``network_files``
(the option, else the config file's, else the shipped one)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from wijkgesprek.errors import ContentError

if TYPE_CHECKING:
    from wijkgesprek.content.model import Guide, Network


class Resources:
    """The guide and the sociale kaart of one run of the app."""

    def __init__(self, guide: Guide | Callable[[], Guide], network: tuple[Path, ...]) -> None:
        self._guide = guide
        self._lock = threading.Lock()  # the home screen's worker may ask first
        self.network_files = network
        self.network: Network | None = None
        """The sociale kaart, once read; empty when it could not be read."""
        self.network_problem = ""
        """Why the sociale kaart could not be read (Dutch), or empty."""

    @property
    def guide(self) -> Guide:
        """The conversation guide, read on first use (once, whichever thread asks)."""
        from wijkgesprek.content.model import Guide

        with self._lock:
            if not isinstance(self._guide, Guide):
                self._guide = self._guide()
            return self._guide

    def read_network(self) -> str:
        """Read the sociale kaart (in a thread); the problem to tell, or empty."""
        from wijkgesprek.content.model import Network
        from wijkgesprek.content.network import load_network
        from wijkgesprek.paths import cache_dir

        try:
            self.network, _warnings = load_network(
                self.network_files,
                themes=[theme.id for theme in self.guide.themes],
                today=date.today(),
                cache_dir=cache_dir(),
            )
        except ContentError as error:
            first = error.problems[0] if error.problems else None
            self.network = Network(entries=())
            self.network_problem = (
                f"De sociale kaart kan niet worden gelezen: {first or error} "
                "Controleer het bestand met 'wijkgesprek controleer'."
            )
        return self.network_problem
