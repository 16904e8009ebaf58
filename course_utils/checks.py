"""Correcteurs d'exercices : ils lancent la fonction de l'étudiant sur des cas choisis et commentent en français."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    """Un cas de test : son nom, ses arguments, la réponse attendue et un indice si elle est fausse."""

    name: str
    kwargs: dict
    expected: object
    hint: str


def run_cases(function, cases):
    """Lance ``function`` sur chaque cas, affiche ✅ ou ❌ avec un indice, et lève une erreur s'il y a un échec."""
    failures = 0
    for case in cases:
        try:
            result = function(**case.kwargs)
        except NotImplementedError:
            print(f"⏳ {case.name} : la fonction n'est pas encore écrite (NotImplementedError).")
            failures += 1
            continue
        except Exception as error:  # noqa: BLE001 — toute erreur de l'étudiant devient un retour lisible
            print(f"❌ {case.name} : la fonction a levé {type(error).__name__} : {error}\n   Indice : {case.hint}")
            failures += 1
            continue
        if _same(result, case.expected):
            print(f"✅ {case.name}")
        else:
            print(f"❌ {case.name} : attendu {case.expected!r}, obtenu {result!r}.\n   Indice : {case.hint}")
            failures += 1
    if failures:
        raise AssertionError(f"{failures} cas sur {len(cases)} à revoir : lisez les indices ci-dessus.")
    print(f"Bravo : les {len(cases)} cas passent.")


def _same(result, expected):
    if isinstance(expected, float):
        return isinstance(result, (int, float)) and abs(result - expected) < 1e-6
    if isinstance(expected, tuple):
        return isinstance(result, (tuple, list)) and tuple(int(x) for x in result) == expected
    return result == expected


# Fenêtre du vrai tokenizer : « [CLS] where was it ? [SEP] <contexte> [SEP] », contexte :
# « Pilgrims reach the shrine (1858 apparitions) at Lourdes. »
_TOKENS = ["[CLS]", "where", "was", "it", "?", "[SEP]", "pilgrims", "reach", "the", "shrine", "(", "1858",
           "app", "##ari", "##tions", ")", "at", "lou", "##rdes", ".", "[SEP]"]
_OFFSETS = [(0, 0), (0, 5), (6, 9), (10, 12), (12, 13), (0, 0), (0, 8), (9, 14), (15, 18), (19, 25), (26, 27),
            (27, 31), (32, 35), (35, 38), (38, 43), (43, 44), (45, 47), (48, 51), (51, 55), (55, 56), (0, 0)]
_SEQUENCE_IDS = [None, 0, 0, 0, 0, None] + [1] * 14 + [None]


def _window(start_char, end_char, offsets=_OFFSETS, sequence_ids=_SEQUENCE_IDS, cls_index=0):
    return {"offsets": offsets, "sequence_ids": sequence_ids, "start_char": start_char, "end_char": end_char,
            "cls_index": cls_index}


# Fenêtre coupée après « shrine » : « [CLS] where was it ? [SEP] pilgrims reach the shrine [SEP] »
_END_CUT = {"offsets": _OFFSETS[:10] + [(0, 0)], "sequence_ids": _SEQUENCE_IDS[:10] + [None]}
# Fenêtre suivante, qui commence à « 1858 » : « [CLS] where was it ? [SEP] 1858 app … lou ##rdes . [SEP] »
_START_CUT = {"offsets": _OFFSETS[:6] + _OFFSETS[11:], "sequence_ids": _SEQUENCE_IDS[:6] + [1] * 9 + [None]}

# Un token de la question occupe les mêmes caractères (19, 25) que « shrine » dans le contexte
_QUESTION_TRAP = [(0, 0), (19, 25)] + _OFFSETS[2:]

_OUTSIDE_HINT = ("si la fenêtre ne contient pas toute la réponse, renvoyez (cls_index, cls_index) : exigez "
                 "premier token du contexte <= start_char et end_char <= fin du dernier token du contexte.")

