"""Banc de mesure du cours (`make bench`) : écrit build/bench.json et affiche un tableau en français.

- prétraitement : exemples/s de ``prepare_train_features``, d'un appel nu au tokenizer (mêmes fenêtres,
  sans étiquettes) et de l'algorithme de référence (run_qa.py) ;
- entraînement : pas/s et pic mémoire pour le fine-tuning complet, LoRA et QLoRA (sur CPU comme sur GPU),
  et la mémoire du modèle en fp32 et en 4 bits ;
- inférence : latence d'``answer_question`` par question ;
- EM/F1 atteints par les leçons 02 et 03, s'ils ont été mesurés (``make course``) ;
- un graphique de la comparaison des entraînements : ``build/bench.png``.
"""

import json
import multiprocessing
import resource
import sys
import time
import warnings
from pathlib import Path

import torch

# peft 0.21 appelle encore is_gradient_checkpointing, que transformers 5 a renommé is_activation_checkpointing :
# un avertissement sans effet (expliqué dans la leçon 03)
warnings.filterwarnings("ignore", message="`is_gradient_checkpointing` is deprecated")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from reference_qa import reference_train_labels  # noqa: E402
from transformers import AutoModelForQuestionAnswering, AutoTokenizer, DataCollatorWithPadding, set_seed  # noqa: E402

from course_utils import get_profile, setup_notebook  # noqa: E402
from course_utils.data import load_squad  # noqa: E402
from course_utils.notebook import build_dir  # noqa: E402
from course_utils.spans import prepare_train_features  # noqa: E402
from course_utils.inference import answer_question  # noqa: E402
from course_utils.training import count_parameters, encoder_linear_names, load_4bit, lora_config  # noqa: E402


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


def training_model(kind, profile):
    """Le modèle à entraîner : complet, LoRA (r=16 sur les couches denses, comme la leçon 03) ou QLoRA."""
    from peft import get_peft_model, prepare_model_for_kbit_training

    options = profile.model_options(profile.qa_model)  # le dropout de l'attention du profil, comme les leçons
    if kind == "qlora":
        model = prepare_model_for_kbit_training(load_4bit(profile.qa_model, **options), use_gradient_checkpointing=False)
    else:
        model = AutoModelForQuestionAnswering.from_pretrained(profile.qa_model, **options)
    if kind == "complet":
        return model
    return get_peft_model(model, lora_config(model, r=16, alpha=32, targets=encoder_linear_names(model)))


def training_speed(kind, steps=8):
    """Pas d'optimisation par seconde (après un pas de chauffe) et pic mémoire, dans un processus à part."""
    profile = get_profile()
    set_seed(0)
    tokenizer = AutoTokenizer.from_pretrained(profile.qa_model)
    model = training_model(kind, profile)
    features = load_squad(profile)["train"].map(
        prepare_train_features, batched=True, remove_columns=["id", "title", "context", "question", "answers"],
        fn_kwargs={"tokenizer": tokenizer, "max_length": profile.max_length, "stride": profile.stride})
    collator = DataCollatorWithPadding(tokenizer)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    if kind != "qlora":  # le modèle 4 bits est déjà placé par bitsandbytes
        model.to(device)
    model.train()
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=profile.learning_rate)
    batches = [collator(list(features.select(range(i * profile.batch_size, (i + 1) * profile.batch_size))))
               for i in range(steps + 1)]
    for i, batch in enumerate(batches):
        if i == 1:
            start = time.perf_counter()
        loss = model(**{k: v.to(device) for k, v in batch.items()}).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=False)  # garde les gradients pour les compter
    if device == "cuda":
        torch.cuda.synchronize()
    trainable, total = count_parameters(model)
    state = [t for s in optimizer.state.values() for t in s.values() if torch.is_tensor(t)]
    state += [p.grad for p in model.parameters() if p.grad is not None]
    base = model.get_base_model() if hasattr(model, "get_base_model") else model
    return {"pas_s": steps / (time.perf_counter() - start), "memoire_pic_mio": peak_memory_mib(),
            "memoire_modele_mio": base.get_memory_footprint() / 2**20,
            "gradients_adam_mio": sum(t.numel() * t.element_size() for t in state) / 2**20, "parametres_entraines": trainable,
            "parametres_total": total, "taille_lot": profile.batch_size}


