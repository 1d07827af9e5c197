"""Finding report files: only what was asked for, and every odd entry listed.

* A folder is walked recursively; a file is taken when
  ``ingest.readers.supported(name)`` says its format is one yibao reads, and
  listed as skipped (with the reason) otherwise.
* A symbolic link is taken only when its target lies inside one of the folders
  given; a link leading elsewhere (``/etc/passwd``, another user's home) is
  skipped and listed, unless ``follow_links=True`` (``--follow-links``).
  Links to folders are not descended into unless links are followed.
* Special files (FIFOs, sockets, devices) are skipped and listed: reading a
  FIFO would block the run forever.
* A file named explicitly on the command line is read whatever its suffix
  (the user asked for it), but never a special file.
* File names are kept as the OS gives them (undecodable bytes
  surrogate-escaped, so the file can still be opened) and stored in their
  ``printable`` form: undecodable bytes and control characters as ``\\xNN``.
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ingest.readers import EXTENSIONS, supported


class NoReports(Exception):
    """The paths named no readable report file."""


@dataclass
class Discovery:
    files: list[Path] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (printable path, reason)


def printable(name: str) -> str:
    """A file name safe to store and print: undecodable bytes and controls as
    ``\\xNN``, and a backslash doubled, so two names never print alike."""
    out = []
    for ch in name:
        o = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif 0xDC80 <= o <= 0xDCFF:          # surrogate-escaped byte (os.fsdecode)
            out.append(f"\\x{o - 0xDC00:02x}")
        elif 0xD800 <= o <= 0xDFFF or o < 0x20 or o == 0x7F:
            out.append(f"\\x{o:02x}" if o < 0x100 else f"\\u{o:04x}")
        else:
            out.append(ch)
    return "".join(out)


def _kind(mode: int) -> str | None:
    """Why a non-regular file is skipped, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe), not a file"
    if stat.S_ISSOCK(mode):
        return "a socket, not a file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a file"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def _inside(target: Path, roots: list[Path]) -> bool:
    return any(target == root or root in target.parents for root in roots)


class _Walker:
    def __init__(self, roots: list[Path], follow_links: bool, found: Discovery):
        self.roots = roots
        self.follow = follow_links
        self.found = found
        self.seen_dirs: set[Path] = set()

    def skip(self, path: Path, reason: str) -> None:
        self.found.skipped.append((printable(str(path)), reason))

    def entry(self, path: Path) -> None:
        try:
            st = path.lstat()
        except OSError as exc:
            self.skip(path, f"cannot be examined ({exc.strerror or exc})")
            return
        if stat.S_ISLNK(st.st_mode):
            self.link(path)
        elif stat.S_ISDIR(st.st_mode):
            self.folder(path)
        else:
            self.file(path, st.st_mode)

    def link(self, path: Path) -> None:
        try:
            target = path.resolve(strict=True)
            st = target.stat()
        except (OSError, RuntimeError):
            self.skip(path, "a broken symbolic link")
            return
        if not self.follow and not _inside(target, self.roots):
            self.skip(path, f"a symbolic link to {printable(str(target))}, outside the folders "
                            "given (use --follow-links to read it)")
            return
        if stat.S_ISDIR(st.st_mode):
            if self.follow:
                self.folder(target)
            return  # inside a given folder: walked there already
        self.file(path, st.st_mode)

    def folder(self, path: Path) -> None:
        real = path.resolve()
        if real in self.seen_dirs:
            return
        self.seen_dirs.add(real)
        try:
            names = sorted(os.listdir(path))
        except OSError as exc:
            self.skip(path, f"folder cannot be listed ({exc.strerror or exc})")
            return
        for name in names:
            self.entry(path / name)

    def file(self, path: Path, mode: int) -> None:
        reason = _kind(mode)
        if reason:
            self.skip(path, reason)
        elif not supported(path.name):
            self.skip(path, f"not a format yibao reads (suffix {printable(path.suffix) or 'none'}; "
                            f"it reads {' '.join(sorted(EXTENSIONS))})")
        else:
            self.found.files.append(path)


def find_reports(paths: list[Path], follow_links: bool = False) -> Discovery:
    """Report files named by ``paths`` (files, or folders searched recursively)."""
    found = Discovery()
    roots = [p.resolve() for p in paths if p.is_dir()]
    walker = _Walker(roots, follow_links, found)
    for path in paths:
        if path.is_dir():
            walker.folder(path)
            continue
        try:
            mode = path.stat().st_mode
        except OSError:
            if path.is_symlink():
                walker.skip(path, "a broken symbolic link")
                continue
            raise NoReports(f"{printable(str(path))}: no such file or folder") from None
        reason = _kind(mode)
        if reason:
            walker.skip(path, reason)
        else:
            found.files.append(path)  # named explicitly: read whatever its suffix
    unique: dict[Path, Path] = {}
    for path in found.files:
        unique.setdefault(Path(os.path.abspath(path)), path)
    found.files = list(unique)
    return found