LABEL_SPAN_CASES = [
    Case("réponse d'un seul token (« shrine »)", _window(19, 25), (9, 9),
         "cherchez le token du contexte dont l'intervalle [début, fin) contient le premier caractère."),
    Case("réponse de plusieurs tokens (« the shrine »)", _window(15, 25), (8, 9),
         "le token de fin est celui dont l'intervalle contient le dernier caractère (end_char - 1)."),
    Case("frontière : « 1858 » collé à la parenthèse « ( »", _window(27, 31), (11, 11),
         "le token « ( » finit au caractère 27 : avec « a <= start_char <= b », il est choisi à tort. "
         "Utilisez une inégalité stricte d'un côté : a <= start_char < b."),
    Case("sous-mots : « apparitions » = « app » + « ##ari » + « ##tions », suivi de « ) » collé", _window(32, 43),
         (12, 14), "un mot peut être découpé en sous-mots « ## » : la réponse va du premier au dernier. Pour la fin, "
         "la parenthèse « ) » commence au caractère 43 = end_char : le token de fin vérifie a < end_char <= b."),
    Case("sous-mots : « Lourdes » = « lou » + « ##rdes »", _window(48, 55), (17, 18),
         "la réponse peut commencer et finir dans deux tokens différents : cherchez le début et la fin séparément."),
    Case("la réponse commence au milieu d'un token (« ourdes »)", _window(49, 55), (17, 18),
         "ne cherchez pas un token qui commence exactement à start_char : prenez celui qui contient ce caractère."),
    Case("la réponse finit au milieu d'un token (« Lourd »)", _window(48, 53), (17, 18),
         "ne cherchez pas un token qui finit exactement à end_char : prenez celui qui contient le dernier caractère."),
    Case("la question contient le même intervalle de caractères", _window(19, 25, _QUESTION_TRAP), (9, 9),
         "les décalages de la question comptent aussi depuis 0 : ne cherchez que parmi les tokens "
         "dont sequence_ids vaut 1 (le contexte)."),
    Case("la réponse est le dernier token de contexte de la fenêtre (« shrine »)", {**_window(19, 25), **_END_CUT},
         (9, 9), "le token après le contexte est [SEP], de décalages (0, 0) : une boucle while qui avance tant que "
         "a <= start_char le dépasse. Ne cherchez que parmi les tokens du contexte."),
    Case("réponse coupée par la fin de la fenêtre (« the shrine (1858 apparitions) »)",
         {**_window(15, 44), **_END_CUT}, (0, 0),
         "la fenêtre ne contient qu'un morceau de la réponse : l'étiqueter apprendrait une demi-réponse au modèle. "
         + _OUTSIDE_HINT),
    Case("réponse coupée par le début de la fenêtre (« shrine (1858 »)", {**_window(19, 31), **_START_CUT}, (0, 0),
         "la réponse commence avant le premier token de contexte de cette fenêtre. " + _OUTSIDE_HINT),
    Case("réponse entièrement hors de la fenêtre (« Lourdes »)", {**_window(48, 55), **_END_CUT}, (0, 0),
         _OUTSIDE_HINT),
    Case("pas de réponse dans la fenêtre, [CLS] ailleurs qu'en 0", {**_window(48, 55, cls_index=3), **_END_CUT},
         (3, 3), "utilisez le paramètre cls_index au lieu d'écrire 0 en dur."),
]


def verifier_label_span(label_span):
    """Vérifie une fonction ``label_span(offsets, sequence_ids, start_char, end_char, cls_index=0)`` d'étudiant."""
    run_cases(label_span, LABEL_SPAN_CASES)


# --- Post-traitement d'une fenêtre : meilleur span -> texte ---
# Fenêtre : « [CLS] who ? [SEP] marie curie won in 1911 . [SEP] » ; contexte « Marie Curie won in 1911. »
_PP_CONTEXT = "Marie Curie won in 1911."
_PP_OFFSETS = [None, None, None, None, (0, 5), (6, 11), (12, 15), (16, 18), (19, 23), (23, 24), None]


