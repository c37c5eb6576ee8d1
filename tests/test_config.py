"""Settings the app writes back into config.toml: only the one key, the rest as written."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from wijkgesprek import paths
from wijkgesprek.config import Config, load_config
from wijkgesprek.errors import ConfigError
from wijkgesprek.remember import remember, write_setting

posix_modes = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")

HAND_WRITTEN = """\
# Instellingen van Anna (verzonnen)
kleuren = "donker"   # 's avonds
vragen = 'C:\\wijkteam\\vragen.yaml'

[toetsen]            # mijn toetsen
afronden = "f10"
"""


def test_a_setting_is_changed_in_place_with_comments_and_other_keys_kept(
    tmp_path: Path,
) -> None:
    file = tmp_path / "config.toml"
    file.write_text(HAND_WRITTEN, "utf-8")
    write_setting(file, "kleuren", "licht")
    assert file.read_text("utf-8") == HAND_WRITTEN.replace('"donker"', '"licht"')
    write_setting(file, "exportmap", "/home/anna/Documenten/export")
    text = file.read_text("utf-8")
    assert text.startswith(HAND_WRITTEN.replace('"donker"', '"licht"').split("\n[")[0])
    assert (
        'exportmap = "/home/anna/Documenten/export"\n\n[toetsen]            # mijn toetsen' in text
    )
    config = load_config(file)
    assert config.theme == "textual-light"
    assert config.export_folder == Path("/home/anna/Documenten/export")
    assert config.keymap == {"afronden": "f10"}


@posix_modes
def test_a_new_file_and_folder_are_private(tmp_path: Path) -> None:
    file = tmp_path / "nieuw" / "config.toml"
    changed, problem = remember(Config(file=file), "kleuren", "licht")
    assert (problem, changed.theme) == ("", "textual-light")
    assert file.read_text("utf-8") == 'kleuren = "licht"\n'
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert stat.S_IMODE(file.parent.stat().st_mode) == 0o700
    assert [p.name for p in file.parent.iterdir()] == ["config.toml"]  # no temporary left


@posix_modes
def test_a_readable_file_becomes_private_and_a_link_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "wijkgesprek.toml"
    real.parent.mkdir()
    real.write_text("reservekopieen = 3\n", "utf-8")
    real.chmod(0o644)
    link = tmp_path / "config.toml"
    link.symlink_to(real)
    write_setting(link, "kleuren", "donker")
    assert link.is_symlink()
    assert real.read_text("utf-8") == 'reservekopieen = 3\nkleuren = "donker"\n'
    assert stat.S_IMODE(real.stat().st_mode) == 0o600


def test_a_file_broken_since_the_start_is_left_alone(tmp_path: Path) -> None:
    file = tmp_path / "config.toml"
    file.write_text('kleuren = "licht"\n[toetsen\n', "utf-8")
    changed, problem = remember(Config(file=file), "kleuren", "donker")
    assert problem.startswith(f"{file}:2:")
    assert "geen geldige TOML" in problem
    assert changed.theme == "textual-dark"  # this run still has what was chosen
    assert file.read_text("utf-8") == 'kleuren = "licht"\n[toetsen\n'


@pytest.mark.parametrize(
    "make_unwritable",
    [
        pytest.param(lambda file: file.parent.write_text("een bestand", "utf-8"), id="no-folder"),
        pytest.param(
            lambda file: (
                file.parent.mkdir(),
                file.write_text("# alleen lezen\n", "utf-8"),
                file.chmod(0o444),
            ),
            id="read-only",
            marks=pytest.mark.skipif(
                sys.platform == "win32" or os.geteuid() == 0, reason="root may write anyway"
            ),
        ),
    ],
)
def test_a_file_that_cannot_be_written_is_one_sentence(
    tmp_path: Path, make_unwritable: object
) -> None:
    file = tmp_path / "instellingen" / "config.toml"
    assert callable(make_unwritable)
    make_unwritable(file)
    with pytest.raises(ConfigError) as error:
        write_setting(file, "kleuren", "licht")
    assert str(error.value).startswith(f"{file} kan niet worden ")
    assert "\n" not in str(error.value)


def test_no_file_means_only_this_run(tmp_path: Path) -> None:
    changed, problem = remember(Config(), "exportmap", str(tmp_path))
    assert (changed.export_folder, problem) == (tmp_path, "")
    assert not paths.config_file().exists()
