"""Entraînement et évaluation : arguments du ``Trainer``, scores EM/F1 de SQuAD, nombre de paramètres."""

import os
from pathlib import Path

import torch

from .inference import predict_logits
from .metrics import squad_scores
from .postprocess import postprocess_predictions
from .spans import prepare_eval_features

QA_LABELS = ["start_positions", "end_positions"]


def mixed_precision():
    """``(bf16, fp16)`` : bf16 sur un GPU qui le supporte (Ampere et plus), sinon fp16 sur GPU, rien sur CPU."""
    if not torch.cuda.is_available():
        return False, False
    bf16 = torch.cuda.is_bf16_supported()
    return bf16, not bf16


def training_arguments(profile, output_dir, **overrides):
    """``TrainingArguments`` du profil, avec l'API de transformers 5 ; ``overrides`` remplace n'importe quel champ.

    Les journaux TensorBoard vont dans ``<output_dir>/runs`` (variable ``TENSORBOARD_LOGGING_DIR``, qui
    remplace l'ancien argument ``logging_dir``) et un point de contrôle est gardé à chaque époque pour
    pouvoir reprendre un entraînement interrompu.
    """
    from transformers import TrainingArguments

    os.environ["TENSORBOARD_LOGGING_DIR"] = str(Path(output_dir) / "runs")
    bf16, fp16 = mixed_precision()
    arguments = dict(
        output_dir=str(output_dir),
        eval_strategy="epoch",
        save_strategy="epoch",
        save_total_limit=2,
        logging_strategy="steps",
        logging_steps=profile.logging_steps,
        report_to="tensorboard",
        learning_rate=profile.learning_rate,
        per_device_train_batch_size=profile.batch_size,
        per_device_eval_batch_size=2 * profile.batch_size,
        num_train_epochs=profile.epochs,
        max_steps=profile.max_steps,
        warmup_steps=0.1,
        weight_decay=0.01,
        label_names=QA_LABELS,
        bf16=bf16,
        fp16=fp16,
        dataloader_pin_memory=torch.cuda.is_available(),  # sans GPU, la mémoire épinglée ne sert à rien
        seed=42,
    )
    arguments.update(overrides)
    return TrainingArguments(**arguments)


def evaluate_squad(model, tokenizer, examples, profile, version_2=False, batch_size=32):
    """EM et F1 du modèle sur ``examples`` (la méthode de SQuAD) ; renvoie ``(scores, prédictions)``.

    Fenêtres d'évaluation -> logits -> post-traitement (n meilleurs spans, longueur maximale, jamais la
    question) -> normalisation officielle -> EM/F1.
    """
    features = examples.map(prepare_eval_features, batched=True, remove_columns=examples.column_names,
                            fn_kwargs={"tokenizer": tokenizer, "max_length": profile.max_length,
                                       "stride": profile.stride},
                            desc="Fenêtres d'évaluation")
    starts, ends = predict_logits(model, features, tokenizer, batch_size)
    predictions = postprocess_predictions(examples, features, starts, ends, version_2=version_2)
    return squad_scores(predictions, examples, version_2=version_2), predictions


def count_parameters(model):
    """``(entraînables, total)`` : nombre de paramètres que l'optimiseur met à jour, et nombre total."""
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    return trainable, sum(p.numel() for p in model.parameters())
