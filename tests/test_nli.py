import pytest
from datasets import ClassLabel, Dataset, Features, Value

from course_utils.nli import drop_unlabeled, prepare_pairs

FEATURES = Features({"premise": Value("string"), "hypothesis": Value("string"),
                     "label": ClassLabel(names=["entailment", "neutral", "contradiction"])})


def pairs(labels):
    return Dataset.from_dict({"premise": ["A man plays guitar."] * len(labels),
                              "hypothesis": ["Someone makes music."] * len(labels), "label": labels}, features=FEATURES)


def test_drop_unlabeled_says_how_many(capsys):
    kept = drop_unlabeled(pairs([0, -1, 2, -1, 1]))
    assert kept["label"] == [0, 2, 1]
    assert "2 paire(s) sans étiquette (-1) retirée(s) sur 5" in capsys.readouterr().out


def test_drop_unlabeled_refuses_bad_input():
    with pytest.raises(ValueError, match="Colonne.*label"):
        drop_unlabeled(Dataset.from_dict({"premise": ["a"]}))
    with pytest.raises(ValueError, match="doit être une ClassLabel"):
        drop_unlabeled(Dataset.from_dict({"premise": ["a"], "hypothesis": ["b"], "label": [5]}))


def test_prepare_pairs_without_padding(tokenizer):
    batch = {"premise": ["A man plays guitar on a stage.", "Kids."], "hypothesis": ["Someone makes music.", "A dog."]}
    encoded = prepare_pairs(batch, tokenizer)
    lengths = [len(ids) for ids in encoded["input_ids"]]
    assert lengths[0] != lengths[1] and tokenizer.pad_token_id not in encoded["input_ids"][1]
    tokens = tokenizer.convert_ids_to_tokens(encoded["input_ids"][0])
    assert tokens[0] == "[CLS]" and tokens.count("[SEP]") == 2 and tokens.index("[SEP]") < tokens.index("someone")
    assert set(encoded["token_type_ids"][0]) == {0, 1}
    alone = prepare_pairs(batch, tokenizer, hypothesis_only=True)
    assert tokenizer.convert_ids_to_tokens(alone["input_ids"][1]) == ["[CLS]", "a", "dog", ".", "[SEP]"]
    with pytest.raises(ValueError, match="premise et hypothesis"):
        prepare_pairs({"premise": ["x"]}, tokenizer)
