"""Chargement des jeux de données du cours, embarqués ou depuis le hub, toujours au schéma du hub.

Chaque fonction renvoie un ``DatasetDict`` aux mêmes colonnes et aux mêmes types que
``datasets.load_dataset(<id du hub>)`` : le code des leçons est identique dans tous les profils.
"""

import json
from pathlib import Path

from datasets import ClassLabel, Dataset, DatasetDict, Features, List, Value

from .profiles import HUB_DATASETS

DATA_DIR = Path(__file__).parent / "data"

_STRING = Value("string")

SQUAD_FEATURES = Features({
    "id": _STRING, "title": _STRING, "context": _STRING, "question": _STRING,
    "answers": {"text": List(_STRING), "answer_start": List(Value("int32"))},
})

SNLI_FEATURES = Features({
    "premise": _STRING, "hypothesis": _STRING,
    "label": ClassLabel(names=["entailment", "neutral", "contradiction"]),
})

TRIVIA_QA_FEATURES = Features({
    "question": _STRING, "question_id": _STRING, "question_source": _STRING,
    "entity_pages": {name: List(_STRING) for name in ("doc_source", "filename", "title", "wiki_context")},
    "search_results": {"description": List(_STRING), "filename": List(_STRING), "rank": List(Value("int32")),
                       "title": List(_STRING), "url": List(_STRING), "search_context": List(_STRING)},
    "answer": {"aliases": List(_STRING), "normalized_aliases": List(_STRING),
               "matched_wiki_entity_name": _STRING, "normalized_matched_wiki_entity_name": _STRING,
               "normalized_value": _STRING, "type": _STRING, "value": _STRING},
})

TRIPLET_FEATURES = Features({"anchor": _STRING, "positive": _STRING, "negative": _STRING})

QUORA_FEATURES = Features({"question": _STRING, "answer": _STRING})


def read_jsonl(path):
    """Lit un fichier JSONL (une ligne = un exemple)."""
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _embedded(name, features):
    """Lit ``data/<name>/<split>.jsonl`` pour chaque split présent."""
    return DatasetDict({
        path.stem: Dataset.from_list(read_jsonl(path), features=features)
        for path in sorted((DATA_DIR / name).glob("*.jsonl"))
    })


# TriviaQA rc pèse environ 9 Go : en profil full, on en lit le début en flux, sans tout télécharger
STREAMED = {"trivia_qa": {"train": 2000, "validation": 500}}


def _stream(hub_id, config, sizes, features):
    from datasets import load_dataset

    streams = load_dataset(hub_id, config, streaming=True)
    return DatasetDict({split: Dataset.from_list(list(streams[split].take(n)), features=features)
                        for split, n in sizes.items()})


def _from_hub(name, features):
    """Télécharge (ou relit du cache) le jeu du hub ; hors ligne, explique quoi faire en français."""
    from datasets import load_dataset

    hub_id, config = HUB_DATASETS[name]
    try:
        if name in STREAMED:
            return _stream(hub_id, config, STREAMED[name], features)
        return load_dataset(hub_id, config)
    except ConnectionError as error:  # les erreurs « hors ligne » de datasets en dérivent
        raise ValueError(
            f"Impossible de charger « {hub_id} » depuis le hub Hugging Face : pas de réseau ou mode hors "
            "ligne (HF_HUB_OFFLINE=1). Utilisez le profil « local » ou « smoke » (données embarquées), "
            "ou lancez le profil « full » sur une machine connectée à Internet."
        ) from error


def _limit(dataset_dict, profile):
    """Garde les premiers exemples de chaque split selon les tailles du profil."""
    sizes = {"train": profile.train_examples}
    limited = {}
    for split, dataset in dataset_dict.items():
        size = sizes.get(split, profile.eval_examples)
        limited[split] = dataset if size is None else dataset.select(range(min(size, len(dataset))))
    return DatasetDict(limited)


def _load(name, features, profile):
    raw = _embedded(name, features) if profile.embedded_data else _from_hub(name, features)
    return _limit(raw, profile)


def load_squad(profile, version=1):
    """SQuAD v1.1 (``version=1``) ou v2.0 (``version=2``, avec questions sans réponse) : train et validation."""
    if version not in (1, 2):
        raise ValueError(f"Version de SQuAD inconnue : {version!r}. Utilisez version=1 ou version=2.")
    return _load("squad" if version == 1 else "squad_v2", SQUAD_FEATURES, profile)


def load_snli(profile):
    """SNLI : paires (prémisse, hypothèse) et leur étiquette ; -1 signifie « pas d'étiquette de référence »."""
    return _load("snli", SNLI_FEATURES, profile)


def load_trivia_qa(profile):
    """TriviaQA, configuration ``rc`` : question, pages Wikipédia et résultats web, alias de la réponse."""
    return _load("trivia_qa", TRIVIA_QA_FEATURES, profile)


def load_trivia_triplets(profile):
    """Triplets (question, passage positif, passage négatif) tirés de TriviaQA."""
    return _load("trivia_qa_triplet", TRIPLET_FEATURES, profile)


def load_quora(profile):
    """Questions et réponses de Quora (non nettoyées : liens, formules toutes faites, doublons)."""
    return _load("quora", QUORA_FEATURES, profile)
