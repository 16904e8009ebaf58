"""L'entraînement de la leçon 02 en une commande, sur une machine ou plusieurs, avec les outils du cours.

    python scripts/train_qa.py --profile local                                     # un processus
    accelerate launch --multi_gpu --num_processes 8 scripts/train_qa.py --profile full   # 8 GPU d'une machine
    accelerate launch --multi_gpu --num_processes 2 scripts/train_qa.py --profile smoke  # 2 processus sur CPU (gloo)

Sous ``accelerate launch``, le ``Trainer`` répartit les lots entre les processus (données parallèles) :
chaque processus calcule ses gradients, qui sont moyennés avant chaque pas. Le lot effectif vaut donc
``taille du lot × nombre de processus``. L'évaluation (EM et F1 de SQuAD) tourne sur le processus
principal, qui écrit le modèle et ses mesures.
"""

import argparse
import json
import time
from pathlib import Path

import torch
from transformers import AutoModelForQuestionAnswering, AutoTokenizer, DataCollatorWithPadding, Trainer, set_seed

from course_utils import get_profile
from course_utils.data import load_squad
from course_utils.spans import prepare_train_features
from course_utils.training import checkpoint_dir, evaluate_squad, last_checkpoint, training_arguments


def parse(argv=None):
    parser = argparse.ArgumentParser(description="Fine-tuning complet d'un modèle de question-réponse sur SQuAD.")
    parser.add_argument("--profile", help="smoke, local ou full (par défaut : COURSE_PROFILE, sinon selon le GPU)")
    parser.add_argument("--output", type=Path, default=Path("build/models/qa-train-script"),
                        help="dossier du modèle entraîné et de ses mesures (metrics.json)")
    parser.add_argument("--max-steps", type=int, default=-1, help="nombre de pas (-1 : les époques du profil)")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse(argv)
    profile = get_profile(args.profile)
    set_seed(42)
    tokenizer = AutoTokenizer.from_pretrained(profile.qa_model)
    squad = load_squad(profile)
    features = squad["train"].map(prepare_train_features, batched=True, remove_columns=squad["train"].column_names,
                                  fn_kwargs=dict(tokenizer=tokenizer, max_length=profile.max_length,
                                                 stride=profile.stride))
    output = checkpoint_dir(f"train-script-{profile.name}")
    # use_cpu sans GPU : plusieurs processus sur CPU communiquent alors par gloo (sinon chacun resterait seul)
    training = training_arguments(profile, output, max_steps=args.max_steps, eval_strategy="no",
                                  use_cpu=not torch.cuda.is_available())
    model = AutoModelForQuestionAnswering.from_pretrained(profile.qa_model, **profile.model_options(profile.qa_model))
    trainer = Trainer(model=model, args=training,
                      train_dataset=features, processing_class=tokenizer, data_collator=DataCollatorWithPadding(tokenizer))
    start = time.perf_counter()
    trainer.train(resume_from_checkpoint=last_checkpoint(output))
    seconds = time.perf_counter() - start
    trainer.save_model(str(args.output))  # le processus principal écrit, les autres attendent
    if trainer.is_world_process_zero():
        scores, _ = evaluate_squad(trainer.model, tokenizer, squad["validation"], profile)
        metrics = {"profile": profile.name, "processes": training.world_size, "train_steps": trainer.state.global_step,
                   "effective_batch_size": training.per_device_train_batch_size * training.world_size,
                   "train_seconds": round(seconds, 1), "exact_match": scores["exact_match"], "f1": scores["f1"]}
        (args.output / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
        print(f"{training.world_size} processus, {trainer.state.global_step} pas en {seconds:.0f} s : "
              f"EM {scores['exact_match']:.1f}, F1 {scores['f1']:.1f} ; modèle dans {args.output}")


if __name__ == "__main__":
    main()