def _logits(**peaks):
    """11 logits nuls sauf aux positions données : ``_logits(p4=3.0)``."""
    values = [0.0] * len(_PP_OFFSETS)
    for name, value in peaks.items():
        values[int(name[1:])] = value
    return values


def _pp(start, end, **options):
    return {"start_logits": start, "end_logits": end, "offsets": _PP_OFFSETS, "context": _PP_CONTEXT, **options}


BEST_SPAN_CASES = [
    Case("le cas simple : meilleur début et meilleure fin", _pp(_logits(p4=5), _logits(p5=5)), "Marie Curie",
         "additionnez le logit de début et le logit de fin, et gardez le couple de plus grand score ; "
         "le texte se lit dans le contexte avec les décalages."),
    Case("la fin la plus probable est avant le début", _pp(_logits(p8=6, p4=1), _logits(p5=7, p8=3)), "1911",
         "un span dont la fin précède le début est impossible : écartez-le et prenez le meilleur span valide."),
    Case("le meilleur score tombe sur la question ou [CLS]", _pp(_logits(p0=9, p2=8, p6=3), _logits(p0=9, p2=8, p6=2)),
         "won", "les tokens dont le décalage vaut None (question, tokens spéciaux) ne sont jamais une réponse."),
    Case("span trop long", _pp(_logits(p4=4, p7=3), _logits(p9=5, p7=3), max_answer_length=2), "in",
         "un span de fin - début + 1 tokens au-delà de max_answer_length est écarté."),
    Case("span de max_answer_length + 1 tokens", _pp(_logits(p4=6, p5=0.5), _logits(p7=6, p6=1), max_answer_length=3),
         "Marie Curie won", "un span compte fin - début + 1 tokens : « Marie Curie won in » (4 tokens) dépasse "
         "max_answer_length=3, « Marie Curie won » (3 tokens) est permis. Attention à l'erreur d'une unité."),
    Case("seuls les n meilleurs débuts et fins sont essayés (ici, aucun couple valide)",
         _pp(_logits(p8=3, p6=2), _logits(p5=4, p6=1), n_best=1), "",
         "ne combinez que les n_best meilleurs débuts avec les n_best meilleures fins ; si aucun couple "
         "n'est valide, renvoyez la chaîne vide."),
    Case("logits plus longs que la fenêtre (remplissage du lot)", _pp(_logits(p7=4) + [9.0, 9.0], _logits(p8=4) + [9.0, 9.0]),
         "in 1911", "les positions au-delà de len(offsets) viennent du remplissage du lot : ignorez-les."),
]


def verifier_best_span(best_span):
    """Vérifie ``best_span(start_logits, end_logits, offsets, context, n_best=20, max_answer_length=30)``."""
    run_cases(best_span, BEST_SPAN_CASES)


F1_CASES = [
    Case("réponses identiques", {"prediction": "Denver Broncos", "reference": "Denver Broncos"}, 1.0,
         "deux réponses identiques ont un F1 de 1."),
    Case("normalisation : casse, articles, ponctuation", {"prediction": "the Denver Broncos!", "reference": "denver broncos"},
         1.0, "normalisez d'abord : minuscules, sans ponctuation, sans les articles a/an/the, espaces réduits."),
    Case("recouvrement partiel", {"prediction": "Denver Broncos won", "reference": "Denver Broncos"}, 0.8,
         "précision = communs / mots prédits, rappel = communs / mots attendus, F1 = 2PR / (P + R) ; "
         "le F1 compte des mots, pas des caractères."),
    Case("aucun mot commun", {"prediction": "Carolina Panthers", "reference": "Denver Broncos"}, 0.0,
         "sans mot commun, le F1 vaut 0 (attention à la division par zéro)."),
    Case("un mot répété dans la prédiction", {"prediction": "new new york", "reference": "new york"}, 0.8,
         "un mot compte autant de fois qu'il apparaît des deux côtés, au plus : « new » n'est commun "
         "qu'une fois. Utilisez l'intersection de deux Counter."),
    Case("un mot répété des deux côtés", {"prediction": "new new york", "reference": "new new york city"}, 6 / 7,
         "ici « new » est commun deux fois : 3 mots communs, P = 3/3, R = 3/4. Avec des ensembles (set), on "
         "n'en compte que 2 ; comptez les répétitions avec l'intersection de Counter, pas d'ensembles."),
    Case("le trait d'union disparaît sans laisser d'espace", {"prediction": "Saint-Etienne", "reference": "Saint Etienne"},
         0.0, "la normalisation officielle supprime la ponctuation sans la remplacer : « saint-etienne » devient "
         "« saintetienne », un seul mot, qui n'est pas dans la référence."),
    Case("prédiction vide", {"prediction": "", "reference": "1858"}, 0.0,
         "une prédiction vide n'a aucun mot commun avec la référence."),
]


