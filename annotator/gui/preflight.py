"""Checks before Qt starts, so that a missing display or library is one clear sentence.

Qt aborts the whole process (qFatal) when its platform plugin cannot load,
printing a message that names a plugin, not the missing package; nothing can
catch that in-process, so look first. An X display that cannot be reached
(no server on that number, a forwarding that ended, a refused authorisation)
makes Qt abort the same way, and its message then blames a library
("xcb-cursor0 is needed") that is installed: so the display is tried first,
the way Qt will try it (libxcb's own connect, authorisation included).
"""

from __future__ import annotations

import ctypes
import os
import re
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


_DISPLAY_NAME = re.compile(r"(?P<host>[^:]*):(?P<number>\d+)(?:\.\d+)?")
# libxcb's xcb_connection_has_error codes (1, the socket's, is told apart by why_unreachable).
_XCB_ERRORS = {
    2: "the X server lacks an extension libxcb needs",
    3: "out of memory while connecting",
    4: "a request was too long for the X server",
    5: "the display name could not be parsed",
    6: "the X server has no such screen",
}


def why_unreachable(display: str) -> str | None:
    """Why the X display ``display`` cannot be used, or None when a connection to it succeeds.

    The connection is libxcb's own, as Qt will make it a moment later
    (authorisation included): about a millisecond on an idle desktop, and Qt
    finds the server's answer warm. Without libxcb, a probe of the server's
    socket says at least whether one is listening.
    """
    name = _DISPLAY_NAME.fullmatch(display.strip())
    if name is None:
        return "the name is not of the form [host]:number[.screen]"
    host, number = name["host"], int(name["number"])
    local = host in ("", "unix") or host.endswith("/unix")
    path = f"/tmp/.X11-unix/X{number}"
    error, said = _xcb_error(display)
    if error is None:   # no libxcb to ask
        return None if _socket_answers(host, number, local, path) else _nobody_at(host, number, local, path)
    if error == 0:
        return None
    if error != 1:
        return _XCB_ERRORS.get(error, f"libxcb error {error}")
    if local and not os.path.exists(path) or not _socket_answers(host, number, local, path):
        return _nobody_at(host, number, local, path)
    reason = f": {said}" if said else ""
    return f"the X server refused the connection{reason} (not allowed to use it? check XAUTHORITY or xhost)"


def _nobody_at(host: str, number: int, local: bool, path: str) -> str:
    if not local:
        return f"no X server answers at {host}, port {6000 + number}"
    if not os.path.exists(path):
        return f"no X server is running on that display (there is no socket {path})"
    return f"the X server does not answer at {path}"


def _socket_answers(host: str, number: int, local: bool, path: str) -> bool:
    import socket  # only when libxcb cannot be asked, or to tell its refusal apart

    if not local:
        try:
            socket.create_connection((host, 6000 + number), timeout=3).close()
        except OSError:
            return False
        return True
    # Linux X servers listen on an abstract socket as well as the file; either will do.
    for address in ("\0" + path, path):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            probe.settimeout(3)
            try:
                probe.connect(address)
            except OSError:
                continue
            return True
    return False


def _xcb_error(display: str) -> tuple[int | None, str]:
    """libxcb's error connecting to ``display`` (0: connected; None: no libxcb to ask), and what the server said.

    libxcb writes a refusing server's reason straight to stderr: it is caught
    here, to be said in the one line the user gets.
    """
    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return None, ""
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    # A pipe rather than a temporary file (tempfile's imports cost start-up time); the reason is a
    # line, far below what a pipe holds before a write would block.
    read_end, write_end = os.pipe()
    sys.stderr.flush()
    saved = os.dup(2)
    os.dup2(write_end, 2)
    try:
        connection = xcb.xcb_connect(display.encode(), None)
        try:
            error = int(xcb.xcb_connection_has_error(connection))
        finally:
            xcb.xcb_disconnect(connection)
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(write_end)
    with os.fdopen(read_end, "rb") as caught:
        said = " ".join(caught.read().decode("utf-8", "replace").split())
    return error, said


def display_problem(env: Mapping[str, str] | None = None, platform: str | None = None,
                    loadable: Callable[[str], bool] = _loadable,
                    unreachable: Callable[[str], str | None] = why_unreachable) -> str | None:
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
    display = env["DISPLAY"]
    why = unreachable(display)
    if why:
        return (f"cannot reach the X display {display}: {why}. Run annotator from the desktop session (or over"
                " ssh -X), or set DISPLAY to a display that is running; the command line works without one:"
                " annotator --help")
    missing = [package for library, package in XCB_LIBRARIES.items() if not loadable(library)]
    if missing:
        return ("Qt cannot open a window: missing system libraries. Install them with: "
                f"sudo apt-get install {' '.join(missing)}")
    return None
