import pytest
from transformers import BertConfig, BertForQuestionAnswering

from course_utils.data import load_squad
from course_utils.training import QA_LABELS, count_parameters, evaluate_squad, predict_logits, training_arguments


@pytest.fixture(scope="module")
def tiny_model(tokenizer):
    """Petit BERT aléatoire au vocabulaire du cours : rapide, et assez pour tester la tuyauterie."""
    config = BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=1,
                        num_attention_heads=2, intermediate_size=64)
    return BertForQuestionAnswering(config)


def test_training_arguments_today_api(smoke, tmp_path):
    import os

    args = training_arguments(smoke, tmp_path / "run", learning_rate=1e-3)
    assert args.eval_strategy == "epoch" and args.save_strategy == "epoch" and args.save_total_limit == 2
    assert args.report_to == ["tensorboard"] and args.label_names == QA_LABELS
    assert args.learning_rate == 1e-3 and args.max_steps == smoke.max_steps
    assert args.logging_steps == smoke.logging_steps == 1  # quelques pas en smoke : on les journalise tous
    assert not args.bf16 and not args.fp16  # pas de GPU ici
    assert os.environ["TENSORBOARD_LOGGING_DIR"] == str(tmp_path / "run" / "runs")


def test_predict_logits_trims_padding(tiny_model, tokenizer, smoke):
    from datasets import Dataset

    from course_utils.spans import prepare_eval_features

    examples = load_squad(smoke)["validation"].select(range(5))
    features = Dataset.from_dict(prepare_eval_features(examples[:], tokenizer, 128, 32))
    starts, ends = predict_logits(tiny_model, features, tokenizer, batch_size=4)
    assert [len(s) for s in starts] == [len(ids) for ids in features["input_ids"]]
    assert [len(e) for e in ends] == [len(s) for s in starts]


def test_evaluate_squad_scores_every_example(tiny_model, tokenizer, smoke):
    examples = load_squad(smoke)["validation"]
    scores, predictions = evaluate_squad(tiny_model, tokenizer, examples, smoke)
    assert set(predictions) == set(examples["id"])
    assert 0 <= scores["f1"] <= 100 and scores["total"] == len(examples)


def test_count_parameters(tiny_model):
    trainable, total = count_parameters(tiny_model)
    assert trainable == total > 0
    for parameter in tiny_model.bert.parameters():
        parameter.requires_grad = False
    trainable, _ = count_parameters(tiny_model)
    assert trainable == 32 * 2 + 2  # seule la tête qa_outputs reste entraînable
    for parameter in tiny_model.bert.parameters():
        parameter.requires_grad = True


def test_answer_question_returns_a_span_of_the_context(tiny_model, tokenizer):
    from course_utils.inference import answer_question

    context = "Pilgrims reach the shrine (1858 apparitions) at Lourdes. " * 20
    result = answer_question(tiny_model, tokenizer, "Where?", context, max_length=64, stride=16)
    assert context[result["start"]:result["end"]] == result["answer"] != ""
    assert 0 < result["score"] <= 1
