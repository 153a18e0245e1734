"""The user guide for tests: a copy of docs/ built with MkDocs exactly as `make docs` builds it."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import sys
from pathlib import Path
from types import ModuleType

from support.paths import ROOT

DOCS = ROOT / "docs"
CONFIG = ROOT / "mkdocs.yml"
# A 1×1 PNG: stands in for a screenshot where the test does not take them (tests/unit/).
PLACEHOLDER_PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                                "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082")
SHOT_LINK = re.compile(r"\]\(shots/([^)\s]+\.png)\)")


def docs_module(name: str) -> ModuleType:
    """docs/hooks.py or docs/screenshots.py, which live beside the pages, not in a package."""
    module_name = f"scormbuild_docs_{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, DOCS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def copy_of_docs(folder: Path) -> Path:
    """docs/ without the screenshots a local `make docs` may have left there."""
    shutil.copytree(DOCS, folder, ignore=shutil.ignore_patterns("shots", "__pycache__"))
    return folder


def shots_linked_from_pages(docs_dir: Path) -> set[str]:
    return {name for page in docs_dir.rglob("*.md") if "examples" not in page.relative_to(docs_dir).parts
            for name in SHOT_LINK.findall(page.read_text("utf-8"))}


def build_site(docs_dir: Path, site_dir: Path) -> None:
    """mkdocs build --strict of docs_dir (the repository's mkdocs.yml and hooks): raises on any warning."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    config = load_config(str(CONFIG), docs_dir=str(docs_dir), site_dir=str(site_dir), strict=True)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
