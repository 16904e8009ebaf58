"""Utiliser un modèle de question-réponse : logits des fenêtres, réponse à une question.

Le *pipeline* ``question-answering`` a été retiré de transformers 5 : ``answer_question`` fait le même
travail, en quelques lignes que l'on peut lire.
"""

import numpy as np
import torch
from datasets import Dataset

from .postprocess import candidate_spans
from .spans import prepare_eval_features


def predict_logits(model, features, tokenizer, batch_size=32):
    """Logits de début et de fin de chaque fenêtre (listes de tableaux numpy, une entrée par fenêtre).

    Les fenêtres passent par lots de longueurs voisines (triées par longueur) : chaque lot est moins
    rempli de ``[PAD]``, donc moins coûteux. Les logits sont rendus dans l'ordre de ``features``.
    """
    from transformers import DataCollatorWithPadding

    collator = DataCollatorWithPadding(tokenizer)
    inputs = features.select_columns([name for name in tokenizer.model_input_names if name in features.column_names])
    order = np.argsort([len(ids) for ids in features["input_ids"]], kind="stable")
    device = next(model.parameters()).device
    model.eval()
    starts, ends = [None] * len(order), [None] * len(order)
    with torch.inference_mode():
        for first in range(0, len(order), batch_size):
            indices = order[first:first + batch_size].tolist()
            batch = collator(list(inputs.select(indices)))
            output = model(**{key: value.to(device) for key, value in batch.items()})
            lengths = batch["attention_mask"].sum(dim=1).tolist()
            for index, start, end, length in zip(indices, output.start_logits.float().cpu().numpy(),
                                                 output.end_logits.float().cpu().numpy(), lengths):
                starts[index], ends[index] = start[:length], end[:length]
    return starts, ends


def _softmax(logits, offsets, with_cls=False):
    """Probabilités sur les tokens du contexte (et sur [CLS], position 0, si ``with_cls``) ; 0 ailleurs."""
    mask = np.array([offset is not None for offset in offsets])
    mask[0] |= with_cls
    scores = np.where(mask, logits[:len(offsets)], -np.inf)
    exp = np.exp(scores - scores[mask].max())
    return exp / exp.sum()


def answer_question(model, tokenizer, question, context, max_length=384, stride=128, n_best=20,
                    max_answer_length=30, null_threshold=None):
    """Réponse du modèle : ``{"answer", "score", "start", "end"}``, comme l'ancien pipeline.

    Le meilleur span est choisi comme à l'évaluation (``postprocess``) : plus grande somme des logits de
    début et de fin, sur toutes les fenêtres. ``score`` est sa probabilité dans sa fenêtre (probabilité du
    début × probabilité de la fin) ; ``start`` et ``end`` sont ses positions en caractères dans ``context``.

    Modèle SQuAD v2 : avec ``null_threshold``, la réponse est ``""`` (« pas de réponse ») quand le score de
    [CLS] dépasse celui du meilleur span de plus du seuil ; les probabilités comptent alors [CLS] parmi
    les choix possibles, et ``score`` est celle de [CLS] quand le modèle s'abstient.
    """
    example = {"id": ["q"], "question": [question], "context": [context]}
    features = Dataset.from_dict(prepare_eval_features(example, tokenizer, max_length, stride))
    starts, ends = predict_logits(model, features, tokenizer)
    with_cls = null_threshold is not None
    best, best_logit = {"answer": "", "score": 0.0, "start": 0, "end": 0}, float("-inf")
    null = {"logit": float("inf"), "score": 0.0}
    for start_logits, end_logits, offsets in zip(starts, ends, features["offset_mapping"]):
        p_start, p_end = _softmax(start_logits, offsets, with_cls), _softmax(end_logits, offsets, with_cls)
        if start_logits[0] + end_logits[0] < null["logit"]:
            null = {"logit": float(start_logits[0] + end_logits[0]), "score": float(p_start[0] * p_end[0])}
        for logit, start, end in candidate_spans(start_logits, end_logits, offsets, n_best, max_answer_length):
            if logit > best_logit:
                start_char, end_char = offsets[start][0], offsets[end][1]
                best_logit = logit
                best = {"answer": context[start_char:end_char], "score": float(p_start[start] * p_end[end]),
                        "start": start_char, "end": end_char}
    if with_cls and null["logit"] - best_logit > null_threshold:
        return {"answer": "", "score": null["score"], "start": 0, "end": 0}
    return best