def verifier_f1(f1):
    """Vérifie ``f1(prediction, reference)`` : le F1 de SQuAD sur les mots normalisés."""
    run_cases(f1, F1_CASES)


# --- Exercice 03 : configurer LoRA pour une architecture donnée ---

def tiny_qa_model(architecture):
    """Petit modèle de question-réponse aléatoire (rien n'est téléchargé) : ``bert``, ``distilbert`` ou ``roberta``."""
    from transformers import (BertConfig, BertForQuestionAnswering, DistilBertConfig, DistilBertForQuestionAnswering,
                              RobertaConfig, RobertaForQuestionAnswering)

    if architecture == "distilbert":
        return DistilBertForQuestionAnswering(DistilBertConfig(n_layers=2, dim=32, hidden_dim=64, n_heads=2, vocab_size=100))
    config = dict(num_hidden_layers=2, hidden_size=32, intermediate_size=64, num_attention_heads=2, vocab_size=100)
    if architecture == "roberta":
        return RobertaForQuestionAnswering(RobertaConfig(**config, max_position_embeddings=66))
    return BertForQuestionAnswering(BertConfig(**config))


ATTENTION_QUERY_VALUE = {"bert": {"query", "value"}, "roberta": {"query", "value"}, "distilbert": {"q_lin", "v_lin"}}
LORA_CASES = [("bert", 8), ("distilbert", 8), ("roberta", 4)]


def _lora_problem(config, architecture, r):
    """Ce qui ne va pas dans la ``LoraConfig`` d'un étudiant pour ``architecture`` et le rang ``r`` (``None`` si rien)."""
    import torch
    from peft import LoraConfig, PeftModel, TaskType, get_peft_model

    if isinstance(config, (PeftModel, torch.nn.Module)):
        return ("la fonction doit rendre la configuration (LoraConfig), pas le modèle : ne l'appliquez pas "
                "vous-même avec get_peft_model (appliquée deux fois, elle empile deux adaptateurs).")
    if not isinstance(config, LoraConfig):
        return f"la fonction doit rendre une LoraConfig, pas un objet de type {type(config).__name__}."
    if config.task_type != TaskType.QUESTION_ANS:
        return ("sans task_type=TaskType.QUESTION_ANS (ou \"QUESTION_ANS\"), peft ne sait pas que la tête qa_outputs "
                "est neuve : elle reste gelée à ses poids aléatoires, et le modèle n'apprend rien de bon.")
    if config.target_modules == "all-linear":
        return ("« all-linear » vise aussi la tête qa_outputs, qui devient une couche LoRA : peft ne peut plus "
                "l'entraîner en entier. Nommez les projections de l'attention.")
    model = tiny_qa_model(architecture)
    try:
        peft_model = get_peft_model(model, config)
    except ValueError:
        return ("ces couches n'existent pas dans ce modèle : les noms dépendent de l'architecture (listez-les avec "
                "named_modules() ; BERT et RoBERTa : query, value ; DistilBERT : q_lin, v_lin).")
    adapted = {name.rsplit(".", 2)[-2] for name, _ in peft_model.named_modules() if name.endswith("lora_A")}
    expected = ATTENTION_QUERY_VALUE[architecture]
    if adapted != expected:
        return (f"LoRA doit viser la requête et la valeur de l'attention ({', '.join(sorted(expected))}) ; "
                f"votre configuration vise : {', '.join(sorted(adapted))}.")
    if config.r != r:
        return f"le rang demandé est r={r} (paramètre de la fonction), et non r={config.r} : ne l'écrivez pas en dur."
    if config.lora_alpha != 2 * r:
        return f"lora_alpha doit valoir 2 × r = {2 * r} (ici {config.lora_alpha}) : le facteur d'échelle est alpha / r = 2."
    head = peft_model.base_model.model.qa_outputs
    before = [p.detach().clone() for p in head.parameters()]
    optimizer = torch.optim.SGD([p for p in peft_model.parameters() if p.requires_grad], lr=0.1)
    ids = torch.randint(5, 100, (2, 12))
    peft_model(input_ids=ids, attention_mask=torch.ones_like(ids), start_positions=torch.tensor([1, 2]),
               end_positions=torch.tensor([3, 4])).loss.backward()
    optimizer.step()
    if all(torch.equal(a, b.detach()) for a, b in zip(before, head.parameters())):
        return "la tête qa_outputs ne s'est pas entraînée : vérifiez task_type."
    return None


