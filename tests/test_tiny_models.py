"""Les petits modèles du profil full (DistilBERT, RoBERTa) se comportent comme leurs grands frères."""

import pytest
from transformers import AutoModelForQuestionAnswering, AutoModelForSequenceClassification, AutoTokenizer

from course_utils import get_profile
from course_utils.data import load_squad
from course_utils.spans import prepare_eval_features, prepare_train_features
from tiny_models import build


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return build(tmp_path_factory.mktemp("tiny"))


def test_roberta_tokenizer_behaves_like_roberta_base(tiny):
    tokenizer = AutoTokenizer.from_pretrained(tiny / "roberta")
    context = "The shrine (1858) at Lourdes."
    encoding = tokenizer("Where?", context, return_offsets_mapping=True)
    tokens = encoding.tokens()
    assert tokens[0] == "<s>" and tokens[-1] == "</s>" and tokens.count("</s>") == 3  # <s> q </s></s> c </s>
    assert "token_type_ids" not in encoding
    paren = tokens.index("Ġ(")
    assert encoding["offset_mapping"][paren] == (context.index("("), context.index("(") + 1)  # sans l'espace de « Ġ »


def test_distilbert_tokenizer_is_the_embedded_vocabulary(tiny, tokenizer):
    distil = AutoTokenizer.from_pretrained(tiny / "distilbert")
    text = ("Where was it?", "Pilgrims reach the shrine (1858 apparitions) at Lourdes.")
    assert distil(*text)["input_ids"] == tokenizer(*text)["input_ids"] and "token_type_ids" not in distil(*text)


@pytest.mark.parametrize("name", ["distilbert", "roberta"])
def test_span_labels_decode_to_answers(tiny, name):
    tokenizer = AutoTokenizer.from_pretrained(tiny / name)
    examples = load_squad(get_profile("smoke"))["train"][:]
    train = prepare_train_features(examples, tokenizer, max_length=128, stride=32)
    evaluation = prepare_eval_features(examples, tokenizer, max_length=128, stride=32)
    labelled = 0
    for start, end, example_id, offsets, ids in zip(train["start_positions"], train["end_positions"],
                                                   evaluation["example_id"], evaluation["offset_mapping"],
                                                   train["input_ids"]):
        i = examples["id"].index(example_id)
        if start == 0:
            assert ids[0] == tokenizer.cls_token_id  # « pas de réponse » : [CLS] ou <s>, en position 0
            continue
        answer = examples["answers"][i]["text"][0]
        assert examples["context"][i][offsets[start][0]:offsets[end][1]] == answer
        labelled += 1
    assert labelled > 10


@pytest.mark.parametrize("name", ["distilbert", "roberta"])
def test_heads_load_on_the_tiny_models(tiny, name):
    assert AutoModelForQuestionAnswering.from_pretrained(tiny / name).qa_outputs.out_features == 2
    assert AutoModelForSequenceClassification.from_pretrained(tiny / name, num_labels=3).num_labels == 3
