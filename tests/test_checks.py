import numpy as np
import pytest

from course_utils.checks import (LABEL_SPAN_CASES, _OFFSETS, _TOKENS, verifier_best_span, verifier_f1,
                                 verifier_label_span)
from course_utils.metrics import normalize_answer
from course_utils.spans import label_span


def test_fake_window_matches_the_real_tokenizer(tokenizer):
    context = "Pilgrims reach the shrine (1858 apparitions) at Lourdes."
    enc = tokenizer("Where was it?", context, return_offsets_mapping=True)
    assert enc.tokens() == _TOKENS
    assert [tuple(o) for o in enc["offset_mapping"]] == _OFFSETS


def test_solution_passes(capsys):
    verifier_label_span(label_span)
    assert f"les {len(LABEL_SPAN_CASES)} cas passent" in capsys.readouterr().out


def wrong_inclusive_bounds(offsets, sequence_ids, start_char, end_char, cls_index=0):
    context = [i for i, s in enumerate(sequence_ids) if s == 1]
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


def not_written(offsets, sequence_ids, start_char, end_char, cls_index=0):
    raise NotImplementedError


@pytest.mark.parametrize("function, expected_message", [
    (wrong_inclusive_bounds, "frontière : « 1858 » collé à la parenthèse « ( »"),
    (wrong_ignores_sequence_ids, "sequence_ids vaut 1"),
    (wrong_hardcoded_cls, "utilisez le paramètre cls_index"),
    (not_written, "pas encore écrite"),
])
def test_wrong_solutions_get_french_feedback(capsys, function, expected_message):
    with pytest.raises(AssertionError, match="à revoir"):
        verifier_label_span(function)
    out = capsys.readouterr().out
    assert "❌" in out or "⏳" in out
    assert expected_message in out


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


def test_best_span_checker(capsys):
    verifier_best_span(best_span_solution)
    assert "cas passent" in capsys.readouterr().out
    with pytest.raises(AssertionError):
        verifier_best_span(best_span_argmax)
    assert "la fin précède le début" in capsys.readouterr().out


def test_f1_checker(capsys):
    from course_utils.metrics import f1

    verifier_f1(f1)

    def f1_with_sets(prediction, reference):
        p, r = set(normalize_answer(prediction).split()), set(normalize_answer(reference).split())
        common = len(p & r)
        return 0.0 if not common else 2 * common / (len(p) + len(r))

    with pytest.raises(AssertionError):
        verifier_f1(f1_with_sets)
    assert "intersection de Counter" in capsys.readouterr().out
