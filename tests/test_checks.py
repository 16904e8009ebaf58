import numpy as np
import pytest

from course_utils.checks import (LABEL_SPAN_CASES, _OFFSETS, _TOKENS, verifier_best_span, verifier_f1,
                                 verifier_label_span)
from course_utils.metrics import f1, normalize_answer
from course_utils.spans import label_span


def test_fake_window_matches_the_real_tokenizer(tokenizer):
    context = "Pilgrims reach the shrine (1858 apparitions) at Lourdes."
    enc = tokenizer("Where was it?", context, return_offsets_mapping=True)
    assert enc.tokens() == _TOKENS
    assert [tuple(o) for o in enc["offset_mapping"]] == _OFFSETS


def test_solution_passes(capsys):
    verifier_label_span(label_span)
    assert f"les {len(LABEL_SPAN_CASES)} cas passent" in capsys.readouterr().out


# Erreurs classiques d'étudiants : chacune doit être refusée, avec un indice qui la nomme.

def _context(sequence_ids):
    return [i for i, s in enumerate(sequence_ids) if s == 1]


def wrong_inclusive_bounds(offsets, sequence_ids, start_char, end_char, cls_index=0):
    context = _context(sequence_ids)
    if not (offsets[context[0]][0] <= start_char and end_char <= offsets[context[-1]][1]):
        return cls_index, cls_index
    start = next(i for i in context if offsets[i][0] <= start_char <= offsets[i][1])
    end = next(i for i in context if offsets[i][0] <= end_char <= offsets[i][1])
    return start, end


def wrong_ignores_sequence_ids(offsets, sequence_ids, start_char, end_char, cls_index=0):
    start = next(i for i, (a, b) in enumerate(offsets) if a <= start_char < b)
    end = next(i for i, (a, b) in enumerate(offsets) if a < end_char <= b)
    return start, end


def wrong_hardcoded_cls(offsets, sequence_ids, start_char, end_char, cls_index=0):
    return label_span(offsets, sequence_ids, start_char, end_char, 0)


def wrong_cls_only_when_entirely_outside(offsets, sequence_ids, start_char, end_char, cls_index=0):
    """Le code d'origine : [CLS] seulement si la réponse est tout entière hors de la fenêtre."""
    context = _context(sequence_ids)
    if offsets[context[0]][0] > end_char or offsets[context[-1]][1] < start_char:
        return cls_index, cls_index
    start = max([i for i in context if offsets[i][0] <= start_char] or [context[0]])
    end = min([i for i in context if offsets[i][1] >= end_char] or [context[-1]])
    return start, end


def wrong_exact_offsets(offsets, sequence_ids, start_char, end_char, cls_index=0):
    context = _context(sequence_ids)
    starts = [i for i in context if offsets[i][0] == start_char]
    ends = [i for i in context if offsets[i][1] == end_char]
    return (starts[0], ends[0]) if starts and ends else (cls_index, cls_index)


def wrong_end_rule(offsets, sequence_ids, start_char, end_char, cls_index=0):
    """Fin cherchée comme le début : a <= end_char < b (end_char est exclu de la réponse)."""
    context = _context(sequence_ids)
    if not (offsets[context[0]][0] <= start_char and end_char <= offsets[context[-1]][1]):
        return cls_index, cls_index
    start = next(i for i in context if offsets[i][0] <= start_char < offsets[i][1])
    end = next((i for i in context if offsets[i][0] <= end_char < offsets[i][1]), context[-1])
    return start, end


def wrong_run_qa_loops(offsets, sequence_ids, start_char, end_char, cls_index=0):
    """Les boucles while de run_qa.py, sans leur garde-fou : elles dépassent le dernier token du contexte."""
    context = _context(sequence_ids)
    if not (offsets[context[0]][0] <= start_char and end_char <= offsets[context[-1]][1]):
        return cls_index, cls_index
    start, end = context[0], context[-1]
    while start < len(offsets) and offsets[start][0] <= start_char:
        start += 1
    while offsets[end][1] >= end_char:
        end -= 1
    return start - 1, end + 1


def wrong_context_relative(offsets, sequence_ids, start_char, end_char, cls_index=0):
    """Positions comptées dans le contexte seul, sans ajouter la place de [CLS] et de la question."""
    start, end = label_span(offsets, sequence_ids, start_char, end_char, cls_index)
    first = _context(sequence_ids)[0]
    return (start, end) if start == cls_index else (start - first, end - first)


