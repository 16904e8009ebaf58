"""Petits modèles aléatoires aux architectures du profil full (DistilBERT et RoBERTa), pour les tests.

    python tests/tiny_models.py build/tiny     # écrit build/tiny/distilbert et build/tiny/roberta

``make test`` exécute les leçons avec eux (``COURSE_QA_MODEL``, ``COURSE_NLI_MODEL``) : les scores n'ont
aucun sens, mais les chemins de code du profil full tournent en CI, sans réseau. Chaque modèle a un
tokenizer de son espèce : le vocabulaire WordPiece du MiniLM embarqué (celui de distilbert-base-uncased)
pour DistilBERT, et un BPE au niveau des octets appris en quelques secondes sur les textes embarqués pour
RoBERTa (``<s>``, ``</s>``, décalages et absence de ``token_type_ids`` comme pour ``roberta-base``).
"""

import sys
from pathlib import Path


def corpus_texts():
    """Les textes anglais des échantillons embarqués : contextes et questions de SQuAD, paires de SNLI."""
    from course_utils.data import DATA_DIR, read_jsonl

    for row in read_jsonl(DATA_DIR / "squad" / "train.jsonl"):
        yield row["context"]
        yield row["question"]
    for row in read_jsonl(DATA_DIR / "snli" / "train.jsonl"):
        yield row["premise"] + " " + row["hypothesis"]


def distilbert(target):
    from transformers import AutoTokenizer, DistilBertConfig, DistilBertModel, DistilBertTokenizer

    from course_utils.profiles import embedded_model_path

    wordpiece = AutoTokenizer.from_pretrained(embedded_model_path())
    tokenizer = DistilBertTokenizer(vocab=wordpiece.get_vocab(), do_lower_case=True)
    assert tokenizer("Lourdes, 1858")["input_ids"] == wordpiece("Lourdes, 1858")["input_ids"]
    config = DistilBertConfig(vocab_size=tokenizer.vocab_size, n_layers=2, dim=64, hidden_dim=128, n_heads=2)
    DistilBertModel(config).save_pretrained(target)
    tokenizer.save_pretrained(target)


def roberta(target, vocab_size=2000):
    from tokenizers import ByteLevelBPETokenizer
    from transformers import RobertaConfig, RobertaModel, RobertaTokenizer

    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(corpus_texts(), vocab_size=vocab_size, min_frequency=2,
                            special_tokens=["<s>", "<pad>", "</s>", "<unk>", "<mask>"], show_progress=False)
    target.mkdir(parents=True, exist_ok=True)
    _, merges_file = bpe.save_model(str(target))
    merges = [tuple(line.split(" ")) for line in Path(merges_file).read_text(encoding="utf-8").splitlines()[1:] if line]
    tokenizer = RobertaTokenizer(vocab=bpe.get_vocab(), merges=merges, model_max_length=512)
    config = RobertaConfig(vocab_size=len(tokenizer), hidden_size=64, num_hidden_layers=2, num_attention_heads=2,
                           intermediate_size=128, max_position_embeddings=514, type_vocab_size=1,
                           pad_token_id=tokenizer.pad_token_id, bos_token_id=tokenizer.bos_token_id,
                           eos_token_id=tokenizer.eos_token_id)
    RobertaModel(config).save_pretrained(target)
    tokenizer.save_pretrained(target)


def build(root):
    """Écrit ``root/distilbert`` et ``root/roberta`` (graine fixe : toujours les mêmes poids)."""
    import torch

    root = Path(root)
    for name, make in (("distilbert", distilbert), ("roberta", roberta)):
        torch.manual_seed(0)
        make(root / name)
    return root


if __name__ == "__main__":
    print("Petits modèles écrits dans", build(sys.argv[1] if len(sys.argv) > 1 else "build/tiny"))
