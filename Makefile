# Deux commandes pour l'étudiant : `make course` (tout le cours, profil local) et `make test` (toutes les vérifications).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
# PyTorch est installé d'abord, en version figée. Sur PyPI, la roue Linux de torch tire les bibliothèques
# CUDA (plusieurs Go), même sans GPU : TORCH_INDEX=https://download.pytorch.org/whl/cpu prend la version
# CPU de PyTorch (quelques centaines de Mo). Vide par défaut : l'index habituel de pip.
TORCH_SPEC ?= torch==2.13.0
TORCH_INDEX ?=
# Les versions vérifiées avec le cours ; CONSTRAINTS= (vide) pour essayer les dernières versions.
CONSTRAINTS ?= constraints.txt
PIP_INSTALL = $(PY) -m pip install -q $(if $(CONSTRAINTS),-c $(CONSTRAINTS))
OFFLINE := HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 TRANSFORMERS_OFFLINE=1 TOKENIZERS_PARALLELISM=false
NOTEBOOKS := $(wildcard notebooks/*.ipynb)

.PHONY: course test test-browser unit notebooks bench lab exercises clean

$(VENV)/.installed: pyproject.toml $(CONSTRAINTS)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PIP_INSTALL) $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX)) "$(TORCH_SPEC)"
	$(PIP_INSTALL) -e ".[embedded,lab,dev]"
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $@

SMOKE := $(OFFLINE) COURSE_PROFILE=smoke COURSE_FRESH_START=1
NBVAL := $(PY) -m pytest --nbval-lax --nbval-current-env -p no:cacheprovider
TINY := $(CURDIR)/build/tiny

test: $(VENV)/.installed
	$(SMOKE) $(PY) -m pytest tests --ignore=tests/browser
	$(SMOKE) $(PY) -m course_utils.exercises --check
	$(SMOKE) COURSE_BUILD_DIR=$(CURDIR)/build/smoke $(NBVAL) notebooks solutions
	@echo "Les architectures du profil full, en petits modèles aléatoires : DistilBERT (QA), RoBERTa (NLI, puis QA)"
	$(OFFLINE) $(PY) tests/tiny_models.py $(TINY)
	$(SMOKE) COURSE_QA_MODEL=$(TINY)/distilbert COURSE_NLI_MODEL=$(TINY)/roberta \
		COURSE_BUILD_DIR=$(CURDIR)/build/smoke-distilbert $(NBVAL) notebooks solutions
	$(SMOKE) COURSE_QA_MODEL=$(TINY)/roberta COURSE_BUILD_DIR=$(CURDIR)/build/smoke-roberta \
		$(NBVAL) notebooks/02_finetuning_complet.ipynb notebooks/02b_squad_v2.ipynb notebooks/03_lora_qlora.ipynb

# La leçon 02 dans JupyterLab, pilotée par Chromium sans fenêtre (Playwright) : formulaire et TensorBoard.
# Chromium vient de Debian (apt-get, en root comme en CI) : `playwright install` téléchargerait le sien.
test-browser: $(VENV)/.installed
	$(PY) -c "import playwright" 2>/dev/null || $(PIP_INSTALL) playwright
	command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)
	$(OFFLINE) COURSE_BROWSER=1 $(PY) -m pytest -p no:cacheprovider tests/browser

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
