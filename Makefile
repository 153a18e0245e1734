# The two commands of the README: `make demo` and `make test`.
PY := .venv/bin/python

.PHONY: setup demo test bench docs clean

setup:
	@bash scripts/setup.sh

## Set everything up and build the sample course into dist/ in every format.
demo: setup
	$(PY) -m scormbuild build content/professional-boundaries --format all -o dist

## Run the whole test suite (unit, manifest, browser end-to-end).
test: setup
	$(PY) -m pytest --slow

## Benchmarks: build time, preview edit latency, payload, first interaction, suspend_data, xAPI rate (bench/results.json).
bench: setup
	$(PY) bench/run.py

## The user guide in site/ (open site/index.html): screenshots from docs/examples/ first, then MkDocs.
docs: setup
	$(PY) docs/screenshots.py docs
	NO_MKDOCS_2_WARNING=1 .venv/bin/mkdocs build --strict

clean:
	rm -rf dist site docs/shots .pytest_cache
