"""Entraînement et évaluation : arguments du ``Trainer``, scores EM/F1 de SQuAD, nombre de paramètres."""

import os
import shutil
from pathlib import Path

import torch

from .inference import predict_logits
from .metrics import squad_scores
from .postprocess import postprocess_predictions
from .spans import prepare_eval_features

QA_LABELS = ["start_positions", "end_positions"]


def mixed_precision():
    """``(bf16, fp16)`` : bf16 sur un GPU qui le calcule nativement (Ampere et plus), sinon fp16 sur GPU, rien sur CPU.

    ``including_emulation=False`` : un T4 (Colab gratuit) sait *émuler* bf16, lentement ; il doit prendre fp16.
    """
    if not torch.cuda.is_available():
        return False, False
    bf16 = torch.cuda.is_bf16_supported(including_emulation=False)
    return bf16, not bf16


def checkpoint_dir(name):
    """Dossier des points de contrôle et des journaux TensorBoard d'un entraînement : ``build/checkpoints/<name>``.

    Les points de contrôle d'une exécution précédente sont gardés, pour qu'un entraînement coupé reprenne
    (``last_checkpoint``) ; ils ne sont effacés que sur demande explicite, ``COURSE_FRESH_START=1``, que
    ``make course`` et ``make test`` posent pour repartir de zéro.
    """
    from .notebook import build_dir

    path = build_dir("checkpoints", name)
    # Sur plusieurs processus (accelerate, torchrun), seul le premier de chaque machine efface
    if os.environ.get("COURSE_FRESH_START") == "1" and os.environ.get("LOCAL_RANK", "0") == "0":
        shutil.rmtree(path)
        path.mkdir(parents=True)
    return path


def last_checkpoint(output_dir):
    """Le point de contrôle le plus récent de ``output_dir`` (``checkpoint-<pas>``), ou ``None``."""
    from transformers.trainer_utils import get_last_checkpoint

    return get_last_checkpoint(str(output_dir)) if Path(output_dir).is_dir() else None