def verifier_lora_config(configurer_lora):
    """Vérifie ``configurer_lora(model, r=8)`` : une ``LoraConfig`` de question-réponse pour l'architecture du modèle."""
    import warnings

    from .training import count_parameters

    # peft appelle une propriété de transformers renommée en version 5 : avertissement sans conséquence
    warnings.filterwarnings("ignore", message="`is_gradient_checkpointing` is deprecated")
    failures = 0
    for architecture, r in LORA_CASES:
        name = f"{architecture}, r={r}"
        try:
            problem = _lora_problem(configurer_lora(tiny_qa_model(architecture), r=r), architecture, r)
        except NotImplementedError:
            print(f"⏳ {name} : la fonction n'est pas encore écrite (NotImplementedError).")
            failures += 1
            continue
        except Exception as error:  # noqa: BLE001 — toute erreur de l'étudiant devient un retour lisible
            problem = f"la fonction a levé {type(error).__name__} : {error}"
        if problem:
            print(f"❌ {name} : {problem}")
            failures += 1
        else:
            from peft import get_peft_model

            trainable, total = count_parameters(get_peft_model(tiny_qa_model(architecture),
                                                               configurer_lora(tiny_qa_model(architecture), r=r)))
            print(f"✅ {name} : {trainable} paramètres entraînables sur {total}, tête comprise")
    if failures:
        raise AssertionError(f"{failures} cas sur {len(LORA_CASES)} à revoir : lisez les indices ci-dessus.")
    print(f"Bravo : les {len(LORA_CASES)} cas passent.")


# --- Exercice 04 : préparer SNLI et calculer les métriques ---

_NLI_ROWS = [
    ("A man is playing a guitar on a crowded stage.", "A man is making music.", 0),
    ("Two dogs run through the snow.", "The dogs are sleeping.", 2),
    ("A woman reads a book in a park.", "The woman is a teacher.", -1),
    ("Kids splash in a fountain.", "Children are in the water on a hot day.", 1),
    ("A cook slices onions.", "Someone is cooking.", -1),
    ("An old man fishes from a small wooden boat on a quiet lake at dawn.", "A man is on a boat.", 0),
]


def nli_sample():
    """Six paires au schéma de SNLI, dont deux sans étiquette (-1), de longueurs variées."""
    from datasets import ClassLabel, Dataset, Features, Value

    features = Features({"premise": Value("string"), "hypothesis": Value("string"),
                         "label": ClassLabel(names=["entailment", "neutral", "contradiction"])})
    premises, hypotheses, labels = zip(*_NLI_ROWS)
    return Dataset.from_dict({"premise": premises, "hypothesis": hypotheses, "label": labels}, features=features)