def not_written(offsets, sequence_ids, start_char, end_char, cls_index=0):
    raise NotImplementedError


@pytest.mark.parametrize("function, expected_message", [
    (wrong_inclusive_bounds, "Utilisez une inégalité stricte"),
    (wrong_ignores_sequence_ids, "sequence_ids vaut 1"),
    (wrong_hardcoded_cls, "utilisez le paramètre cls_index"),
    (wrong_cls_only_when_entirely_outside, "demi-réponse"),
    (wrong_exact_offsets, "prenez celui qui contient ce caractère"),
    (wrong_end_rule, "a < end_char <= b"),
    (wrong_run_qa_loops, "boucle while"),
    (wrong_context_relative, "cherchez le token du contexte"),
    (not_written, "pas encore écrite"),
])
def test_wrong_label_span_is_rejected_with_a_hint(capsys, function, expected_message):
    with pytest.raises(AssertionError, match="à revoir"):
        verifier_label_span(function)
    out = capsys.readouterr().out
    assert "❌" in out or "⏳" in out
    assert expected_message in out


def test_cut_cases_are_really_cut():
    """Les cas « coupée » ont une réponse à cheval sur un bord de la fenêtre, pas entièrement dehors."""
    for case in LABEL_SPAN_CASES:
        if "coupée" in case.name:
            kwargs = case.kwargs
            context = _context(kwargs["sequence_ids"])
            first, last = kwargs["offsets"][context[0]][0], kwargs["offsets"][context[-1]][1]
            assert kwargs["start_char"] < last and kwargs["end_char"] > first, case.name
            assert not (first <= kwargs["start_char"] and kwargs["end_char"] <= last), case.name


# --- Exercice 02 : post-traitement d'une fenêtre et F1 ---

def best_span_solution(start_logits, end_logits, offsets, context, n_best=20, max_answer_length=30):
    from course_utils.postprocess import candidate_spans

    spans = candidate_spans(np.asarray(start_logits), np.asarray(end_logits), offsets, n_best, max_answer_length)
    if not spans:
        return ""
    _, start, end = max(spans)
    return context[offsets[start][0]:offsets[end][1]]


def best_span_argmax(start_logits, end_logits, offsets, context, n_best=20, max_answer_length=30):
    start, end = int(np.argmax(start_logits)), int(np.argmax(end_logits))
    return context[offsets[start][0]:offsets[end][1]] if offsets[start] and offsets[end] else ""


def best_span_keeps_question(start_logits, end_logits, offsets, context, n_best=20, max_answer_length=30):
    """Oublie d'écarter les tokens hors du contexte : lit (0, 0) pour eux."""
    safe = [offset or (0, 0) for offset in offsets]
    return best_span_solution(start_logits, end_logits, safe, context, n_best, max_answer_length)


def best_span_off_by_one(start_logits, end_logits, offsets, context, n_best=20, max_answer_length=30):
    """Longueur comptée fin - début : un span d'un token de trop passe."""
    return best_span_solution(start_logits, end_logits, offsets, context, n_best, max_answer_length + 1)


def best_span_every_position(start_logits, end_logits, offsets, context, n_best=20, max_answer_length=30):
    """Essaie toutes les positions au lieu des n_best meilleures."""
    return best_span_solution(start_logits, end_logits, offsets, context, len(start_logits), max_answer_length)


def best_span_reads_padding(start_logits, end_logits, offsets, context, n_best=20, max_answer_length=30):
    """Ne coupe pas les logits du remplissage : les positions au-delà de la fenêtre font planter."""
    best = max(((start_logits[s] + end_logits[e], s, e) for s in range(len(start_logits))
                for e in range(len(end_logits)) if offsets[s] and offsets[e] and s <= e < s + max_answer_length))
    return context[offsets[best[1]][0]:offsets[best[2]][1]]


@pytest.mark.parametrize("function, expected_message", [
    (best_span_argmax, "la fin précède le début"),
    (best_span_keeps_question, "décalage vaut None"),
    (best_span_off_by_one, "erreur d'une unité"),
    (best_span_every_position, "n_best meilleurs débuts"),
    (best_span_reads_padding, "remplissage du lot"),
])
def test_wrong_best_span_is_rejected_with_a_hint(capsys, function, expected_message):
    verifier_best_span(best_span_solution)
    assert "cas passent" in capsys.readouterr().out
    with pytest.raises(AssertionError):
        verifier_best_span(function)
    assert expected_message in capsys.readouterr().out


