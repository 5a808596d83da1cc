"""The operator's own settings, read once at start from $XDG_CONFIG_HOME/opsconsole/config.toml
(~/.config/opsconsole/config.toml when XDG_CONFIG_HOME is unset):

    theme = "gruvbox"        # any Textual theme name

    [keys]                   # binding id = key or keys, as `?` lists them
    pause = "P"
    next-day = "n,ctrl+n"

A setting that cannot be used is left out and said once in the console; it never stops it."""

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Settings:
    theme: str | None = None
    keymap: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def config_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "opsconsole" / "config.toml"


def load(path: Path | None = None) -> Settings:
    """The settings in the file (none if there is no file); each unusable entry is named in
    `problems` rather than raised. The console checks theme names and binding ids itself
    (it knows its themes and bindings)."""
    path = path or config_path()
    settings = Settings()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return settings
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        settings.problems.append(f"{path}: not read ({exc})")
        return settings
    theme = raw.get("theme")
    if theme is not None:
        if not isinstance(theme, str):
            settings.problems.append(f"theme {theme!r} must be a name in quotes")
        else:
            settings.theme = theme
    keys = raw.get("keys", {})
    if not isinstance(keys, dict):
        settings.problems.append("[keys] must be a table of binding id = \"key\"")
        keys = {}
    for binding_id, value in keys.items():
        if not isinstance(value, str) or not value.strip() or \
                any(not part.strip() for part in value.split(",")):
            settings.problems.append(f"keys for {binding_id!r} must be a string like \"p\" "
                                     "or \"p,ctrl+p\"")
        else:
            settings.keymap[binding_id] = ",".join(p.strip() for p in value.split(","))
    for name in raw:
        if name not in ("theme", "keys"):
            settings.problems.append(f"{name!r} is not a setting (theme, [keys])")
    return settings
