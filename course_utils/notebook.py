"""Mise en route d'un notebook : graines, mode hors ligne, rapport des versions et du matériel."""

import json
import logging
import os
import platform
from pathlib import Path

OFFLINE_VARIABLES = ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE", "TRANSFORMERS_OFFLINE")


def device_name():
    """Nom lisible du matériel de calcul utilisé par PyTorch."""
    import torch

    if torch.cuda.is_available():
        return f"GPU {torch.cuda.get_device_name(0)}"
    return f"CPU ({os.cpu_count()} cœurs)"


def setup_notebook(profile, seed=42):
    """Prépare le notebook pour ``profile`` et affiche un rapport en français.

    Fixe les graines (résultats reproductibles) et, pour les profils embarqués, interdit tout accès au
    hub Hugging Face : un téléchargement oublié échoue alors tout de suite, avec un message clair.
    """
    if profile.offline:
        for variable in OFFLINE_VARIABLES:
            os.environ[variable] = "1"
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    # Sur un CPU avec AVX512-BF16, bitsandbytes tente de télécharger un noyau 4 bits optionnel et, hors
    # ligne, le signale avant de prendre son noyau intégré : message sans conséquence, on le tait.
    logging.getLogger("bitsandbytes.backends.cpu.ops").setLevel(logging.ERROR)

    import datasets
    import torch
    import transformers

    transformers.set_seed(seed)
    print(profile.describe())
    print(f"Python {platform.python_version()} · torch {torch.__version__} · "
          f"transformers {transformers.__version__} · datasets {datasets.__version__}")
    print(f"Calcul sur : {device_name()}" + (" · hors ligne" if profile.offline else ""))


def build_dir(*parts):
    """Dossier des résultats (modèles, métriques, journaux) : ``$COURSE_BUILD_DIR``, sinon ``./build``.

    ``make course`` le fait pointer vers ``build/`` à la racine du dépôt, ``make test`` vers ``build/smoke``.
    """
    path = Path(os.environ.get("COURSE_BUILD_DIR", "build")).joinpath(*parts)
    path.mkdir(parents=True, exist_ok=True)
    return path


# Les modèles qu'une leçon sauvegarde et que d'autres reprennent
MODEL_LESSONS = {"qa-full": "notebooks/02_finetuning_complet.ipynb", "qa-v2": "notebooks/02b_squad_v2.ipynb",
                 "qa-lora": "notebooks/03_lora_qlora.ipynb", "qa-qlora": "notebooks/03_lora_qlora.ipynb",
                 "nli": "notebooks/04_nli_snli.ipynb"}


def saved_model(name):
    """Dossier ``build/models/<name>`` d'un modèle sauvegardé par une leçon précédente.

    S'il manque, l'erreur dit quelle leçon exécuter d'abord.
    """
    path = Path(os.environ.get("COURSE_BUILD_DIR", "build")) / "models" / name
    if not any((path / file).exists() for file in ("config.json", "adapter_config.json")):
        lesson = MODEL_LESSONS.get(name, "la leçon qui le crée")
        raise FileNotFoundError(f"Le modèle « {name} » n'est pas encore dans {path} : exécutez d'abord {lesson}, "
                                "qui l'entraîne et le sauvegarde (même profil, même COURSE_BUILD_DIR).")
    return path


def save_metrics(notebook, metrics):
    """Écrit les mesures d'une leçon dans ``build/metrics/<notebook>.json`` (relues par le rapport de ``make course``).

    Le champ ``table`` (une liste de lignes aux mêmes clés) est le tableau que le rapport affiche.
    """
    path = build_dir("metrics") / f"{notebook}.json"
    path.write_text(json.dumps({"notebook": notebook, **metrics}, indent=2, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    return path
