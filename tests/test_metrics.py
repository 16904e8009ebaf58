import random

import pytest
from conftest import reference_rows
from reference_qa import official_v1, official_v2

from course_utils.metrics import accuracy, exact_match, f1, normalize_answer, squad_scores


def test_normalize_answer():
    assert normalize_answer("The  Denver Broncos!") == "denver broncos"
    assert normalize_answer("an apple, a day") == "apple day"
    assert normalize_answer("theater") == "theater"  # « the » n'est retiré que comme mot


def test_exact_match_and_f1_by_hand():
    assert exact_match("the Denver Broncos", "Denver Broncos") == 1
    # prédiction « denver broncos won », référence « denver broncos » : P = 2/3, R = 1, F1 = 0,8
    assert f1("Denver Broncos won", "Denver Broncos") == pytest.approx(0.8)
    assert f1("Carolina", "Denver Broncos") == 0
    assert f1("", "") == 0 and f1("", "", version_2=True) == 1


def test_squad_scores_by_hand():
    refs = [{"id": "1", "answers": {"text": ["Denver Broncos", "the Broncos"], "answer_start": [0, 0]}},
            {"id": "2", "answers": {"text": ["1858"], "answer_start": [0]}}]
    scores = squad_scores({"1": "Broncos", "2": "in 1858"}, refs)
    # q1 : meilleur F1 face à « the Broncos » = 1, EM = 1 ; q2 : EM 0, F1 = 2/3
    assert scores["exact_match"] == pytest.approx(50.0)
    assert scores["f1"] == pytest.approx(100 * (1 + 2 / 3) / 2)


def test_squad_v2_scores_by_hand():
    refs = [{"id": "1", "answers": {"text": ["France"], "answer_start": [0]}},
            {"id": "2", "answers": {"text": [], "answer_start": []}}]
    scores = squad_scores({"1": "France", "2": ""}, refs, version_2=True)
    assert scores["exact_match"] == 100 and scores["HasAns_total"] == 1 and scores["NoAns_f1"] == 100
    scores = squad_scores({"1": "", "2": "France"}, refs, version_2=True)
    assert scores["f1"] == 0 and scores["NoAns_exact_match"] == 0


def test_missing_prediction_warns_and_counts_empty():
    refs = [{"id": "1", "answers": {"text": ["France"], "answer_start": [0]}}]
    with pytest.warns(UserWarning, match="sans prédiction"):
        assert squad_scores({}, refs)["f1"] == 0


def noisy_predictions(rows, seed):
    """Prédictions arbitraires : justes, partielles, élargies, vides ou fausses."""
    rng = random.Random(seed)
    predictions = {}
    for row in rows:
        words = row["context"].split()
        gold = row["answers"]["text"][0] if row["answers"]["text"] else ""
        choice = rng.randrange(5)
        if choice == 0 or not gold:
            predictions[row["id"]] = gold if rng.random() < 0.5 else " ".join(rng.sample(words, 2))
        elif choice == 1:
            predictions[row["id"]] = gold.split()[0]
        elif choice == 2:
            predictions[row["id"]] = f"the {gold}, {rng.choice(words)}"
        elif choice == 3:
            predictions[row["id"]] = ""
        else:
            predictions[row["id"]] = " ".join(rng.sample(words, 3))
    return predictions


@pytest.mark.parametrize("seed", range(3))
def test_agrees_with_official_v1(seed):
    rows = reference_rows("dev-v1.1-excerpt.json")
    predictions = noisy_predictions(rows, seed)
    ours, official = squad_scores(predictions, rows), official_v1(rows, predictions)
    assert ours["exact_match"] == pytest.approx(official["exact_match"])
    assert ours["f1"] == pytest.approx(official["f1"])


@pytest.mark.parametrize("seed", range(3))
def test_agrees_with_official_v2(seed):
    rows = reference_rows("dev-v2.0-excerpt.json")
    predictions = noisy_predictions(rows, seed)
    ours, official = squad_scores(predictions, rows, version_2=True), official_v2(rows, predictions)
    for key, value in official.items():
        assert ours[key.replace("exact", "exact_match")] == pytest.approx(value)


def test_accuracy_ignores_unlabelled():
    assert accuracy([0, 1, 2, 2], [0, 1, -1, 0]) == pytest.approx(2 / 3)
    with pytest.raises(ValueError, match="Aucune étiquette"):
        accuracy([0], [-1])


def test_null_threshold_sweep_splits_has_and_no_answer():
    from course_utils.metrics import null_threshold_sweep

    references = [{"id": "a", "answers": {"text": ["France"], "answer_start": [24]}},
                  {"id": "b", "answers": {"text": [], "answer_start": []}}]
    scored = {"a": ("France", 10.0, 8.0), "b": ("Rome", 3.0, 4.0)}  # écarts null - span : -2 et +1
    low, middle, high = null_threshold_sweep(scored, references, [-3.0, 0.0, 2.0])
    assert (low["HasAns_f1"], low["NoAns_f1"]) == (0.0, 100.0)  # seuil très bas : on s'abstient partout
    assert (middle["HasAns_f1"], middle["NoAns_f1"], middle["f1"]) == (100.0, 100.0, 100.0)
    assert (high["HasAns_f1"], high["NoAns_f1"]) == (100.0, 0.0) and high["threshold"] == 2.0


def test_classification_scores_against_hand_computed_values():
    from course_utils.metrics import classification_scores

    labels = [0, 0, 0, 1, 1, 2]
    predictions = [0, 0, 1, 1, 2, 2]
    scores = classification_scores(predictions, labels, ["entailment", "neutral", "contradiction"])
    assert scores["accuracy"] == 4 / 6
    assert scores["confusion"] == [[2, 1, 0], [0, 1, 1], [0, 0, 1]]
    # F1 par classe = 2 VP / (prédits + vrais) : 4/5, 2/4, 2/3
    assert scores["f1_per_class"] == {"entailment": 0.8, "neutral": 0.5, "contradiction": 2 / 3}
    assert abs(scores["macro_f1"] - (0.8 + 0.5 + 2 / 3) / 3) < 1e-12


def test_classification_scores_refuses_unlabeled_rows_and_logits():
    import pytest

    from course_utils.metrics import classification_scores

    with pytest.raises(ValueError, match="retirez les étiquettes -1"):
        classification_scores([0, 1], [0, -1], ["a", "b"])
    with pytest.raises(ValueError, match="autant"):
        classification_scores([0], [0, 1], ["a", "b"])
