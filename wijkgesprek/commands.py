"""The keys and commands that work on every screen, as data: the App's bindings and the
command palette (Ctrl+P) are both made from :data:`APP_KEYS`, so a key and its palette
entry never disagree."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from textual.app import SystemCommand
from textual.binding import Binding


@dataclass(frozen=True)
class AppKey:
    """One app-wide key: ``action`` is an App action (``action_<name>``)."""

    key: str
    action: str
    label: str
    id: str
    tooltip: str
    show: bool = False
    palette: str = ""
    """The line in the command palette (empty: not listed there)."""


# Every app-wide key is a priority binding: it is handled the moment it arrives, over
# every screen and dialog (a dialog would otherwise cut the App's keys off), and keys typed
# right after it land where it sent the focus.
APP_KEYS = (
    AppKey("f1", "help", "Hulp", "hulp", "Hulp bij dit scherm en de toetsen", show=True,
           palette="Hulp bij dit scherm en de toetsen (F1)"),
    AppKey("ctrl+p", "command_palette", "Opdrachten", "opdrachten", "Zoek een opdracht"),
    AppKey("ctrl+o", "veilig_thuis", "Veilig Thuis", "veilig-thuis",
           "Het nummer van Veilig Thuis: 0800-2000",
           palette="Advies en melden: 0800-2000 (Ctrl+O)"),
    AppKey("ctrl+g", "discreet", "Discreet", "discreet",
           "Verberg alle details van de veiligheidscheck (nog eens: weer tonen)", show=True,
           palette="Verberg of toon de details van de veiligheidscheck (Ctrl+G)"),
    AppKey("ctrl+l", "lock", "Vergrendelen", "vergrendelen",
           "Vergrendel wijkgesprek tot het wachtwoord is getypt (versleutelde database)",
           palette="Vergrendel tot het wachtwoord is getypt (Ctrl+L, versleutelde database)"),
    AppKey("ctrl+t", "toggle_colours", "Licht/donker", "kleuren",
           "Wissel tussen lichte en donkere kleuren",
           palette="Wissel tussen lichte en donkere kleuren (Ctrl+T)"),
    AppKey("ctrl+q", "quit", "Stoppen", "stoppen", "Sla alles op en sluit wijkgesprek",
           palette="Sla alles op en sluit wijkgesprek (Ctrl+Q)"),
)  # fmt: skip


def app_bindings() -> list[Binding | tuple[str, str] | tuple[str, str, str]]:
    """The App's BINDINGS: Tab and Shift+Tab move the focus as soon as the key arrives,
    so keys typed right after land in the next field even when the app is busy."""
    return [
        Binding("tab", "focus_next", "Volgende veld", show=False, priority=True),
        Binding("shift+tab", "focus_previous", "Vorige veld", show=False, priority=True),
        *(
            Binding(k.key, k.action, k.label, id=k.id, tooltip=k.tooltip, show=k.show,
                    priority=True)
            for k in APP_KEYS
        ),
    ]  # fmt: skip


def palette_commands(
    run: Callable[[str], Callable[[], object]], where: Callable[[], object]
) -> Iterator[SystemCommand]:
    """The palette's app-wide commands; ``run(action)`` gives the callable of an action,
    ``where`` says where the data is (a command without a key)."""
    listed = [k for k in APP_KEYS if k.palette]
    for k in listed[:-1]:  # "Stoppen" comes last, after "Waar staan mijn gegevens?"
        yield SystemCommand(k.label, k.palette, run(k.action))
    yield SystemCommand("Waar staan mijn gegevens?", "Toon waar de database staat", where)
    yield SystemCommand(listed[-1].label, listed[-1].palette, run(listed[-1].action))
