"""Des caractères aux tokens : étiquetage des réponses de SQuAD pour l'entraînement et l'évaluation.

La réponse est donnée en caractères (``answer_start``), le modèle prédit des positions de tokens :
l'*offset mapping* (les décalages) fait le pont. Le contexte est repéré avec ``sequence_ids()`` et
jamais avec ``token_type_ids``, absents chez DistilBERT : le code vaut pour BERT, DistilBERT et RoBERTa.
"""

CONTEXT = 1  # valeur de sequence_ids() pour les tokens du contexte (la question vaut 0)


def label_span(offsets, sequence_ids, start_char, end_char, cls_index=0):
    """Positions (début, fin) des tokens de la réponse dans une fenêtre.

    ``offsets`` donne pour chaque token l'intervalle ``[début, fin)`` qu'il occupe dans le contexte et
    ``sequence_ids`` vaut 1 sur les tokens du contexte. Le token de début est le dernier token du
    contexte qui commence au plus tard à ``start_char`` ; le token de fin, le premier qui finit au plus
    tôt à ``end_char``.

    Renvoie ``(cls_index, cls_index)`` si la fenêtre ne contient pas toute la réponse :
    le modèle apprend alors à « répondre » par le token [CLS].
    """
    context = [i for i, sequence in enumerate(sequence_ids) if sequence == CONTEXT]
    if not context:
        return cls_index, cls_index
    first, last = context[0], context[-1]
    if not (offsets[first][0] <= start_char and end_char <= offsets[last][1]):
        return cls_index, cls_index
    start = max(i for i in context if offsets[i][0] <= start_char)
    end = min(i for i in context if offsets[i][1] >= end_char)
    return start, end


def _example_name(examples, i):
    ids = examples.get("id")
    return f"« {ids[i]} »" if ids else f"n° {i}"


def check_examples(examples, questions, tokenizer, max_length, stride):
    """Refuse, avec un message en français, les exemples qui donneraient des fenêtres fausses ou impossibles."""
    room = max_length - tokenizer.num_special_tokens_to_add(pair=True)
    lengths = [len(ids) for ids in tokenizer(questions, add_special_tokens=False)["input_ids"]]
    for i, (question, context, length) in enumerate(zip(questions, examples["context"], lengths)):
        name = _example_name(examples, i)
        if not question.strip():
            raise ValueError(f"Exemple {name} : la question est vide. Corrigez-la ou retirez l'exemple.")
        if not context.strip():
            raise ValueError(f"Exemple {name} : le contexte est vide. Corrigez-le ou retirez l'exemple.")
        if room - length <= stride:
            raise ValueError(
                f"Exemple {name} : la question fait {length} tokens ; avec max_length={max_length} et "
                f"stride={stride}, il ne reste pas de place pour le contexte. Augmentez max_length, "
                "diminuez stride ou raccourcissez la question.")


def check_answers(examples):
    """Vérifie que chaque ``answer_start`` pointe bien sur le texte de sa réponse."""
    for i, (context, answers) in enumerate(zip(examples["context"], examples["answers"])):
        for text, start in zip(answers["text"], answers["answer_start"]):
            found = context[start:start + len(text)]
            if found != text:
                raise ValueError(
                    f"Exemple {_example_name(examples, i)} : answer_start={start} ne pointe pas sur la "
                    f"réponse « {text} » (le contexte contient « {found} » à cet endroit). Le contexte "
                    "a-t-il été modifié (strip, nettoyage) sans décaler answer_start ? Corrigez "
                    "answer_start ou retirez l'exemple.")


def _tokenize(examples, tokenizer, max_length, stride):
    # Les espaces en tête de question ne servent à rien et prendraient la place du contexte
    questions = [q.lstrip() for q in examples["question"]]
    check_examples(examples, questions, tokenizer, max_length, stride)
    return tokenizer(
        questions,
        examples["context"],
        truncation="only_second",  # seul le contexte est coupé, jamais la question
        max_length=max_length,
        stride=stride,  # chevauchement entre deux fenêtres successives
        return_overflowing_tokens=True,  # une fenêtre de plus pour chaque débordement
        return_offsets_mapping=True,
    )


def _cls_index(input_ids, tokenizer):
    """Position du token [CLS] (ou <s> chez RoBERTa) qui sert de réponse « pas de réponse »."""
    return input_ids.index(tokenizer.cls_token_id) if tokenizer.cls_token_id in input_ids else 0


def prepare_train_features(examples, tokenizer, max_length=384, stride=128):
    """Transforme un lot d'exemples SQuAD en fenêtres étiquetées ``start_positions``/``end_positions``.

    À utiliser avec ``Dataset.map(batched=True, remove_columns=...)`` : un exemple long donne plusieurs
    fenêtres. Une fenêtre qui ne contient pas toute la réponse, ou une question sans réponse
    (SQuAD v2), est étiquetée sur [CLS]. Pas de remplissage ici : le *data collator* complète chaque lot.
    """
    check_answers(examples)
    encoding = _tokenize(examples, tokenizer, max_length, stride)
    sample_map = encoding.pop("overflow_to_sample_mapping")
    offset_mapping = encoding.pop("offset_mapping")
    starts, ends = [], []
    for i, (sample, offsets) in enumerate(zip(sample_map, offset_mapping)):
        answers = examples["answers"][sample]
        cls_index = _cls_index(encoding["input_ids"][i], tokenizer)
        if answers["answer_start"]:
            start_char = answers["answer_start"][0]
            end_char = start_char + len(answers["text"][0])
            start, end = label_span(offsets, encoding.sequence_ids(i), start_char, end_char, cls_index)
        else:
            start, end = cls_index, cls_index
        starts.append(start)
        ends.append(end)
    encoding["start_positions"] = starts
    encoding["end_positions"] = ends
    return dict(encoding)


def prepare_eval_features(examples, tokenizer, max_length=384, stride=128):
    """Fenêtres d'évaluation : garde ``example_id`` et les décalages, mis à ``None`` hors du contexte.

    Le post-traitement s'en sert pour retrouver, dans le texte d'origine, la réponse prédite par
    chaque fenêtre, et pour ne jamais répondre par un morceau de la question.
    """
    encoding = _tokenize(examples, tokenizer, max_length, stride)
    sample_map = encoding.pop("overflow_to_sample_mapping")
    encoding["example_id"] = [examples["id"][sample] for sample in sample_map]
    encoding["offset_mapping"] = [
        [offset if sequence == CONTEXT else None for offset, sequence in zip(offsets, encoding.sequence_ids(i))]
        for i, offsets in enumerate(encoding["offset_mapping"])
    ]
    return dict(encoding)
