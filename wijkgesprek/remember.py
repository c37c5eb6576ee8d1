"""Settings chosen in the app (Ctrl+T's colours, the last export folder), written back
into the user's ``config.toml``.

People write that file by hand, so it is changed as a person would: only the one key,
with their comments, order and other keys kept (tomlkit round-trips them). The new text
is checked with the same reader as at start (tomllib) before it replaces the old one, in
one rename: a crash leaves the old file or the new one. The file is private (0600), a
new folder too (0700). A file that cannot be written (read-only, a broken file, a full
disk) is a :class:`ConfigError` with one Dutch sentence; nothing is changed then.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from wijkgesprek.config import THEMES, Config, explain_toml
from wijkgesprek.errors import ConfigError


def remember(config: Config, key: str, value: str) -> tuple[Config, str]:
    """``config`` with the setting ``key`` (``kleuren`` or ``exportmap``) set to
    ``value``, which is also written to ``config.file`` (if any). The second item says in
    Dutch why it could not be written; empty when it was."""
    if key == "kleuren":
        changed = replace(config, theme=THEMES.get(value, value))
    elif key == "exportmap":
        changed = replace(config, export_folder=Path(value))
    else:
        raise ValueError(f"not a setting the app writes: {key}")
    if config.file is None:
        return changed, ""
    try:
        write_setting(config.file, key, value)
    except ConfigError as error:
        return changed, str(error)
    return changed, ""


def write_setting(file: Path, key: str, value: str) -> None:
    """Set ``key = value`` (a top-level text) in the TOML file ``file``, keeping the rest."""
    import tomllib

    import tomlkit

    real = file.resolve()  # a linked config file (dotfiles) stays a link
    try:
        old = real.read_text("utf-8") if real.exists() else ""
        before = tomllib.loads(old)
    except UnicodeDecodeError:
        raise ConfigError(f"{file}:1:1: het instellingenbestand is geen UTF-8-tekst.") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(explain_toml(file, error)) from None
    except OSError as error:
        raise ConfigError(f"{file} kan niet worden gelezen ({error.strerror}).") from None
    if before.get(key) == value:
        return
    document = tomlkit.parse(old)
    document[key] = value
    new = tomlkit.dumps(document)
    after: dict[str, Any] = tomllib.loads(new)
    if after.pop(key, None) != value or after != {k: v for k, v in before.items() if k != key}:
        raise ConfigError(f"{file}: de instelling '{key}' kan hier niet veilig worden bewaard.")
    try:
        _replace_private(real, new.encode("utf-8"))
    except OSError as error:
        reason = "alleen te lezen" if isinstance(error, PermissionError) else error.strerror
        reason = reason or type(error).__name__
        raise ConfigError(f"{file} kan niet worden geschreven ({reason}).") from None


def _replace_private(path: Path, payload: bytes) -> None:
    """Write ``payload`` beside ``path`` (0600) and rename it over ``path``."""
    import tempfile

    if path.exists() and not os.access(path, os.W_OK):  # the user made it read-only
        raise PermissionError(path)
    if not path.parent.is_dir():
        path.parent.mkdir(mode=0o700, parents=True)
        os.chmod(path.parent, 0o700)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".config-", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