def _words(text):
    return normalize_answer(text).split()


def f1_with_sets(prediction, reference):
    p, r = _words(prediction), _words(reference)
    common = len(set(p) & set(r))
    return 0.0 if not common else 2 * common / (len(p) + len(r))


def f1_counts_prediction_words(prediction, reference):
    p, r = _words(prediction), _words(reference)
    common = sum(word in r for word in p)
    return 0.0 if not common else 2 * (common / len(p)) * (common / len(r)) / (common / len(p) + common / len(r))


def f1_without_normalisation(prediction, reference):
    from collections import Counter

    p, r = prediction.split(), reference.split()
    common = sum((Counter(p) & Counter(r)).values())
    return 0.0 if not common else 2 * common / (len(p) + len(r))


def f1_punctuation_as_space(prediction, reference):
    import re

    return f1(re.sub(r"[^\w\s]", " ", prediction), re.sub(r"[^\w\s]", " ", reference))


def f1_no_zero_guard(prediction, reference):
    from collections import Counter

    p, r = _words(prediction), _words(reference)
    common = sum((Counter(p) & Counter(r)).values())
    precision, recall = common / len(p), common / len(r)
    return 2 * precision * recall / (precision + recall)


def f1_on_characters(prediction, reference):
    from collections import Counter

    p, r = list(normalize_answer(prediction)), list(normalize_answer(reference))
    common = sum((Counter(p) & Counter(r)).values())
    return 0.0 if not common else 2 * common / (len(p) + len(r))


def exact_match_instead(prediction, reference):
    return float(normalize_answer(prediction) == normalize_answer(reference))


@pytest.mark.parametrize("function, expected_message", [
    (f1_with_sets, "pas d'ensembles"),
    (f1_counts_prediction_words, "intersection de deux Counter"),
    (f1_without_normalisation, "normalisez d'abord"),
    (f1_punctuation_as_space, "sans la remplacer"),
    (f1_no_zero_guard, "division par zéro"),
    (f1_on_characters, "pas des caractères"),
    (exact_match_instead, "F1 = 2PR / (P + R)"),
])
def test_wrong_f1_is_rejected_with_a_hint(capsys, function, expected_message):
    verifier_f1(f1)
    assert "cas passent" in capsys.readouterr().out
    with pytest.raises(AssertionError):
        verifier_f1(function)
    assert expected_message in capsys.readouterr().out


# --- Exercice 03 : la configuration LoRA ---

def lora_solution(model, r=8):
    from peft import LoraConfig, TaskType

    targets = ["q_lin", "v_lin"] if model.config.model_type == "distilbert" else ["query", "value"]
    return LoraConfig(task_type=TaskType.QUESTION_ANS, r=r, lora_alpha=2 * r, lora_dropout=0.1, target_modules=targets)


def _variant(**changes):
    def configure(model, r=8):
        config = lora_solution(model, r)
        for key, value in changes.items():
            setattr(config, key, value(model, r) if callable(value) else value)
        return config
    return configure


def lora_returns_model(model, r=8):
    from peft import get_peft_model

    return get_peft_model(model, lora_solution(model, r))


@pytest.mark.parametrize("function, expected_message", [
    (_variant(task_type=None), "reste gelée à ses poids aléatoires"),
    (_variant(target_modules={"query", "value"}), "les noms dépendent de l'architecture"),
    (_variant(target_modules={"q_lin", "v_lin"}), "les noms dépendent de l'architecture"),
    (_variant(target_modules="all-linear"), "all-linear"),
    (lora_returns_model, "pas le modèle"),
    (_variant(r=8, lora_alpha=16), "ne l'écrivez pas en dur"),
    (_variant(lora_alpha=lambda model, r: r), "lora_alpha doit valoir 2 × r"),
    (_variant(target_modules=lambda model, r: {"query", "key", "value"} if model.config.model_type != "distilbert"
              else {"q_lin", "k_lin", "v_lin"}), "la requête et la valeur"),
])
def test_wrong_lora_config_is_rejected_with_a_hint(capsys, function, expected_message):
    from course_utils.checks import verifier_lora_config

    verifier_lora_config(lora_solution)
    assert "les 3 cas passent" in capsys.readouterr().out
    with pytest.raises(AssertionError, match="à revoir"):
        verifier_lora_config(function)
    assert expected_message in capsys.readouterr().out


