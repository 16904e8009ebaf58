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


def postprocess_predictions(examples, features, start_logits, end_logits, n_best=20,
                            max_answer_length=30, version_2=False, null_threshold=0.0):
    """Réponse texte de chaque exemple : ``{id: réponse}``.

    ``features`` sont les fenêtres de ``prepare_eval_features`` (``example_id``, ``offset_mapping``) et
    ``start_logits``/``end_logits`` les sorties du modèle, une ligne par fenêtre. Un exemple découpé en
    plusieurs fenêtres prend le meilleur span de toutes ses fenêtres.

    SQuAD v2 (``version_2=True``) : le score « pas de réponse » est celui du token [CLS] (position 0), le
    plus faible sur les fenêtres de l'exemple ; on répond ``""`` quand il dépasse le meilleur span de
    plus de ``null_threshold``.
    """
    windows = defaultdict(list)
    for index, example_id in enumerate(features["example_id"]):
        windows[example_id].append(index)
    all_offsets = features["offset_mapping"]

    predictions = {}
    for example_id, context in zip(examples["id"], examples["context"]):
        spans, null_score = [], None
        for index in windows[example_id]:
            starts, ends = start_logits[index], end_logits[index]
            window_null = float(starts[0] + ends[0])
            null_score = window_null if null_score is None else min(null_score, window_null)
            offsets = all_offsets[index]
            spans += [(score, offsets[start][0], offsets[end][1])
                      for score, start, end in candidate_spans(starts, ends, offsets, n_best, max_answer_length)]
        if not spans:
            predictions[example_id] = ""
            continue
        best_score, start_char, end_char = max(spans, key=lambda span: span[0])
        answer = context[start_char:end_char]
        if version_2 and null_score - best_score > null_threshold:
            answer = ""
        predictions[example_id] = answer
    return predictions
