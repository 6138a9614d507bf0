"""Checks before Qt starts, so that a missing display or library is one clear sentence.

Qt aborts the whole process (qFatal) when its platform plugin cannot load,
printing a message that names a plugin, not the missing package; nothing can
catch that in-process, so look first.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Mapping

# Qt 6's xcb plugin needs these beyond what a desktop always has (Debian/Ubuntu package names).
XCB_LIBRARIES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
}


def _loadable(name: str) -> bool:
    try:
        ctypes.CDLL(name)
    except OSError:
        return False
    return True


def display_problem(env: Mapping[str, str] | None = None, platform: str | None = None,
                    loadable: Callable[[str], bool] = _loadable) -> str | None:
    """Why Qt could not open a window here, or None when it should work."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    if not platform.startswith("linux"):
        return None
    requested = env.get("QT_QPA_PLATFORM", "").split(":")[0].strip()
    if requested and requested != "xcb":
        return None  # offscreen, wayland, vnc...: Qt reports those itself, clearly enough
    if not requested and env.get("WAYLAND_DISPLAY"):
        return None
    if not env.get("DISPLAY"):
        return ("no display to open a window on (DISPLAY is not set). Run annotator from a desktop session, "
                "or use the command line: annotator --help")
    missing = [package for library, package in XCB_LIBRARIES.items() if not loadable(library)]
    if missing:
        return ("Qt cannot open a window: missing system libraries. Install them with: "
                f"sudo apt-get install {' '.join(missing)}")
    return None
