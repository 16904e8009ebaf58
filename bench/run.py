"""Banc de mesure du cours (`make bench`) : écrit build/bench.json et affiche un tableau en français.

- prétraitement : exemples/s de ``prepare_train_features``, d'un appel nu au tokenizer (mêmes fenêtres,
  sans étiquettes) et de l'algorithme de référence (run_qa.py) ;
- entraînement : pas/s et mémoire pour le fine-tuning complet et LoRA (QLoRA seulement sur GPU CUDA) ;
- EM/F1 atteints par la leçon 02, s'ils ont été mesurés (``make course``).
"""

import json
import multiprocessing
import resource
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from reference_qa import reference_train_labels  # noqa: E402
from transformers import AutoModelForQuestionAnswering, AutoTokenizer, DataCollatorWithPadding, set_seed  # noqa: E402

from course_utils import get_profile, setup_notebook  # noqa: E402
from course_utils.data import load_squad  # noqa: E402
from course_utils.notebook import build_dir  # noqa: E402
from course_utils.spans import prepare_train_features  # noqa: E402
from course_utils.training import count_parameters  # noqa: E402


def best_rate(function, n_examples, repeats=5):
    """Meilleur débit (exemples/s) sur ``repeats`` essais : le moins perturbé par le reste de la machine."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return n_examples / min(times)


def preprocessing(profile, tokenizer):
    batch = load_squad(profile)["train"][:]
    n, size = len(batch["id"]), dict(max_length=384, stride=128)

    def bare():
        tokenizer([q.lstrip() for q in batch["question"]], batch["context"], truncation="only_second",
                  return_overflowing_tokens=True, return_offsets_mapping=True, **size)

    return {
        "exemples": n,
        "tokenizer_nu_ex_s": best_rate(bare, n),
        "prepare_train_features_ex_s": best_rate(lambda: prepare_train_features(batch, tokenizer, **size), n),
        "reference_run_qa_ex_s": best_rate(lambda: reference_train_labels(batch, tokenizer, 384, 128), n),
    }


def peak_memory_mib():
    if torch.cuda.is_available():
        return torch.cuda.max_memory_allocated() / 2**20
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # pic du processus (Linux : en Kio)


def training_speed(kind, steps=8):
    """Pas d'optimisation par seconde (après un pas de chauffe) et pic mémoire, dans un processus à part."""
    profile = get_profile()
    set_seed(0)
    tokenizer = AutoTokenizer.from_pretrained(profile.qa_model)
    model = AutoModelForQuestionAnswering.from_pretrained(profile.qa_model)
    if kind == "lora":
        model = lora(model)
    features = load_squad(profile)["train"].map(
        prepare_train_features, batched=True, remove_columns=["id", "title", "context", "question", "answers"],
        fn_kwargs={"tokenizer": tokenizer, "max_length": profile.max_length, "stride": profile.stride})
    collator = DataCollatorWithPadding(tokenizer)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    model.to(device).train()
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=profile.learning_rate)
    batches = [collator(list(features.select(range(i * profile.batch_size, (i + 1) * profile.batch_size))))
               for i in range(steps + 1)]
    for i, batch in enumerate(batches):
        if i == 1:
            start = time.perf_counter()
        loss = model(**{k: v.to(device) for k, v in batch.items()}).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
    if device == "cuda":
        torch.cuda.synchronize()
    trainable, total = count_parameters(model)
    return {"pas_s": steps / (time.perf_counter() - start), "memoire_pic_mio": peak_memory_mib(),
            "parametres_entraines": trainable, "parametres_total": total, "taille_lot": profile.batch_size}


def lora(model):
    from peft import LoraConfig, get_peft_model

    # Modules visés par défaut selon l'architecture (query/value pour BERT, q_lin/v_lin pour DistilBERT) ;
    # la tâche QUESTION_ANS garde la tête qa_outputs entraînable
    return get_peft_model(model, LoraConfig(task_type="QUESTION_ANS", r=8, lora_alpha=16, lora_dropout=0.1))


def main():
    profile = get_profile()
    setup_notebook(profile)
    tokenizer = AutoTokenizer.from_pretrained(profile.qa_model)
    results = {"profil": profile.name, "materiel": torch.cuda.get_device_name(0) if torch.cuda.is_available()
               else f"CPU, {torch.get_num_threads()} threads",
               "pretraitement": preprocessing(profile, tokenizer)}
    # Un processus par mesure : le pic mémoire de l'une ne doit pas compter dans l'autre
    with multiprocessing.get_context("spawn").Pool(1, maxtasksperchild=1) as pool:
        results["entrainement"] = {kind: pool.apply(training_speed, (kind,)) for kind in ("complet", "lora")}
    metrics = build_dir("metrics") / "02_finetuning_complet.json"
    results["lecon_02"] = json.loads(metrics.read_text()) if metrics.exists() else None
    (build_dir() / "bench.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print_table(results)


def print_table(results):
    pre = results["pretraitement"]
    print(f"\nBanc de mesure — profil {results['profil']}, {results['materiel']}\n")
    print(f"Prétraitement ({pre['exemples']} exemples, 384/128) :")
    print(f"  tokenizer nu (fenêtres + décalages) : {pre['tokenizer_nu_ex_s']:8.0f} exemples/s")
    print(f"  prepare_train_features              : {pre['prepare_train_features_ex_s']:8.0f} exemples/s")
    print(f"  référence run_qa.py                 : {pre['reference_run_qa_ex_s']:8.0f} exemples/s")
    print("\nEntraînement (pas d'optimisation, lots du profil) :")
    for name, r in results["entrainement"].items():
        print(f"  {name:8} {r['pas_s']:6.2f} pas/s · pic mémoire {r['memoire_pic_mio']:7.0f} Mio · "
              f"{r['parametres_entraines']:,} paramètres entraînés sur {r['parametres_total']:,}".replace(",", " "))
    if not torch.cuda.is_available():
        print("  qlora    non mesuré : la quantification 4 bits de bitsandbytes demande un GPU CUDA")
    lesson = results["lecon_02"]
    if lesson:
        print(f"\nLeçon 02 (profil {lesson['profile']}) : F1 {lesson['before']['f1']:.1f} -> {lesson['after']['f1']:.1f}, "
              f"EM {lesson['before']['exact_match']:.1f} -> {lesson['after']['exact_match']:.1f}, "
              f"{lesson['train_seconds']:.0f} s d'entraînement")
    else:
        print("\nLeçon 02 : pas encore de métriques (lancez make course).")


if __name__ == "__main__":
    main()
