"""Implémentations de référence, transcrites au plus près des originaux, pour comparer course_utils.

- ``reference_train_labels`` : l'étiquetage de ``transformers/examples/pytorch/question-answering/run_qa.py``.
- ``reference_postprocess`` : ``postprocess_qa_predictions`` de ``utils_qa.py`` (même dossier).
- ``official_v1`` / ``official_v2`` : les scripts d'évaluation officiels de SQuAD v1.1 et v2.0.
Ces copies servent d'oracle aux tests : elles ne sont pas factorisées avec le paquet, exprès.
"""

import collections
import re
import string

import numpy as np


def reference_train_labels(examples, tokenizer, max_length, stride):
    questions = [q.lstrip() for q in examples["question"]]
    tokenized = tokenizer(questions, examples["context"], truncation="only_second", max_length=max_length,
                          stride=stride, return_overflowing_tokens=True, return_offsets_mapping=True)
    sample_mapping = tokenized.pop("overflow_to_sample_mapping")
    starts, ends = [], []
    for i, offsets in enumerate(tokenized["offset_mapping"]):
        input_ids = tokenized["input_ids"][i]
        cls_index = input_ids.index(tokenizer.cls_token_id)
        sequence_ids = tokenized.sequence_ids(i)
        answers = examples["answers"][sample_mapping[i]]
        if len(answers["answer_start"]) == 0:
            starts.append(cls_index)
            ends.append(cls_index)
            continue
        start_char = answers["answer_start"][0]
        end_char = start_char + len(answers["text"][0])
        token_start_index = 0
        while sequence_ids[token_start_index] != 1:
            token_start_index += 1
        token_end_index = len(input_ids) - 1
        while sequence_ids[token_end_index] != 1:
            token_end_index -= 1
        if not (offsets[token_start_index][0] <= start_char and offsets[token_end_index][1] >= end_char):
            starts.append(cls_index)
            ends.append(cls_index)
        else:
            while token_start_index < len(offsets) and offsets[token_start_index][0] <= start_char:
                token_start_index += 1
            starts.append(token_start_index - 1)
            while offsets[token_end_index][1] >= end_char:
                token_end_index -= 1
            ends.append(token_end_index + 1)
    return starts, ends


def reference_postprocess(examples, features, all_start_logits, all_end_logits, version_2_with_negative=False,
                          n_best_size=20, max_answer_length=30, null_score_diff_threshold=0.0):
    example_id_to_index = {k: i for i, k in enumerate(examples["id"])}
    features_per_example = collections.defaultdict(list)
    for i, feature in enumerate(features):
        features_per_example[example_id_to_index[feature["example_id"]]].append(i)
    all_predictions = collections.OrderedDict()
    for example_index, example in enumerate(examples):
        min_null_prediction = None
        prelim_predictions = []
        for feature_index in features_per_example[example_index]:
            start_logits = all_start_logits[feature_index]
            end_logits = all_end_logits[feature_index]
            offset_mapping = features[feature_index]["offset_mapping"]
            feature_null_score = start_logits[0] + end_logits[0]
            if min_null_prediction is None or min_null_prediction["score"] > feature_null_score:
                min_null_prediction = {"offsets": (0, 0), "score": feature_null_score,
                                       "start_logit": start_logits[0], "end_logit": end_logits[0]}
            start_indexes = np.argsort(start_logits)[-1: -n_best_size - 1: -1].tolist()
            end_indexes = np.argsort(end_logits)[-1: -n_best_size - 1: -1].tolist()
            for start_index in start_indexes:
                for end_index in end_indexes:
                    if (start_index >= len(offset_mapping) or end_index >= len(offset_mapping)
                            or offset_mapping[start_index] is None or len(offset_mapping[start_index]) < 2
                            or offset_mapping[end_index] is None or len(offset_mapping[end_index]) < 2):
                        continue
                    if end_index < start_index or end_index - start_index + 1 > max_answer_length:
                        continue
                    prelim_predictions.append({
                        "offsets": (offset_mapping[start_index][0], offset_mapping[end_index][1]),
                        "score": start_logits[start_index] + end_logits[end_index],
                        "start_logit": start_logits[start_index], "end_logit": end_logits[end_index]})
        if version_2_with_negative and min_null_prediction is not None:
            prelim_predictions.append(min_null_prediction)
            null_score = min_null_prediction["score"]
        predictions = sorted(prelim_predictions, key=lambda x: x["score"], reverse=True)[:n_best_size]
        if (version_2_with_negative and min_null_prediction is not None
                and not any(p["offsets"] == (0, 0) for p in predictions)):
            predictions.append(min_null_prediction)
        context = example["context"]
        for pred in predictions:
            offsets = pred.pop("offsets")
            pred["text"] = context[offsets[0]: offsets[1]]
        if len(predictions) == 0 or (len(predictions) == 1 and predictions[0]["text"] == ""):
            predictions.insert(0, {"text": "empty", "start_logit": 0.0, "end_logit": 0.0, "score": 0.0})
        if not version_2_with_negative:
            all_predictions[example["id"]] = predictions[0]["text"]
        else:
            i = 0
            while predictions[i]["text"] == "":
                i += 1
            best_non_null_pred = predictions[i]
            score_diff = null_score - best_non_null_pred["start_logit"] - best_non_null_pred["end_logit"]
            all_predictions[example["id"]] = "" if score_diff > null_score_diff_threshold else best_non_null_pred["text"]
    return all_predictions


