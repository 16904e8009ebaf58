"""Mise en route d'un notebook : graines, mode hors ligne, rapport des versions et du matériel."""

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
