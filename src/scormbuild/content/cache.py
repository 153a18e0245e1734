"""Scenes parsed before, reused while their file is unchanged: for `scormbuild preview`.

Parsing YAML and Markdown is most of a big course's load time, and between two
live reloads an author has usually changed one file. The preview keeps the
parsed scenes in memory, keyed by each scene file's name and content; a cached
scene is used only while every local file it refers to is still a regular file
at the same real path, with the same modification time and size (a scene's
checks read some of them: captions are checked, pictures measured).

Nothing is kept on disk: an earlier on-disk cache (a pickle in the output
folder) would run code planted there, and a 1,000-scene course builds in well
under a second without it. Builds parse every file; `build` removes the
`.scormbuild-cache/` folder older versions left in the output folder.
"""

from __future__ import annotations

import copy
import hashlib
from pathlib import Path

from scormbuild.model import Asset, Scene

LEGACY_CACHE_DIR = ".scormbuild-cache"
Key = tuple[str, bytes]


def _still_in_place(asset: Asset) -> bool:
    source = asset.source
    return source.is_file() and source.resolve() == source  # not gone, and not swapped for a link


def _stamps(assets: list[Asset]) -> tuple[tuple[int, int], ...] | None:
    """Each file's modification time and size: a scene's checks read some of them (captions are
    checked, pictures measured), so a scene whose files changed is parsed again. None: one is gone."""
    try:
        return tuple((stat.st_mtime_ns, stat.st_size) for stat in (asset.source.stat() for asset in assets))
    except OSError:
        return None


class SceneCache:
    """Parsed scenes of one course folder, in memory, from one load to the next."""

    def __init__(self) -> None:
        self._stored: dict[Key, tuple[Scene, list[Asset]]] = {}
        self._now: dict[Key, tuple[Scene, list[Asset]]] = {}  # what this load used or parsed: the next cache
        self._stamps: dict[Key, tuple[tuple[int, int], ...] | None] = {}  # of the files each scene refers to

    @staticmethod
    def key(path: Path, content: bytes) -> Key:
        return path.name, hashlib.blake2b(content, digest_size=20).digest()

    def get(self, key: Key) -> tuple[Scene, list[Asset]] | None:
        """A copy of the scene parsed from this very file before, with the files it refers to."""
        stored = self._stored.get(key)
        if stored is None or not all(_still_in_place(asset) for asset in stored[1]):
            return None
        stamps = _stamps(stored[1])
        if stamps is None or stamps != self._stamps.get(key):
            return None
        self._now[key] = stored
        return copy.deepcopy(stored)

    def put(self, key: Key, scene: Scene, assets: list[Asset]) -> None:
        """Keep a copy of a freshly parsed scene (call before anything changes the scene object)."""
        self._now[key] = copy.deepcopy((scene, assets))
        self._stamps[key] = _stamps(assets)

    def save(self) -> None:
        """Keep what this load used for the next; scenes of deleted or changed files are dropped."""
        self._stamps = {key: stamps for key, stamps in self._stamps.items() if key in self._now}
        self._stored, self._now = self._now, {}


def remove_legacy_cache(output_dir: Path) -> None:
    """Delete the pickles older versions kept in OUTPUT/.scormbuild-cache/ (never read them)."""
    folder = Path(output_dir) / LEGACY_CACHE_DIR
    if folder.is_symlink() or not folder.is_dir():
        return
    for entry in folder.iterdir():
        if (entry.name.startswith("scenes-") and entry.suffix == ".pickle"
                and entry.is_file() and not entry.is_symlink()):
            entry.unlink()
    try:
        folder.rmdir()
    except OSError:  # something else is in there: leave it
        pass
