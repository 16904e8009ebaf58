"""Inférence en langage naturel (SNLI, leçon 04) : paires prémisse/hypothèse, étiquettes -1, tokenisation.

Une paire reçoit une étiquette parmi ``entailment`` (l'hypothèse découle de la prémisse), ``neutral`` (elle
est possible) et ``contradiction`` (elle est fausse). SNLI marque ``-1`` les paires sur lesquelles les
annotateurs ne se sont pas accordés : elles n'ont pas d'étiquette de référence.
"""

PAIR_COLUMNS = ("premise", "hypothesis", "label")


def check_columns(dataset, columns=PAIR_COLUMNS):
    """Erreur en français si une colonne attendue manque."""
    missing = [column for column in columns if column not in dataset.column_names]
    if missing:
        raise ValueError(f"Colonne(s) absente(s) : {', '.join(missing)} (colonnes présentes : "
                         f"{', '.join(dataset.column_names)}). Un jeu SNLI a les colonnes premise, hypothesis, label.")


def drop_unlabeled(dataset):
    """Retire les paires d'étiquette -1 (pas d'accord des annotateurs) et dit combien ; vérifie les autres."""
    check_columns(dataset, ("label",))
    names = getattr(dataset.features["label"], "names", None)
    if names is None:
        raise ValueError("La colonne label doit être une ClassLabel (les noms des classes, dans l'ordre du hub) : "
                         "chargez SNLI avec course_utils.data.load_snli, ou faites cast_column('label', ClassLabel(...)).")
    wrong = sorted({label for label in dataset["label"] if label != -1 and not 0 <= label < len(names)})
    if wrong:
        raise ValueError(f"Étiquette(s) {wrong} hors de la ClassLabel {names} (de 0 à {len(names) - 1}, ou -1 "
                         "pour « sans étiquette ») : corrigez les données avant l'entraînement.")
    kept = dataset.filter(lambda label: label != -1, input_columns="label")
    print(f"{len(dataset) - len(kept)} paire(s) sans étiquette (-1) retirée(s) sur {len(dataset)}")
    return kept


def prepare_pairs(examples, tokenizer, max_length=128, hypothesis_only=False):
    """Tokenise un lot de paires (``Dataset.map(batched=True)``), **sans remplissage** : le *data collator* s'en charge.

    La prémisse est le premier segment, l'hypothèse le second : ``[CLS] prémisse [SEP] hypothèse [SEP]``
    pour BERT, ``<s> prémisse </s></s> hypothèse </s>`` pour RoBERTa. Avec ``hypothesis_only``, seule
    l'hypothèse est donnée au modèle : c'est le modèle « sans prémisse » qui mesure les biais d'annotation.
    """
    missing = [column for column in ("premise", "hypothesis") if column not in examples]
    if missing:
        raise ValueError(f"Colonne(s) absente(s) du lot : {', '.join(missing)} ; attendu : premise et hypothesis.")
    if hypothesis_only:
        return tokenizer(examples["hypothesis"], truncation=True, max_length=max_length)
    return tokenizer(examples["premise"], examples["hypothesis"], truncation=True, max_length=max_length)