def training_arguments(profile, output_dir, **overrides):
    """``TrainingArguments`` du profil, avec l'API de transformers 5 ; ``overrides`` remplace n'importe quel champ.

    Les journaux TensorBoard vont dans ``<output_dir>/runs`` (variable ``TENSORBOARD_LOGGING_DIR``, qui
    remplace l'ancien argument ``logging_dir``) et un point de contrôle est gardé à chaque époque pour
    pouvoir reprendre un entraînement interrompu. Les lots sont tirés au hasard : des lots de longueurs
    voisines (``group_by_length``) retireraient du remplissage, mais sur un petit échantillon ils
    rassemblent les fenêtres sans réponse des longs contextes, et l'apprentissage en pâtit (leçon 2).
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
        train_sampling_strategy="random",  # group_by_length : lots peu variés sur un petit échantillon (leçon 2)
        bf16=bf16,
        fp16=fp16,
        dataloader_pin_memory=torch.cuda.is_available(),  # sans GPU, la mémoire épinglée ne sert à rien
        seed=42,
    )
    arguments.update(overrides)
    return TrainingArguments(**arguments)


def learning_rate_schedule(args, total_steps):
    """Taux d'apprentissage de chaque pas, calculé comme le ``Trainer`` le fera : montée puis décroissance.

    Les journaux n'en gardent qu'un point tous les ``logging_steps`` pas, ce qui cache la courte montée.
    """
    from transformers import get_scheduler

    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=args.learning_rate)
    scheduler = get_scheduler(args.lr_scheduler_type, optimizer, args.get_warmup_steps(total_steps), total_steps)
    rates = []
    for _ in range(total_steps):
        optimizer.step()  # le Trainer fait le pas d'optimisation avec le taux courant, puis avance le planning
        rates.append(scheduler.get_last_lr()[0])
        scheduler.step()
    return rates


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


def activation_memory(model, batch, dtype=None):
    """Octets que la passe avant garde pour la passe arrière (les activations), sans les poids du modèle.

    Avec ``dtype`` (``torch.bfloat16`` ou ``torch.float16``), la passe avant tourne sous ``torch.autocast`` :
    c'est ce que fait l'entraînement en précision mixte (``bf16=True``, ``fp16=True``). Les tenseurs de la
    forme d'un paramètre (les poids, et leurs copies en 16 bits sous autocast) ne sont pas comptés.
    """
    weight_shapes = {tuple(parameter.shape) for parameter in model.parameters()}
    saved = {}

    def pack(tensor):
        if tuple(tensor.shape) not in weight_shapes:
            saved[tensor.data_ptr()] = tensor.numel() * tensor.element_size()
        return tensor

    device = next(model.parameters()).device
    with torch.autograd.graph.saved_tensors_hooks(pack, lambda tensor: tensor):
        with torch.autocast(device.type, dtype=dtype, enabled=dtype is not None):
            model(**{key: value.to(device) for key, value in batch.items()})  # la passe avant suffit
    return sum(saved.values())


def count_parameters(model):
    """``(entraînables, total)`` : nombre de paramètres que l'optimiseur met à jour, et nombre total.

    Une couche 4 bits range deux poids par octet : chacun de ses éléments stockés compte pour deux.
    """
    def size(parameter):
        packed = parameter.__class__.__name__ == "Params4bit"
        return parameter.numel() * (2 * parameter.element_size() if packed else 1)

    trainable = sum(size(p) for p in model.parameters() if p.requires_grad)
    return trainable, sum(size(p) for p in model.parameters())


# Projections de l'attention, par architecture : la requête et la valeur, comme dans l'article de LoRA.
# peft n'a pas de choix par défaut pour DistilBERT ; les noms diffèrent d'une architecture à l'autre.
ATTENTION_PROJECTIONS = {
    "bert": ["query", "value"],
    "roberta": ["query", "value"],
    "distilbert": ["q_lin", "v_lin"],
}


def linear_module_names(model):
    """Noms courts (le dernier maillon) des couches ``nn.Linear`` du modèle : les cibles possibles de LoRA."""
    return sorted({name.rsplit(".", 1)[-1] for name, module in model.named_modules()
                   if isinstance(module, torch.nn.Linear)})


def encoder_linear_names(model, head="qa_outputs"):
    """Noms courts des couches linéaires de l'encodeur, sans la tête : toutes les cibles « denses » de LoRA.

    BERT : ``dense``, ``key``, ``query``, ``value`` ; DistilBERT : ``k_lin``, ``lin1``, ``lin2``, ``out_lin``,
    ``q_lin``, ``v_lin``.
    """
    return [name for name in linear_module_names(model) if name != head]


def lora_config(model, r=8, alpha=16, dropout=0.1, targets=None):
    """``LoraConfig`` de question-réponse pour ``model`` : rang ``r``, facteur ``alpha / r``, couches ``targets``.

    Sans ``targets``, LoRA vise les projections requête et valeur de l'attention de l'architecture.
    ``task_type=QUESTION_ANS`` fait entraîner aussi la tête ``qa_outputs`` (neuve, donc aléatoire) : sans
    lui, elle resterait figée à ses poids tirés au hasard.
    """
    from peft import LoraConfig, TaskType

    if targets is None:
        model_type = model.config.model_type
        if model_type not in ATTENTION_PROJECTIONS:
            raise ValueError(
                f"Architecture « {model_type} » inconnue de lora_config : choisissez les couches à adapter avec "
                f"targets=[...], parmi les couches linéaires du modèle : {', '.join(linear_module_names(model))}.")
        targets = ATTENTION_PROJECTIONS[model_type]
    return LoraConfig(task_type=TaskType.QUESTION_ANS, r=r, lora_alpha=alpha, lora_dropout=dropout,
                      target_modules=list(targets))


def load_4bit(model_id_or_path, head="qa_outputs", model_class=None, **options):
    """Modèle chargé en 4 bits NF4 (QLoRA) par bitsandbytes, sa tête ``head`` restée en pleine précision.

    Double quantification (les constantes d'échelle sont quantifiées à leur tour) ; calculs en bf16 sur un
    GPU qui le gère, en fp16 sur les autres GPU, en fp32 sur CPU. La tête reste hors de la
    quantification : peft l'entraîne en entier (``modules_to_save``), ce qu'il ne sait pas faire d'une
    couche 4 bits. ``options`` va à ``from_pretrained`` (par exemple ``profile.model_options(...)``).
    """
    from transformers import AutoModelForQuestionAnswering, BitsAndBytesConfig

    bf16, fp16 = mixed_precision()
    compute_dtype = torch.bfloat16 if bf16 else torch.float16 if fp16 else torch.float32
    config = BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_use_double_quant=True,
                                bnb_4bit_compute_dtype=compute_dtype, llm_int8_skip_modules=[head])
    try:
        import bitsandbytes  # noqa: F401 — vérifie qu'il est installé et se charge sur cette machine
    except (ImportError, RuntimeError) as error:
        raise RuntimeError(
            "bitsandbytes ne peut pas se charger sur cette machine, donc pas de QLoRA ici : installez-le "
            "(pip install bitsandbytes, version 0.47 ou plus pour le CPU), ou sautez la partie QLoRA.") from error
    model_class = model_class or AutoModelForQuestionAnswering
    return model_class.from_pretrained(model_id_or_path, quantization_config=config,
                                       device_map={"": 0} if torch.cuda.is_available() else None, **options)


def model_memory(model):
    """Octets occupés par les paramètres et les tampons du modèle (après une quantification 4 bits aussi)."""
    return model.get_memory_footprint()


def folder_size(path):
    """Taille totale, en octets, des fichiers d'un dossier (un modèle ou un adaptateur sauvegardé)."""
    from pathlib import Path

    return sum(file.stat().st_size for file in Path(path).rglob("*") if file.is_file())