def inference_latency(profile, questions=20):
    """Millisecondes par question d'``answer_question`` (médiane), avec le modèle de la leçon 02 s'il existe."""
    saved = build_dir("models") / "qa-full"
    source = saved if (saved / "config.json").exists() else profile.qa_model
    tokenizer = AutoTokenizer.from_pretrained(source)
    model = AutoModelForQuestionAnswering.from_pretrained(source).to("cuda" if torch.cuda.is_available() else "cpu")
    examples = load_squad(profile)["validation"]
    examples = examples.select(range(min(questions, len(examples))))
    times = []
    for example in examples:
        start = time.perf_counter()
        answer_question(model, tokenizer, example["question"], example["context"], profile.max_length, profile.stride)
        times.append(time.perf_counter() - start)
    return {"modele": "leçon 02" if source == saved else "non entraîné", "questions": len(times),
            "ms_par_question": 1000 * sorted(times)[len(times) // 2]}


def lesson_metrics(name):
    path = build_dir("metrics") / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def plot(results, path):
    """Graphique PNG : vitesse et pic mémoire de chaque entraînement, et F1 de la leçon 03 s'il existe."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    kinds = list(results["entrainement"])
    values = [results["entrainement"][k] for k in kinds]
    lesson = results.get("lecon_03")
    fig, axes = plt.subplots(1, 3 if lesson else 2, figsize=(13 if lesson else 8, 3.5))
    axes[0].bar(kinds, [v["pas_s"] for v in values], color="tab:blue")
    axes[0].set(title="Vitesse d'entraînement", ylabel="pas par seconde")
    axes[1].bar(kinds, [v["memoire_pic_mio"] for v in values], color="tab:orange")
    axes[1].set(title="Pic mémoire", ylabel="Mio")
    if lesson:
        rows = lesson["table"]
        axes[2].barh([r["méthode"] for r in rows], [r["F1"] for r in rows], color="tab:green")
        axes[2].set(title="F1 mesuré (leçon 03)", xlabel="F1")
    fig.suptitle(f"Banc de mesure — profil {results['profil']}, {results['materiel']}")
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def main():
    profile = get_profile()
    setup_notebook(profile)
    tokenizer = AutoTokenizer.from_pretrained(profile.qa_model)
    results = {"profil": profile.name, "materiel": torch.cuda.get_device_name(0) if torch.cuda.is_available()
               else f"CPU, {torch.get_num_threads()} threads",
               "pretraitement": preprocessing(profile, tokenizer)}
    # Un processus par mesure : le pic mémoire de l'une ne doit pas compter dans l'autre
    with multiprocessing.get_context("spawn").Pool(1, maxtasksperchild=1) as pool:
        results["entrainement"] = {kind: pool.apply(training_speed, (kind,)) for kind in ("complet", "lora", "qlora")}
    results["inference"] = inference_latency(profile)
    results["lecon_02"] = lesson_metrics("02_finetuning_complet")
    results["lecon_03"] = lesson_metrics("03_lora_qlora")
    (build_dir() / "bench.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    plot(results, build_dir() / "bench.png")
    print_table(results)


def print_table(results):
    pre = results["pretraitement"]
    print(f"\nBanc de mesure — profil {results['profil']}, {results['materiel']}\n")
    print(f"Prétraitement ({pre['exemples']} exemples, 384/128) :")
    print(f"  tokenizer nu (fenêtres + décalages) : {pre['tokenizer_nu_ex_s']:8.0f} exemples/s")
    print(f"  prepare_train_features              : {pre['prepare_train_features_ex_s']:8.0f} exemples/s")
    print(f"  référence run_qa.py                 : {pre['reference_run_qa_ex_s']:8.0f} exemples/s")
    print("\nEntraînement (pas d'optimisation, lots du profil ; LoRA et QLoRA : r=16 sur les couches denses) :")
    for name, r in results["entrainement"].items():
        print(f"  {name:8} {r['pas_s']:6.2f} pas/s · pic mémoire {r['memoire_pic_mio']:7.0f} Mio · modèle "
              f"{r['memoire_modele_mio']:5.0f} Mio · gradients et Adam {r['gradients_adam_mio']:5.0f} Mio · "
              f"{r['parametres_entraines']:,} paramètres entraînés sur "
              f"{r['parametres_total']:,}".replace(",", " "))
    # LoRA et QLoRA portent les mêmes adaptateurs : seule la précision du modèle gelé les distingue
    fp32, four = results["entrainement"]["lora"], results["entrainement"]["qlora"]
    print(f"  mémoire du modèle avec ses adaptateurs : {fp32['memoire_modele_mio']:.0f} Mio en fp32, "
          f"{four['memoire_modele_mio']:.0f} Mio en 4 bits ({100 * four['memoire_modele_mio'] / fp32['memoire_modele_mio']:.0f} %)")
    print("  (le pic du processus compte aussi le chargement et les activations : sur CPU, avec de petits lots,\n"
          "   ce que LoRA économise se lit surtout dans les gradients et les états d'Adam)")
    inference = results["inference"]
    print(f"\nInférence : {inference['ms_par_question']:.0f} ms par question (médiane sur {inference['questions']}, "
          f"modèle {inference['modele']})")
    if results["lecon_03"]:
        print("\nLeçon 03 :")
        for row in results["lecon_03"]["table"]:
            print(f"  {row['méthode']:40} F1 {row['F1']:5.1f}")
    lesson = results["lecon_02"]
    if lesson:
        print(f"\nLeçon 02 (profil {lesson['profile']}) : F1 {lesson['before']['f1']:.1f} -> {lesson['after']['f1']:.1f}, "
              f"EM {lesson['before']['exact_match']:.1f} -> {lesson['after']['exact_match']:.1f}, "
              f"{lesson['train_seconds']:.0f} s d'entraînement")
    else:
        print("\nLeçon 02 : pas encore de métriques (lancez make course).")


if __name__ == "__main__":
    main()
