"""Saves SVG screenshots where the user can find them, and says where (or why not)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from tui.text import one_line

if TYPE_CHECKING:
    from textual.app import App

SCREENSHOT_DIR_ENV = "PAPERNOTES_SCREENSHOT_DIR"
"""Folder for screenshots (default: the Downloads folder, else the home folder)."""


def screenshot_folder() -> Path:
    """Where screenshots go: $PAPERNOTES_SCREENSHOT_DIR, else Downloads when it exists, else the home folder."""
    chosen = os.environ.get(SCREENSHOT_DIR_ENV, "").strip()
    if chosen:
        return Path(chosen).expanduser()
    from platformdirs import user_downloads_dir  # deferred: only needed for a screenshot

    downloads = Path(user_downloads_dir())
    return downloads if downloads.is_dir() else Path.home()


def save_screenshot(
    app: App[object], filename: str | None = None, path: str | None = None
) -> Path | None:
    """Save the screen as SVG and tell the user the file (or, when it fails, the reason)."""
    folder = Path(path).expanduser() if path else screenshot_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        saved = Path(app.save_screenshot(filename, str(folder)))
    except OSError as error:
        reason = one_line(error.strerror or str(error))
        app.notify(
            f"Could not save it in {folder}: {reason}.",
            title="Screenshot not saved",
            severity="error",
            markup=False,
        )
        return None
    app.notify(str(saved), title="Screenshot saved", markup=False)
    return saved
