"""scormbuild validate-package: check a built zip against the XSDs and its file list."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from scormbuild.errors import PackageError
from scormbuild.package import read_zip
from scormbuild.standards import STANDARDS, Standard
from scormbuild.standards.scorm import MANIFEST


def detect_standard(files: dict[str, bytes]) -> Standard | None:
    if MANIFEST in files:
        try:
            namespace = etree.QName(etree.fromstring(files[MANIFEST])).namespace
        except etree.XMLSyntaxError:
            return STANDARDS["scorm12"]  # report the syntax error through validation
        for standard in STANDARDS.values():
            if getattr(standard, "namespaces", {}).get(None) == namespace:
                return standard
    return None


def validate_package(path: Path) -> Standard:
    """Return the package's standard, or raise PackageError listing its problems."""
    try:
        files = read_zip(path)
    except FileNotFoundError:
        raise PackageError(path, ["no such file"]) from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise PackageError(path, [f"not a readable zip file ({exc})"]) from None
    standard = detect_standard(files)
    if standard is None:
        raise PackageError(path, ["no imsmanifest.xml of a known standard at the top of the zip"])
    problems = standard.validate(files)
    if problems:
        raise PackageError(path, problems)
    return standard
