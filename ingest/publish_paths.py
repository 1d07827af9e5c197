"""The files of one warehouse besides the live one — the staging copy, the
previous build, the compaction copy, a ``.wal`` — the storage version every
file is created with, and the error a failed publishing step raises. See
``ingest.publish``."""
from __future__ import annotations

from pathlib import Path

STORAGE_COMPATIBILITY = "v1.1.0"


class PublishFailed(Exception):
    """A step failed; the live warehouse is untouched."""

    def __init__(self, step: str, reason: str):
        super().__init__(f"{step} failed: {reason} (the live warehouse is unchanged)")
        self.step = step


def compact_path(path: Path) -> Path:
    return path.with_name(path.stem + ".compact" + path.suffix)


def staging_path(live: Path) -> Path:
    return live.with_name(live.stem + ".building" + live.suffix)


def previous_path(live: Path) -> Path:
    return live.with_name(live.stem + ".previous" + live.suffix)


def wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")
