"""Where wijkgesprek keeps its files.

One place for every location: the data folder (database), the config folder
(config.toml) and the shipped example data. Environment variables
``WIJKGESPREK_DATA_DIR`` and ``WIJKGESPREK_CONFIG_DIR`` override the
platformdirs defaults; tests point both at a temporary folder.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "wijkgesprek"
DATABASE_NAME = "wijkgesprek.db"
PRACTICE_DATABASE_NAME = "wijkgesprek-oefenen.db"
"""Practice conversations (``wijkgesprek oefenen``): a separate file, never the real one."""
CONFIG_NAME = "config.toml"


def data_dir(override: str | Path | None = None) -> Path:
    """The folder holding the database."""
    chosen = override or os.environ.get("WIJKGESPREK_DATA_DIR")
    if chosen:
        return Path(chosen).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def config_file(override: str | Path | None = None) -> Path:
    """The user's config file (it need not exist)."""
    if override:
        return Path(override).expanduser()
    chosen = os.environ.get("WIJKGESPREK_CONFIG_DIR")
    if chosen:
        return Path(chosen).expanduser() / CONFIG_NAME
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False) / CONFIG_NAME


def cache_dir() -> Path:
    """Private cache (the parsed network file); safe to delete at any time."""
    chosen = os.environ.get("WIJKGESPREK_CACHE_DIR")
    if chosen:
        return Path(chosen).expanduser()
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME, appauthor=False)


def shipped_data_dir() -> Path:
    """The example data that comes with the app.

    In a wheel it is ``wijkgesprek/data``; in a source checkout it is the
    ``data/`` folder at the top of the repository.
    """
    packaged = Path(__file__).parent / "data"
    if packaged.is_dir():
        return packaged
    return Path(__file__).parent.parent / "data"


def shipped_questions() -> Path:
    return shipped_data_dir() / "questions.yaml"


def shipped_network() -> Path:
    return shipped_data_dir() / "network.yaml"


def shipped_cases() -> Path:
    return shipped_data_dir() / "cases.yaml"


def shipped_words() -> Path:
    """The practice word list: how questions are read and the family's shared reactions."""
    return shipped_data_dir() / "woorden.yaml"