# --- Exercice 04 : préparation de SNLI et compute_metrics ---

def prepare_solution(data, tokenizer):
    kept = data.filter(lambda label: label != -1, input_columns="label")
    return kept.map(lambda batch: tokenizer(batch["premise"], batch["hypothesis"], truncation=True), batched=True)


def prepare_keeps_unlabeled(data, tokenizer):
    return data.map(lambda batch: tokenizer(batch["premise"], batch["hypothesis"], truncation=True), batched=True)


def prepare_pads(data, tokenizer):
    kept = data.filter(lambda label: label != -1, input_columns="label")
    return kept.map(lambda b: tokenizer(b["premise"], b["hypothesis"], padding="max_length", max_length=64,
                                        truncation=True), batched=True)


def prepare_swapped(data, tokenizer):
    kept = data.filter(lambda label: label != -1, input_columns="label")
    return kept.map(lambda batch: tokenizer(batch["hypothesis"], batch["premise"]), batched=True)


def prepare_concatenated(data, tokenizer):
    kept = data.filter(lambda label: label != -1, input_columns="label")
    return kept.map(lambda b: tokenizer([p + " " + h for p, h in zip(b["premise"], b["hypothesis"])]), batched=True)


def prepare_drops_label(data, tokenizer):
    return prepare_solution(data, tokenizer).remove_columns("label")


def prepare_hypothesis_only(data, tokenizer):
    kept = data.filter(lambda label: label != -1, input_columns="label")
    return kept.map(lambda batch: tokenizer(batch["hypothesis"]), batched=True)


@pytest.mark.parametrize("function, expected_message", [
    (prepare_keeps_unlabeled, "Filtrez-les"),
    (prepare_pads, "ne remplissez pas au prétraitement"),
    (prepare_swapped, "la prémisse vient en premier"),
    (prepare_concatenated, "pas concaténés"),
    (prepare_drops_label, "la colonne label a disparu"),
    (prepare_hypothesis_only, "pas l'hypothèse seule"),
])
def test_wrong_preparation_is_rejected_with_a_hint(capsys, tokenizer, function, expected_message):
    from course_utils.checks import verifier_preparation

    verifier_preparation(prepare_solution, tokenizer)
    assert "cas passent" in capsys.readouterr().out
    with pytest.raises(AssertionError):
        verifier_preparation(function, tokenizer)
    assert expected_message in capsys.readouterr().out


def metrics_solution(eval_pred):
    from course_utils.metrics import classification_scores

    logits, labels = eval_pred
    scores = classification_scores(np.argmax(logits, axis=-1), labels, ["e", "n", "c"])
    return {"accuracy": scores["accuracy"], "macro_f1": scores["macro_f1"]}


def metrics_on_logits(eval_pred):
    logits, labels = eval_pred
    return {"accuracy": float((logits[:, 0] == labels).mean()), "macro_f1": 0.0}


def metrics_micro_f1(eval_pred):
    logits, labels = eval_pred
    accuracy = float((np.argmax(logits, axis=-1) == labels).mean())
    return {"accuracy": accuracy, "macro_f1": accuracy}


def metrics_weighted_f1(eval_pred):
    from course_utils.metrics import classification_scores

    logits, labels = eval_pred
    scores = classification_scores(np.argmax(logits, axis=-1), labels, ["e", "n", "c"])
    weights = np.bincount(labels, minlength=3) / len(labels)
    return {"accuracy": scores["accuracy"], "macro_f1": float(np.dot(list(scores["f1_per_class"].values()), weights))}


def metrics_wrong_keys(eval_pred):
    return {"acc": 1.0}


@pytest.mark.parametrize("function, expected_message", [
    (metrics_on_logits, "argmax"),
    (metrics_micro_f1, "F1 « micro »"),
    (metrics_weighted_f1, "sans pondérer"),
    (metrics_wrong_keys, "« accuracy » et « macro_f1 »"),
])
def test_wrong_compute_metrics_is_rejected_with_a_hint(capsys, function, expected_message):
    from course_utils.checks import verifier_compute_metrics

    verifier_compute_metrics(metrics_solution)
    assert "cas passent" in capsys.readouterr().out
    with pytest.raises(AssertionError):
        verifier_compute_metrics(function)
    assert expected_message in capsys.readouterr().out