# --- Script officiel SQuAD v1.1 (evaluate-v1.1.py), adapté à la liste {id, answers} du hub ---

def _normalize_answer(s):
    def remove_articles(text):
        return re.sub(r"\b(a|an|the)\b", " ", text)

    def white_space_fix(text):
        return " ".join(text.split())

    def remove_punc(text):
        exclude = set(string.punctuation)
        return "".join(ch for ch in text if ch not in exclude)

    return white_space_fix(remove_articles(remove_punc(s.lower())))


def _f1_v1(prediction, ground_truth):
    prediction_tokens = _normalize_answer(prediction).split()
    ground_truth_tokens = _normalize_answer(ground_truth).split()
    common = collections.Counter(prediction_tokens) & collections.Counter(ground_truth_tokens)
    num_same = sum(common.values())
    if num_same == 0:
        return 0
    precision = 1.0 * num_same / len(prediction_tokens)
    recall = 1.0 * num_same / len(ground_truth_tokens)
    return (2 * precision * recall) / (precision + recall)


def official_v1(references, predictions):
    f1 = exact_match = total = 0
    for ref in references:
        total += 1
        if ref["id"] not in predictions:
            continue
        ground_truths = ref["answers"]["text"]
        prediction = predictions[ref["id"]]
        exact_match += max(_normalize_answer(prediction) == _normalize_answer(gt) for gt in ground_truths)
        f1 += max(_f1_v1(prediction, gt) for gt in ground_truths)
    return {"exact_match": 100.0 * exact_match / total, "f1": 100.0 * f1 / total}


# --- Script officiel SQuAD v2.0 (evaluate-v2.0.py), sans probabilités « pas de réponse » ---

def _get_tokens(s):
    if not s:
        return []
    return _normalize_answer(s).split()


def _compute_f1_v2(a_gold, a_pred):
    gold_toks = _get_tokens(a_gold)
    pred_toks = _get_tokens(a_pred)
    common = collections.Counter(gold_toks) & collections.Counter(pred_toks)
    num_same = sum(common.values())
    if len(gold_toks) == 0 or len(pred_toks) == 0:
        return int(gold_toks == pred_toks)
    if num_same == 0:
        return 0
    precision = 1.0 * num_same / len(pred_toks)
    recall = 1.0 * num_same / len(gold_toks)
    return (2 * precision * recall) / (precision + recall)


def official_v2(references, predictions):
    exact_scores, f1_scores, has_ans = {}, {}, {}
    for ref in references:
        qid = ref["id"]
        has_ans[qid] = bool(ref["answers"]["text"])
        gold_answers = [a for a in ref["answers"]["text"] if _normalize_answer(a)] or [""]
        a_pred = predictions[qid]
        exact_scores[qid] = max(int(_normalize_answer(a) == _normalize_answer(a_pred)) for a in gold_answers)
        f1_scores[qid] = max(_compute_f1_v2(a, a_pred) for a in gold_answers)

    def make_eval_dict(qid_list):
        total = len(qid_list)
        return {"exact": 100.0 * sum(exact_scores[k] for k in qid_list) / total,
                "f1": 100.0 * sum(f1_scores[k] for k in qid_list) / total, "total": total}

    out = make_eval_dict(list(exact_scores))
    for prefix, wanted in (("HasAns", True), ("NoAns", False)):
        ids = [k for k, v in has_ans.items() if v == wanted]
        if ids:
            out.update({f"{prefix}_{k}": v for k, v in make_eval_dict(ids).items()})
    return out


def flatten_squad_json(data):
    """Format JSON d'origine de SQuAD -> lignes au schéma du hub (réponses en dict de listes)."""
    rows = []
    for article in data["data"]:
        for paragraph in article["paragraphs"]:
            for qa in paragraph["qas"]:
                rows.append({"id": qa["id"], "title": article["title"], "context": paragraph["context"],
                             "question": qa["question"],
                             "answers": {"text": [a["text"] for a in qa["answers"]],
                                         "answer_start": [a["answer_start"] for a in qa["answers"]]}})
    return rows
