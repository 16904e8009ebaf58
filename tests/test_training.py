import numpy as np
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
    assert args.train_sampling_strategy == "random"
    assert args.learning_rate == 1e-3 and args.max_steps == smoke.max_steps
    assert args.logging_steps == smoke.logging_steps == 1  # quelques pas en smoke : on les journalise tous
    assert not args.bf16 and not args.fp16  # pas de GPU ici
    assert os.environ["TENSORBOARD_LOGGING_DIR"] == str(tmp_path / "run" / "runs")


@pytest.mark.parametrize("major, native_bf16, expected", [(8, True, (True, False)), (7, False, (False, True))])
def test_mixed_precision_never_takes_emulated_bf16(monkeypatch, major, native_bf16, expected):
    """Un T4 (Colab gratuit, capacité 7.5) émule bf16 lentement : il doit recevoir fp16."""
    import torch

    from course_utils.training import mixed_precision

    calls = []

    def is_bf16_supported(including_emulation=True):
        calls.append(including_emulation)
        return native_bf16 or including_emulation  # l'émulation dirait « oui » sur un T4

    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", is_bf16_supported)
    assert mixed_precision() == expected and calls == [False]


def test_predict_logits_trims_padding(tiny_model, tokenizer, smoke):
    from datasets import Dataset

    from course_utils.spans import prepare_eval_features

    examples = load_squad(smoke)["validation"].select(range(5))
    features = Dataset.from_dict(prepare_eval_features(examples[:], tokenizer, 128, 32))
    starts, ends = predict_logits(tiny_model, features, tokenizer, batch_size=4)
    assert [len(s) for s in starts] == [len(ids) for ids in features["input_ids"]]
    assert [len(e) for e in ends] == [len(s) for s in starts]
    # Les lots sont triés par longueur : chaque fenêtre garde pourtant ses propres logits, à sa place
    for k in (0, len(features) - 1):
        seule, _ = predict_logits(tiny_model, features.select([k]), tokenizer)
        assert np.allclose(seule[0], starts[k], atol=1e-4)


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


def test_answer_question_can_abstain_like_squad_v2(tiny_model, tokenizer):
    from course_utils.inference import answer_question

    context = "Pilgrims reach the shrine (1858 apparitions) at Lourdes."
    answer = answer_question(tiny_model, tokenizer, "Where?", context)
    assert answer["answer"]  # modèle v1 : il répond toujours
    assert answer_question(tiny_model, tokenizer, "Where?", context, null_threshold=-1e9)["answer"] == ""
    kept = answer_question(tiny_model, tokenizer, "Where?", context, null_threshold=1e9)
    assert kept["answer"] == answer["answer"] and kept["score"] <= answer["score"]  # [CLS] prend sa part


def test_learning_rate_schedule_is_the_trainers(tiny_model, tokenizer, smoke, tmp_path):
    """Le planning calculé d'avance est celui que le Trainer suit et journalise, pas par pas."""
    from transformers import Trainer

    from course_utils.spans import prepare_train_features
    from course_utils.training import learning_rate_schedule

    examples = load_squad(smoke)["train"]
    features = examples.map(prepare_train_features, batched=True, remove_columns=examples.column_names,
                            fn_kwargs={"tokenizer": tokenizer, "max_length": 96, "stride": 32})
    args = training_arguments(smoke, tmp_path, max_steps=6, logging_steps=1, eval_strategy="no",
                              save_strategy="no", report_to=[], warmup_steps=0.5, learning_rate=1e-3)
    trainer = Trainer(model=tiny_model, args=args, train_dataset=features, processing_class=tokenizer)
    trainer.train()
    logged = [log["learning_rate"] for log in trainer.state.log_history if "learning_rate" in log]
    schedule = learning_rate_schedule(args, 6)
    assert schedule[0] == 0.0 and max(schedule) == pytest.approx(1e-3)
    assert logged == pytest.approx(schedule)


def test_checkpoints_are_kept_unless_a_fresh_start_is_asked(monkeypatch, tmp_path):
    from course_utils.training import checkpoint_dir, last_checkpoint

    monkeypatch.setenv("COURSE_BUILD_DIR", str(tmp_path))
    monkeypatch.delenv("COURSE_FRESH_START", raising=False)
    path = checkpoint_dir("qa")
    assert last_checkpoint(path) is None and last_checkpoint(tmp_path / "absent") is None
    (path / "checkpoint-60").mkdir()
    (path / "checkpoint-120").mkdir()
    assert checkpoint_dir("qa") == path and last_checkpoint(path) == str(path / "checkpoint-120")
    monkeypatch.setenv("COURSE_FRESH_START", "1")
    assert last_checkpoint(checkpoint_dir("qa")) is None  # demande explicite : tout est effacé


def test_saved_model_names_the_lesson_to_run(monkeypatch, tmp_path):
    from course_utils.notebook import saved_model

    monkeypatch.setenv("COURSE_BUILD_DIR", str(tmp_path))
    with pytest.raises(FileNotFoundError, match="exécutez d'abord notebooks/02_finetuning_complet.ipynb"):
        saved_model("qa-full")
    (tmp_path / "models" / "qa-full").mkdir(parents=True)
    (tmp_path / "models" / "qa-full" / "config.json").write_text("{}")
    assert saved_model("qa-full") == tmp_path / "models" / "qa-full"