# --- Exercice 05 : conversion d'un document TriviaQA, rappel@k ---

def convert_solution(question, document, aliases, max_words=800):
    from course_utils.trivia import find_answer, truncate

    context = truncate(document["text"], max_words)
    found = find_answer(context, aliases)
    answers = {"text": [found[1]], "answer_start": [found[0]]} if found else {"text": [], "answer_start": []}
    return {"id": f"{question['question_id']}--{document['filename']}", "title": document["title"],
            "context": context, "question": question["question"], "answers": answers}


def _convert_with(find=None, context=None, answer_text=None):
    def convert(question, document, aliases, max_words=800):
        from course_utils.trivia import truncate

        text = context(document["text"], max_words) if context else truncate(document["text"], max_words)
        found = (find or _first_alias_first_match)(text, aliases)
        answers = ({"text": [answer_text(text, found) if answer_text else text[found[0]:found[0] + found[1]]],
                    "answer_start": [found[0]]} if found else {"text": [], "answer_start": []})
        return {"id": f"{question['question_id']}--{document['filename']}", "title": document["title"],
                "context": text, "question": question["question"], "answers": answers}
    return convert


def _first_alias_first_match(text, aliases):
    for alias in aliases:
        start = text.lower().find(alias)
        if start >= 0:
            return start, len(alias)
    return None


def _case_sensitive(text, aliases):
    for alias in aliases:
        if alias in text:
            return text.index(alias), len(alias)
    return None


def _earliest_position(text, aliases):
    found = [(text.lower().find(a), len(a)) for a in aliases if a in text.lower()]
    return min(found) if found else None


def _last_occurrence(text, aliases):
    for alias in aliases:
        start = text.lower().rfind(alias)
        if start >= 0:
            return start, len(alias)
    return None


@pytest.mark.parametrize("function, expected_message", [
    (_convert_with(find=_case_sensitive), "sans tenir compte de la casse"),
    (_convert_with(context=lambda text, n: text.lower()), "ne mettez pas le contexte en minuscules"),
    (_convert_with(context=lambda text, n: text), "max_mots"),
    (_convert_with(answer_text=lambda text, found: text[found[0]:found[0] + found[1]].lower()), "answer_start doit pointer"),
    (_convert_with(find=_earliest_position), "dans l'ordre de la liste"),
    (_convert_with(find=_last_occurrence), "première occurrence"),
    (_convert_with(find=lambda text, aliases: (0, 4)), "jamais une position au hasard"),
])
def test_wrong_conversion_is_rejected_with_a_hint(capsys, function, expected_message):
    from course_utils.checks import verifier_conversion

    verifier_conversion(convert_solution)
    assert "cas passent" in capsys.readouterr().out
    verifier_conversion(_convert_with())  # la même règle, écrite autrement
    capsys.readouterr()
    with pytest.raises(AssertionError):
        verifier_conversion(function)
    assert expected_message in capsys.readouterr().out


@pytest.mark.parametrize("function, expected_message", [
    (lambda rankings, relevant, k: sum(len(set(r[:k - 1]) & g) / len(g) for r, g in zip(rankings, relevant)) / len(rankings),
     "le rang k est compris"),
    (lambda rankings, relevant, k: sum(len(set(r[:k + 1]) & g) / len(g) for r, g in zip(rankings, relevant)) / len(rankings),
     "au-delà du rang k"),
    (lambda rankings, relevant, k: sum(len(set(r[:k]) & g) / k for r, g in zip(rankings, relevant)) / len(rankings),
     "pas par k"),
    (lambda rankings, relevant, k: sum(bool(set(r[:k]) & g) for r, g in zip(rankings, relevant)) / len(rankings),
     "dès qu'un seul est trouvé"),
    (lambda rankings, relevant, k: sum(len(set(r[:k]) & g) / len(g) for r, g in zip(rankings, relevant)),
     "la moyenne sur toutes les requêtes"),
])
def test_wrong_recall_is_rejected_with_a_hint(capsys, function, expected_message):
    from course_utils.checks import verifier_recall_at_k
    from course_utils.metrics import recall_at_k

    verifier_recall_at_k(recall_at_k)
    assert "cas passent" in capsys.readouterr().out
    with pytest.raises(AssertionError):
        verifier_recall_at_k(function)
    assert expected_message in capsys.readouterr().out
