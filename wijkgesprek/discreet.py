"""Discreet mode (Ctrl+G): every safety detail hidden at once, on every screen, while the
family looks along.

The App carries the class ``-discreet``; ``app.tcss`` hides every ``.safety-detail``
container and shows the calm ``.discreet-only`` lines. Screens read ``App.discreet`` for
the words they build themselves, and ``discreet_changed()`` tells them when it changes."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wijkgesprek.app import WijkgesprekApp


def toggle(app: WijkgesprekApp) -> None:
    """Hide (or show again) every safety detail at once, on every screen (also those
    under this one, shown again later); the title says it is on."""
    app.discreet = not app.discreet
    app.set_class(app.discreet, "-discreet")
    if app.discreet:  # a message shown a moment ago may name a finding
        app.clear_notifications()
    app.update_title()
    for screen in app.screen_stack:
        app.update_styles(screen)  # Textual restyles only the screens on top
        focused = screen.focused
        if (
            app.discreet
            and focused is not None
            and any(node.has_class("safety-detail") for node in focused.ancestors_with_self)
        ):
            screen.set_focus(None)  # nothing typed may land in a hidden field
        changed = getattr(screen, "discreet_changed", None)
        if callable(changed):
            changed()
    app.screen.refresh_bindings()
