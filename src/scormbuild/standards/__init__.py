"""Output standards, one module each, all behind standards.base.Standard."""

from __future__ import annotations

from scormbuild.standards.base import Standard
from scormbuild.standards.cmi5 import Cmi5
from scormbuild.standards.scorm12 import Scorm12
from scormbuild.standards.scorm2004 import Scorm2004
from scormbuild.standards.tincan import TinCan

STANDARDS: dict[str, Standard] = {
    standard.key: standard for standard in (Scorm12(), Scorm2004(), TinCan(), Cmi5())
}

__all__ = ["STANDARDS", "Standard"]