def _preparation_problem(prepared, tokenizer):
    """Ce qui ne va pas dans un jeu préparé par un étudiant (``None`` si rien)."""
    from datasets import Dataset

    if not isinstance(prepared, Dataset):
        return f"la fonction doit rendre un Dataset (celui de map), pas un objet de type {type(prepared).__name__}."
    if "label" not in prepared.column_names:
        return "la colonne label a disparu : le Trainer en a besoin pour la perte (ne la retirez pas dans map)."
    labels = list(prepared["label"])
    if -1 in labels:
        return ("des paires d'étiquette -1 restent : elles n'ont pas d'étiquette de référence, et l'entropie croisée "
                "ne sait pas les traiter (erreur, ou classe fantôme). Filtrez-les avec filter(label != -1).")
    kept = [row for row in _NLI_ROWS if row[2] != -1]
    if labels != [row[2] for row in kept]:
        return "seules les paires d'étiquette -1 doivent disparaître, dans l'ordre d'origine."
    if "input_ids" not in prepared.column_names:
        return "il manque input_ids : appliquez le tokenizer avec map(batched=True)."
    ids = list(prepared["input_ids"])
    expected = [tokenizer(p, h)["input_ids"] for p, h, _ in kept]
    if ids == expected:
        return None
    if len({len(x) for x in ids}) == 1 and tokenizer.pad_token_id in ids[0]:
        return ("toutes les paires ont la même longueur, complétée par des [PAD] : ne remplissez pas au "
                "prétraitement (pas de padding='max_length') ; DataCollatorWithPadding complète chaque lot.")
    if ids == [tokenizer(h, p)["input_ids"] for p, h, _ in kept]:
        return "la prémisse vient en premier, l'hypothèse en second : tokenizer(premise, hypothesis)."
    if ids == [tokenizer(h)["input_ids"] for _, h, _ in kept]:
        return "le modèle doit voir la paire, pas l'hypothèse seule : tokenizer(premise, hypothesis)."
    if ids == [tokenizer(p + " " + h)["input_ids"] for p, h, _ in kept]:
        return ("donnez les deux textes séparément au tokenizer, pas concaténés : il place alors [SEP] entre eux "
                "et marque chaque segment (token_type_ids pour BERT).")
    return "les input_ids ne sont pas ceux de tokenizer(premise, hypothesis, truncation=True) pour chaque paire."


def _report(results, total):
    failures = sum(problem is not None for _, problem in results)
    for name, problem in results:
        print(f"✅ {name}" if problem is None else f"❌ {name} : {problem}")
    if failures:
        raise AssertionError(f"{failures} cas sur {total} à revoir : lisez les indices ci-dessus.")
    print(f"Bravo : les {total} cas passent.")


def _attempt(function, *args):
    """Lance la fonction de l'étudiant ; rend ``(résultat, problème)``."""
    try:
        return function(*args), None
    except NotImplementedError:
        return None, "la fonction n'est pas encore écrite (NotImplementedError)."
    except Exception as error:  # noqa: BLE001 — toute erreur de l'étudiant devient un retour lisible
        return None, f"la fonction a levé {type(error).__name__} : {error}"


def verifier_preparation(preparer, tokenizer):
    """Vérifie ``preparer(donnees, tokenizer)`` : paires -1 retirées, paires tokenisées sans remplissage."""
    prepared, problem = _attempt(preparer, nli_sample(), tokenizer)
    _report([("préparation de six paires SNLI (dont deux -1)", problem or _preparation_problem(prepared, tokenizer))], 1)


def _metrics_cases():
    """(nom, logits, étiquettes) : des classes déséquilibrées, pour que macro-F1 et exactitude diffèrent."""
    import numpy as np

    rng = np.random.default_rng(0)
    labels = np.array([0, 0, 0, 0, 0, 0, 1, 1, 2, 2])
    predicted = np.array([0, 0, 0, 0, 0, 1, 1, 0, 2, 1])
    logits = rng.normal(size=(len(labels), 3))
    logits[np.arange(len(labels)), predicted] += 5  # la classe prédite a le plus grand logit
    logits -= 3  # des logits négatifs : ni des probabilités, ni des classes
    return [("dix paires, classes déséquilibrées", logits, labels),
            ("trois paires, toutes justes", np.eye(3)[[2, 0, 1]] * 4 - 1, np.array([2, 0, 1]))]


