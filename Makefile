# pamflet: the user interface. `make` builds everything, `make test` tests it.
# Run `make help` for the list of targets.

PYTHON    ?= python3
VENV      := .venv
BIN       := $(VENV)/bin
STAMP     := $(VENV)/.installed
LANGUAGES ?= $(shell sed -n 's/^pamflet_languages *= *\[\(.*\)\]/\1/p' conf.py | tr -d '",')
SOURCE    := source
BUILD     := build
SPHINXOPTS ?= -W --keep-going -q
SCALINGOPTS ?= --leaflets 1,13,50

.DEFAULT_GOAL := all
.PHONY: all release html epub pdf clinics gettext update-po readability check stats proof proof-watch review test test-fast test-plain bench bench-peers lint clean serve help venv

help: ## show this help
	@echo "pamflet: multilingual patient leaflets (website, EPUB, print-ready PDF)"
	@echo
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 16
	@echo
	@echo "LANGUAGES=\"nl\" limits html, epub, pdf to some languages (now: $(LANGUAGES))."

# The virtual environment is (re)made when pyproject.toml or the lock file change.
$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Installing pinned dependencies into $(VENV) ..."
	@$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	@$(BIN)/python -m pip install -q --disable-pip-version-check -c requirements.lock -e '.[test]'
	@# pip compiles what it installs, but not pamflet itself (an editable install): without
	@# this, a Python that writes no bytecode (PYTHONDONTWRITEBYTECODE, common in containers)
	@# compiles pamflet's modules again in every process (about 0.14 s).
	@$(BIN)/python -m compileall -q pamflet
	@touch $@

venv: $(STAMP) ## create or update the virtual environment

all: $(STAMP) ## build the website, EPUBs and PDF leaflets for every language
	@$(BIN)/pamflet build -W --languages "$(LANGUAGES)"

release: $(STAMP) ## build everything; refuses leaflets without a recorded review or past their next review
	@$(BIN)/pamflet build -W --release --languages "$(LANGUAGES)"

html: $(STAMP) ## build the website (build/html/<lang>/)
	@$(BIN)/pamflet build -W html --languages "$(LANGUAGES)"

epub: $(STAMP) ## build the EPUBs (build/epub/<leaflet>-<lang>.epub)
	@$(BIN)/pamflet build -W epub --languages "$(LANGUAGES)"

pdf: $(STAMP) ## build the PDF leaflets (build/pdf/<lang>/<leaflet>-<format>.pdf)
	@$(BIN)/pamflet build -W pdf --languages "$(LANGUAGES)"

clinics: $(STAMP) ## every leaflet with each clinic's imprint (clinics/*.toml) in build/pdf/clinics/
	@$(BIN)/pamflet imprint

gettext: $(STAMP) ## extract the English text into build/gettext/*.pot
	@$(BIN)/sphinx-build -b gettext -c . $(SPHINXOPTS) $(SOURCE) $(BUILD)/gettext
	@echo "Templates: $(BUILD)/gettext/*.pot"

update-po: gettext ## update locales/<lang>/LC_MESSAGES/*.po from the English text (keeps translations; needs gettext's msgcat)
	@$(BIN)/pamflet update-po --pot-dir $(BUILD)/gettext --languages "$(filter-out en,$(LANGUAGES))"

# Translator workflow: checks, statistics, a quick proof PDF, a review copy.
# CHECKOPTS=--strict makes fuzzy and untranslated entries errors (CI).
check: $(STAMP) ## check the catalogs (syntax, reST, numbers, terms, safety, spelling) and readability
	@status=0; \
	$(BIN)/pamflet check $(CHECKOPTS) || status=1; \
	$(MAKE) --no-print-directory readability || status=1; \
	exit $$status

stats: $(STAMP) ## translated, fuzzy, untranslated and obsolete entries per language and catalog
	@$(BIN)/pamflet stats

proof: $(STAMP) ## the A5 reader PDF only, fast, for proofreading: make proof LANGUAGES=nl
	@$(BIN)/pamflet build -W pdf --languages "$(LANGUAGES)" --formats a5

proof-watch: $(STAMP) ## rebuild the A5 PDF of one language on every save (Ctrl-C stops): make proof-watch LANGUAGES=nl
	@$(BIN)/pamflet proof --watch --languages "$(LANGUAGES)"

review: $(STAMP) ## side-by-side review copy for medical reviewers: build/review/<lang>.html
	@$(BIN)/pamflet review --languages "$(filter-out en,$(LANGUAGES))"

readability: html ## readability and originality of every leaflet and language
	@$(BIN)/pamflet readability --languages "$(LANGUAGES)"

test: $(STAMP) ## run the whole test suite (builds for real; 5 minutes or more)
	@$(BIN)/python -m pytest -q

test-fast: $(STAMP) ## the fast loop (about a minute): parser, checks, settings, one A5 PDF, one EPUB, architecture
	@$(BIN)/python -m pytest -q -m "not slow"

test-plain: $(STAMP) ## the fast loop with stock Sphinx, WeasyPrint and pydyf (PAMFLET_PATCHES=0)
	@PAMFLET_PATCHES=0 $(BIN)/python -m pytest -q -m "not slow and not patches"

bench: $(STAMP) ## time the builds (median of 5 runs), a library of 1, 13 and 50 leaflets x en/nl/ar and pamflet check over 500 catalogs; writes build/bench/*.json
	@$(BIN)/python benchmarks/run.py $(BENCHOPTS)
	@$(BIN)/python benchmarks/scaling.py $(SCALINGOPTS)
	@$(BIN)/python benchmarks/check.py $(CHECKBENCHOPTS)

bench-size: $(STAMP) ## time and peak memory of 30-, 100- and 300-page PDFs (median of 3); writes build/bench/size.json
	@$(BIN)/python benchmarks/size.py $(BENCHOPTS)

bench-peers: $(STAMP) ## time pamflet against sphinx-simplepdf (in .venv-peers) on the same content
	@test -x .venv-peers/bin/python || $(PYTHON) -m venv .venv-peers
	@.venv-peers/bin/python -m pip install -q --disable-pip-version-check -r benchmarks/peers-requirements.txt
	@$(BIN)/python benchmarks/peers.py $(BENCHOPTS)

lint: $(STAMP) ## check code style
	@$(BIN)/ruff check pamflet tests benchmarks conf.py

serve: $(STAMP) ## preview the website on http://localhost:8000/
	@test -f $(BUILD)/html/index.html || $(MAKE) html
	@echo "Serving $(BUILD)/html on http://localhost:8000/ (Ctrl-C stops)"
	@$(BIN)/python -m http.server --bind 127.0.0.1 --directory $(BUILD)/html 8000

clean: ## remove every build output
	rm -rf $(BUILD)
