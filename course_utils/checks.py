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
