"""Des logits à la réponse : post-traitement des prédictions d'un modèle de question-réponse extractif.

Pour chaque fenêtre, le modèle donne un score de début et un score de fin par token. On garde les
``n_best`` meilleurs débuts et fins, on écarte les spans impossibles (fin avant le début, trop longs,
hors du contexte) et on rend le texte du meilleur span, pris dans le contexte d'origine.
"""

from collections import defaultdict

import numpy as np


def candidate_spans(start_logits, end_logits, offsets, n_best=20, max_answer_length=30):
    """Spans valides d'une fenêtre : liste de ``(score, token_début, token_fin)``.

    ``offsets`` vaut ``None`` hors du contexte : un span qui touche la question ou un token spécial
    est écarté, comme un span dont la fin précède le début ou qui dépasse ``max_answer_length`` tokens.
    """
    best_starts = np.argsort(start_logits)[::-1][:n_best]
    best_ends = np.argsort(end_logits)[::-1][:n_best]
    spans = []
    for start in best_starts:
        for end in best_ends:
            # Hors de la fenêtre (logits complétés par le Trainer), ou hors du contexte
            if start >= len(offsets) or end >= len(offsets) or offsets[start] is None or offsets[end] is None:
                continue
            if end < start or end - start + 1 > max_answer_length:
                continue
            spans.append((float(start_logits[start] + end_logits[end]), int(start), int(end)))
    return spans


def score_answers(examples, features, start_logits, end_logits, n_best=20, max_answer_length=30):
    """Pour chaque exemple : ``{id: (texte, score_du_meilleur_span, score_pas_de_réponse)}``.

    ``features`` sont les fenêtres de ``prepare_eval_features`` (``example_id``, ``offset_mapping``) et
    ``start_logits``/``end_logits`` les sorties du modèle, une ligne par fenêtre. Un exemple découpé en
    plusieurs fenêtres prend le meilleur span de toutes ses fenêtres. Le score « pas de réponse » est celui
    du token [CLS] (position 0), le plus faible sur les fenêtres de l'exemple ; sans span valide, le texte
    est ``""`` et son score ``-inf``.
    """
    windows = defaultdict(list)
    for index, example_id in enumerate(features["example_id"]):
        windows[example_id].append(index)
    all_offsets = features["offset_mapping"]

    scored = {}
    for example_id, context in zip(examples["id"], examples["context"]):
        best, null_score = (float("-inf"), 0, 0), float("inf")
        for index in windows[example_id]:
            starts, ends, offsets = start_logits[index], end_logits[index], all_offsets[index]
            null_score = min(null_score, float(starts[0] + ends[0]))
            for score, start, end in candidate_spans(starts, ends, offsets, n_best, max_answer_length):
                best = max(best, (score, offsets[start][0], offsets[end][1]), key=lambda span: span[0])
        score, start_char, end_char = best
        scored[example_id] = (context[start_char:end_char], score, null_score)
    return scored


def apply_null_threshold(scored, null_threshold=0.0):
    """SQuAD v2 : répond ``""`` quand le score « pas de réponse » dépasse le meilleur span de plus du seuil."""
    return {example_id: "" if null - best > null_threshold else text
            for example_id, (text, best, null) in scored.items()}


def postprocess_predictions(examples, features, start_logits, end_logits, n_best=20,
                            max_answer_length=30, version_2=False, null_threshold=0.0):
    """Réponse texte de chaque exemple : ``{id: réponse}`` (voir ``score_answers``).

    SQuAD v2 (``version_2=True``) : on répond ``""`` quand le score de [CLS] dépasse celui du meilleur
    span de plus de ``null_threshold`` (``apply_null_threshold``).
    """
    scored = score_answers(examples, features, start_logits, end_logits, n_best, max_answer_length)
    if version_2:
        return apply_null_threshold(scored, null_threshold)
    return {example_id: text for example_id, (text, _, _) in scored.items()}
