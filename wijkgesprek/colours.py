"""The app's colours: the theme ``config.toml`` names (``kleuren``: licht, donker or a
Textual theme) at the start, and Ctrl+T, which swaps light and dark and remembers the
choice in ``config.toml`` (``remember.py``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wijkgesprek.config import THEMES, theme_for

if TYPE_CHECKING:
    from wijkgesprek.app import WijkgesprekApp


def from_config(app: WijkgesprekApp) -> None:
    """The theme of the settings; an unknown one is told, and the dark colours are used."""
    try:
        app.theme = theme_for(app.config.theme, app.available_themes)
    except ValueError as problem:
        app.notify(
            f"{app.config.file or 'instellingen'}, bij 'kleuren': {problem} De donkere "
            "kleuren worden gebruikt.",
            severity="warning",
            markup=False,
        )


def toggle(app: WijkgesprekApp) -> None:
    """Ctrl+T: light ↔ dark, remembered; a choice that cannot be written still holds."""
    from wijkgesprek.remember import remember

    colours = "licht" if app.current_theme.dark else "donker"
    app.theme = THEMES[colours]
    app.config, problem = remember(app.config, "kleuren", colours)
    if problem:
        app.notify(f"De kleuren zijn gewisseld, maar niet onthouden: {problem}", markup=False)
