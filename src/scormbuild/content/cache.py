"""Scenes parsed by an earlier build, reused while their file is unchanged.

Parsing YAML and Markdown is most of a big course's build time, and between
two builds an author has usually changed a few files. Like Sphinx's doctrees,
the parsed scenes are kept in the output folder (``.scormbuild-cache/``), one
cache file per course folder, keyed by each scene file's name and content.

The cache is stamped with the source of scormbuild's content package and the
versions of Python, PyYAML and markdown-it-py, so a change to any of them
starts afresh. A cached scene is used only while every local file it refers
to is still a regular file at the same real path; a cache that cannot be read
is ignored. It is a pickle: trusted exactly as much as the packages beside it.
"""

from __future__ import annotations

import hashlib
import pickle
import platform
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from scormbuild.model import Asset, Scene
from scormbuild.package import write_atomically

CACHE_DIR = ".scormbuild-cache"
Key = tuple[str, bytes]


@lru_cache(maxsize=1)
def _stamp() -> bytes:
    """Changes whenever the same file could be parsed differently."""
    digest = hashlib.blake2b(platform.python_version().encode())
    for library in ("PyYAML", "markdown-it-py"):
        digest.update(f"{library} {metadata.version(library)}".encode())
    package = Path(__file__).resolve().parent
    for source in sorted([*package.glob("*.py"), package.parent / "model.py", package.parent / "errors.py"]):
        digest.update(source.read_bytes())
    return digest.digest()


def _still_in_place(asset: Asset) -> bool:
    source = asset.source
    return source.is_file() and source.resolve() == source  # not gone, and not swapped for a link


class SceneCache:
    """Kept in ``file`` between builds, or in memory only (``file=None``, for preview)."""

    def __init__(self, file: Path | None = None) -> None:
        self.file = file
        self._stored = self._read()
        self._now: dict[Key, bytes] = {}  # what this build used or parsed: the next cache

    @classmethod
    def in_output(cls, output_dir: Path, content_dir: Path) -> "SceneCache":
        name = hashlib.blake2b(str(Path(content_dir).resolve()).encode(), digest_size=8).hexdigest()
        return cls(Path(output_dir) / CACHE_DIR / f"scenes-{name}.pickle")

    def _read(self) -> dict[Key, bytes]:
        if self.file is None:
            return {}
        try:
            with open(self.file, "rb") as stream:
                stamp, entries = pickle.load(stream)
        except Exception:  # missing, unreadable, from another version, damaged: start afresh
            return {}
        return entries if stamp == _stamp() and isinstance(entries, dict) else {}

    @staticmethod
    def key(path: Path, content: bytes) -> Key:
        return path.name, hashlib.blake2b(content, digest_size=20).digest()

    def get(self, key: Key) -> tuple[Scene, list[Asset]] | None:
        """The scene parsed from this very file before, with the files it refers to."""
        stored = self._stored.get(key)
        if stored is None:
            return None
        try:
            scene, assets = pickle.loads(stored)
        except Exception:
            return None
        if not all(_still_in_place(asset) for asset in assets):
            return None
        self._now[key] = stored
        return scene, assets

    def put(self, key: Key, scene: Scene, assets: list[Asset]) -> None:
        """Keep a freshly parsed scene (call before anything changes the scene object)."""
        self._now[key] = pickle.dumps((scene, assets), pickle.HIGHEST_PROTOCOL)

    def save(self) -> None:
        """Keep what this build used for the next; scenes of deleted or changed files are dropped."""
        if self.file is not None and self._now != self._stored:
            write_atomically(self.file, [pickle.dumps((_stamp(), self._now), pickle.HIGHEST_PROTOCOL)])
        self._stored, self._now = self._now, {}
