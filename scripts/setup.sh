#!/usr/bin/env bash
# Installs everything scormbuild and its tests need, idempotently:
# Debian's Chromium (for the browser tests), a Python virtual environment
# with scormbuild in editable mode, and the npm packages the tests use.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: Chromium for the browser tests, Graphviz for `scormbuild graph`,
# Info-ZIP's unzip (the tests check scormbuild's zips with a second reader).
missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v dot >/dev/null 2>&1 || missing="$missing graphviz"
command -v unzip >/dev/null 2>&1 || missing="$missing unzip"
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing from Debian's packages:$missing"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  else
    echo "setup: missing Debian packages:$missing; install them with: sudo apt-get install$missing" >&2
    exit 1
  fi
fi

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  python3 -m venv .venv
fi
# Reinstall only when the project's dependencies changed since the last setup.
stamp=.venv/.scormbuild-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing Python packages"
  # Quiet unless it fails: setuptools is chatty about data folders.
  if ! { .venv/bin/python -m pip install -q --upgrade pip && .venv/bin/python -m pip install -q -e '.[test]'; } \
      > .venv/setup.log 2>&1; then
    cat .venv/setup.log >&2
    exit 1
  fi
  touch "$stamp"
fi

if [ ! -d node_modules/scorm-again ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi
