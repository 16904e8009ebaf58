# Deux commandes pour l'étudiant : `make course` (tout le cours, profil local) et `make test` (toutes les vérifications).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
# Version de PyTorch installée d'abord : sans épingle, pip irait chercher une version CUDA de plusieurs Go.
TORCH_SPEC ?= torch==2.13.0
OFFLINE := HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 TRANSFORMERS_OFFLINE=1 TOKENIZERS_PARALLELISM=false
NOTEBOOKS := $(wildcard notebooks/*.ipynb)

.PHONY: course test unit notebooks bench lab exercises clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q "$(TORCH_SPEC)"
	$(PY) -m pip install -q -e ".[dev]"
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $@

test: $(VENV)/.installed
	$(OFFLINE) COURSE_PROFILE=smoke $(PY) -m pytest tests
	$(OFFLINE) COURSE_PROFILE=smoke $(PY) -m course_utils.exercises --check
	$(OFFLINE) COURSE_PROFILE=smoke COURSE_BUILD_DIR=$(CURDIR)/build/smoke $(PY) -m pytest --nbval-lax \
		--nbval-current-env -p no:cacheprovider notebooks solutions

course: $(VENV)/.installed
	$(OFFLINE) $(PY) -m course_utils.course --profile $${COURSE_PROFILE:-local} --build build

bench: $(VENV)/.installed
	$(OFFLINE) $(PY) bench/run.py

lab: $(VENV)/.installed
	$(OFFLINE) $(PY) -m jupyter lab

exercises: $(VENV)/.installed
	$(PY) -m course_utils.exercises

clean:
	rm -rf build $(VENV)
