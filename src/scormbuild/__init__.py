"""scormbuild: compile plain-text training scenarios into LMS packages."""

import logging
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("scormbuild")  # the number is kept in pyproject.toml only
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"

# A library's logger stays quiet unless the application configures logging (the CLI does).
logging.getLogger("scormbuild").addHandler(logging.NullHandler())
