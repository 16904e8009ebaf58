"""Métriques : EM et F1 de SQuAD (normalisation officielle, v1.1 et v2.0), classification (NLI), recherche.

Les fonctions reproduisent les scripts d'évaluation officiels de SQuAD : une prédiction est comparée à
chacune des réponses de référence et garde le meilleur score.
"""

import re
import string
import warnings
from collections import Counter

_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCTUATION = set(string.punctuation)


def normalize_answer(text):
    """Normalisation officielle : minuscules, sans ponctuation ni articles (a, an, the), espaces réduits."""
    text = "".join(ch for ch in text.lower() if ch not in _PUNCTUATION)
    return " ".join(_ARTICLES.sub(" ", text).split())


def exact_match(prediction, reference):
    """1 si les deux réponses sont identiques après normalisation, 0 sinon."""
    return int(normalize_answer(prediction) == normalize_answer(reference))


def f1(prediction, reference, version_2=False):
    """F1 sur les mots communs (normalisés) entre prédiction et référence, entre 0 et 1.

    En v2.0, une réponse vide (« pas de réponse ») vaut 1 face à une référence vide, 0 sinon.
    """
    predicted = normalize_answer(prediction).split()
    gold = normalize_answer(reference).split()
    if version_2 and not (predicted and gold):
        return int(predicted == gold)
    common = sum((Counter(predicted) & Counter(gold)).values())
    if common == 0:
        return 0
    precision, recall = common / len(predicted), common / len(gold)
    return 2 * precision * recall / (precision + recall)


def _gold_answers(answers, version_2):
    texts = answers["text"]
    if not version_2:
        return texts
    # v2.0 : les références vides après normalisation sont ignorées ; sans référence, la bonne réponse est ""
    return [text for text in texts if normalize_answer(text)] or [""]


def _mean(scores, ids):
    return 100.0 * sum(scores[i] for i in ids) / len(ids)


def squad_scores(predictions, references, version_2=False):
    """EM et F1 (de 0 à 100) de ``predictions`` (``{id: texte}``) sur ``references`` (``id``, ``answers``).

    En v2.0 (``version_2=True``), ajoute les scores séparés des questions avec réponse (``HasAns_*``) et
    sans réponse (``NoAns_*``). Une question sans prédiction compte comme une réponse vide.
    """
    exact, f1s, has_answer = {}, {}, {}
    missing = [ref["id"] for ref in references if ref["id"] not in predictions]
    if missing:
        warnings.warn(f"{len(missing)} question(s) sans prédiction (par exemple « {missing[0]} ») : "
                      "comptées comme une réponse vide.", stacklevel=2)
    for ref in references:
        qid, prediction = ref["id"], predictions.get(ref["id"], "")
        gold = _gold_answers(ref["answers"], version_2)
        exact[qid] = max(exact_match(prediction, answer) for answer in gold)
        f1s[qid] = max(f1(prediction, answer, version_2) for answer in gold)
        has_answer[qid] = bool(ref["answers"]["text"])
    scores = {"exact_match": _mean(exact, exact.keys()), "f1": _mean(f1s, f1s.keys()), "total": len(exact)}
    if version_2:
        for prefix, wanted in (("HasAns", True), ("NoAns", False)):
            ids = [qid for qid, has in has_answer.items() if has == wanted]
            if ids:
                scores.update({f"{prefix}_exact_match": _mean(exact, ids), f"{prefix}_f1": _mean(f1s, ids),
                               f"{prefix}_total": len(ids)})
    return scores


def null_threshold_sweep(scored, references, thresholds):
    """SQuAD v2 : les scores pour chaque seuil « pas de réponse » ; une ligne par seuil.

    ``scored`` vient de ``postprocess.score_answers`` : ``{id: (texte, score du span, score de [CLS])}``.
    Chaque ligne donne le seuil, l'EM et le F1, et leur partage entre questions avec et sans réponse.
    """
    from .postprocess import apply_null_threshold

    return [{"threshold": float(threshold),
             **squad_scores(apply_null_threshold(scored, threshold), references, version_2=True)}
            for threshold in thresholds]


def accuracy(predictions, labels):
    """Part (de 0 à 1) des prédictions égales à l'étiquette ; les étiquettes -1 (sans référence) sont ignorées."""
    pairs = [(p, y) for p, y in zip(predictions, labels, strict=True) if y != -1]
    if not pairs:
        raise ValueError("Aucune étiquette valide (toutes valent -1) : impossible de calculer l'exactitude.")
    return sum(p == y for p, y in pairs) / len(pairs)


def classification_scores(predictions, labels, names):
    """Exactitude, F1 macro, F1 par classe et matrice de confusion d'une classification.

    ``predictions`` et ``labels`` sont des indices de classes (des entiers, pas des logits : prenez
    d'abord l'argmax) ; ``names`` donne le nom de chaque classe. La matrice se lit ligne = vraie classe,
    colonne = classe prédite.
    """
    predictions, labels = [int(p) for p in predictions], [int(y) for y in labels]
    if len(predictions) != len(labels):
        raise ValueError(f"{len(predictions)} prédictions pour {len(labels)} étiquettes : il en faut autant.")
    outside = sorted({y for y in labels + predictions if not 0 <= y < len(names)})
    if outside:
        raise ValueError(f"Classe(s) {outside} hors de {list(names)} : retirez les étiquettes -1 avant "
                         "d'évaluer, et donnez des indices de classes, pas des logits.")
    confusion = [[0] * len(names) for _ in names]
    for y, p in zip(labels, predictions):
        confusion[y][p] += 1
    per_class = {}
    for k, name in enumerate(names):
        true_positive = confusion[k][k]
        predicted = sum(row[k] for row in confusion)
        actual = sum(confusion[k])
        per_class[name] = 2 * true_positive / (predicted + actual) if predicted + actual else 0.0
    return {"accuracy": sum(confusion[k][k] for k in range(len(names))) / len(labels),
            "macro_f1": sum(per_class.values()) / len(names), "f1_per_class": per_class, "confusion": confusion}


def recall_at_k(rankings, relevant, k):
    """Rappel@k moyen : pour chaque requête, la part de ses documents pertinents classés dans les ``k`` premiers.

    ``rankings[i]`` est la liste des identifiants de documents, du plus au moins pertinent selon le
    système, pour la requête ``i`` ; ``relevant[i]`` l'ensemble de ses documents pertinents.
    """
    if len(rankings) != len(relevant) or not rankings:
        raise ValueError("Il faut un classement et un ensemble de documents pertinents par requête (et au moins une).")
    return sum(len(set(ranking[:k]) & set(gold)) / len(gold) for ranking, gold in zip(rankings, relevant)) / len(rankings)


def mrr_at_k(rankings, relevant, k=10):
    """MRR@k : moyenne, sur les requêtes, de 1 / rang du premier document pertinent (0 s'il est au-delà de ``k``)."""
    total = 0.0
    for ranking, gold in zip(rankings, relevant, strict=True):
        total += next((1 / rank for rank, doc in enumerate(ranking[:k], start=1) if doc in gold), 0.0)
    return total / len(rankings)