def _metrics_problem(result, logits, labels):
    from .metrics import classification_scores

    expected = classification_scores(logits.argmax(axis=-1), labels, ["entailment", "neutral", "contradiction"])
    if not isinstance(result, dict) or not {"accuracy", "macro_f1"} <= set(result):
        return "compute_metrics doit rendre un dictionnaire avec les clés « accuracy » et « macro_f1 »."
    accuracy, macro = float(result["accuracy"]), float(result["macro_f1"])
    if abs(accuracy - expected["accuracy"]) > 1e-6:
        return (f"exactitude {accuracy:.3f} au lieu de {expected['accuracy']:.3f} : les prédictions sont des logits, "
                "une ligne de trois scores par paire ; la classe prédite est leur argmax (axis=-1).")
    if abs(macro - expected["macro_f1"]) > 1e-6:
        if abs(macro - accuracy) < 1e-6:
            return ("votre F1 est l'exactitude (F1 « micro ») : le F1 macro est la moyenne des F1 de chaque classe, "
                    "qui pèse autant une classe rare qu'une classe fréquente.")
        return (f"F1 macro {macro:.3f} au lieu de {expected['macro_f1']:.3f} : F1 de chaque classe = 2 VP / (prédits + "
                "vrais), puis la moyenne simple des trois, sans pondérer par le nombre d'exemples.")
    return None


def verifier_compute_metrics(compute_metrics):
    """Vérifie ``compute_metrics(eval_pred)`` : exactitude et F1 macro à partir des logits du ``Trainer``."""
    from transformers import EvalPrediction

    results = []
    for name, logits, labels in _metrics_cases():
        result, problem = _attempt(compute_metrics, EvalPrediction(predictions=logits, label_ids=labels))
        results.append((name, problem or _metrics_problem(result, logits, labels)))
    _report(results, len(results))


# --- Exercice 05 : TriviaQA vers SQuAD pour un document, et le rappel@k ---

_QUESTION = {"question": "On which river does Cairo stand?", "question_id": "wh_1456"}
_FILLER = " ".join(["word"] * 30)


def _document(text, filename="Cairo.txt", title="Cairo"):
    return {"title": title, "filename": filename, "text": text}


def _expected(text, answer):
    """(début, texte) de la première occurrence de ``answer`` dans ``text``."""
    return text.index(answer), answer


_NILE = "Cairo, the capital of Egypt, stands on the river Nile near its delta."
_CASE = "CAIRO lies on the NILE. The Nile floods."
_ORDER = "The Nile, or river Nile, crosses Cairo."
CONVERSION_CASES = [
    ("l'alias apparaît tel quel", _document(_NILE), ["nile", "river nile"], 800, _expected(_NILE, "Nile")),
    ("sans tenir compte de la casse, texte lu dans le contexte", _document(_CASE), ["nile"], 800, _expected(_CASE, "NILE")),
    ("les alias sont essayés dans leur ordre", _document(_ORDER), ["river nile", "nile"], 800,
     _expected(_ORDER, "river Nile")),
    ("aucun alias dans le document", _document("Egypt is a country in north-east Africa.", "Egypt.txt", "Egypt"),
     ["nile"], 800, None),
    ("l'alias n'apparaît qu'après les max_mots premiers mots", _document(_FILLER + " then the Nile."), ["nile"], 20, None),
]


def _conversion_problem(row, document, aliases, max_words, expected):
    from .trivia import truncate

    keys = {"id", "title", "context", "question", "answers"}
    if not isinstance(row, dict) or set(row) != keys:
        return f"la ligne doit avoir exactement les colonnes de SQuAD : {', '.join(sorted(keys))}."
    if row["id"] != f"{_QUESTION['question_id']}--{document['filename']}":
        return "l'identifiant est « <question_id>--<fichier> », comme dans le script officiel : un par (question, document)."
    context = truncate(document["text"], max_words)
    if row["context"] != context:
        if row["context"].lower() == context.lower():
            return "ne mettez pas le contexte en minuscules : cherchez sans tenir compte de la casse, mais gardez le texte."
        if len(row["context"]) > len(context):
            return f"gardez seulement les {max_words} premiers mots du document (max_mots), comme le script officiel."
        return "le contexte doit être le début du document, inchangé, coupé après max_mots mots."
    answers = row["answers"]
    if not isinstance(answers, dict) or set(answers) != {"text", "answer_start"}:
        return "answers est un dictionnaire de deux listes : {'text': [...], 'answer_start': [...]}."
    if expected is None:
        if answers["text"] or answers["answer_start"]:
            return ("aucun alias n'est dans le contexte (coupé à max_mots) : answers doit être vide, "
                    "{'text': [], 'answer_start': []}, jamais une position au hasard.")
        return None
    if not answers["text"]:
        return ("un alias est dans le contexte : cherchez chaque alias normalisé, sans tenir compte de la casse "
                "(par exemple dans context.lower()).")
    start, text = answers["answer_start"][0], answers["text"][0]
    if context[start:start + len(text)] != text:
        return ("answer_start doit pointer sur le texte de la réponse : prenez ce texte dans le contexte "
                "(context[début:fin]), avec sa casse, pas l'alias normalisé.")
    if (start, text) != expected:
        return ("ce n'est pas l'occurrence attendue : essayez les alias dans l'ordre de la liste, et prenez la "
                "première occurrence du premier alias trouvé.")
    return None


def verifier_conversion(convertir_document):
    """Vérifie ``convertir_document(question, document, alias, max_mots=800)`` : une ligne SQuAD par document."""
    results = []
    for name, document, aliases, max_words, expected in CONVERSION_CASES:
        row, problem = _attempt(convertir_document, _QUESTION, document, aliases, max_words)
        results.append((name, problem or _conversion_problem(row, document, aliases, max_words, expected)))
    _report(results, len(results))


RECALL_CASES = [
    ("le document pertinent est premier", {"rankings": [["a", "b", "c"]], "relevant": [{"a"}], "k": 1}, 1.0),
    ("pertinent exactement au rang k", {"rankings": [["b", "c", "a"]], "relevant": [{"a"}], "k": 3}, 1.0),
    ("pertinent au rang k + 1", {"rankings": [["b", "c", "a"]], "relevant": [{"a"}], "k": 2}, 0.0),
    ("deux pertinents, un seul dans les k premiers", {"rankings": [["a", "x", "y", "b"]], "relevant": [{"a", "b"}], "k": 3},
     0.5),
    ("moyenne sur les requêtes",
     {"rankings": [["a", "b"], ["c", "d"], ["f", "e"], ["g", "h"]], "relevant": [{"a"}, {"d"}, {"e"}, {"z"}], "k": 1}, 0.25),
]

RECALL_HINTS = {
    "le document pertinent est premier": "comptez les documents pertinents parmi les k premiers du classement.",
    "pertinent exactement au rang k": "les k premiers sont ranking[:k] : le rang k est compris (attention à l'erreur d'une unité).",
    "pertinent au rang k + 1": "au-delà du rang k, un document ne compte pas : ranking[:k].",
    "deux pertinents, un seul dans les k premiers": ("le rappel divise par le nombre de documents pertinents, pas par k "
                                                      "(ce serait la précision@k), et ne vaut pas 1 dès qu'un seul est trouvé."),
    "moyenne sur les requêtes": "calculez le rappel de chaque requête, puis la moyenne sur toutes les requêtes.",
}


def verifier_recall_at_k(recall_at_k):
    """Vérifie ``recall_at_k(rankings, relevant, k)`` sur des classements écrits à la main."""
    run_cases(recall_at_k, [Case(name, kwargs, expected, RECALL_HINTS[name]) for name, kwargs, expected in RECALL_CASES])
