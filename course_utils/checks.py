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


# Fenêtre coupée : le contexte s'arrête après « shrine » (la suite est dans la fenêtre d'après)
_CUT = _SEQUENCE_IDS[:10] + [None] * 11

# Un token de la question occupe les mêmes caractères (19, 25) que « shrine » dans le contexte
_QUESTION_TRAP = [(0, 0), (19, 25)] + _OFFSETS[2:]

LABEL_SPAN_CASES = [
    Case("réponse d'un seul token (« shrine »)", _window(19, 25), (9, 9),
         "cherchez le token du contexte dont l'intervalle [début, fin) contient le premier caractère."),
    Case("réponse de plusieurs tokens (« the shrine »)", _window(15, 25), (8, 9),
         "le token de fin est celui dont l'intervalle contient le dernier caractère (fin_car - 1)."),
    Case("frontière : « 1858 » collé à la parenthèse « ( »", _window(27, 31), (11, 11),
         "le token « ( » finit au caractère 27 : avec « a <= debut_car <= b », il est choisi à tort. "
         "Utilisez une inégalité stricte d'un côté : a <= debut_car < b."),
    Case("sous-mots : « apparitions » = « app » + « ##ari » + « ##tions »", _window(32, 43), (12, 14),
         "un mot peut être découpé en plusieurs sous-mots « ## » : la réponse va du premier au dernier."),
    Case("sous-mots : « Lourdes » = « lou » + « ##rdes »", _window(48, 55), (17, 18),
         "la réponse peut commencer et finir dans deux tokens différents : cherchez le début et la fin séparément."),
    Case("la question contient le même intervalle de caractères", _window(19, 25, _QUESTION_TRAP), (9, 9),
         "les décalages de la question comptent aussi depuis 0 : ne cherchez que parmi les tokens "
         "dont sequence_ids vaut 1 (le contexte)."),
    Case("réponse coupée par la fin de la fenêtre (« (1858 apparitions) »)", _window(26, 44, _OFFSETS, _CUT),
         (0, 0), "si la fenêtre ne contient pas toute la réponse, renvoyez (cls_index, cls_index)."),
    Case("réponse entièrement hors de la fenêtre (« Lourdes »)", _window(48, 55, _OFFSETS, _CUT), (0, 0),
         "comparez la réponse au premier et au dernier token du contexte de la fenêtre."),
    Case("pas de réponse dans la fenêtre, [CLS] ailleurs qu'en 0", _window(48, 55, _OFFSETS, _CUT, cls_index=3),
         (3, 3), "utilisez le paramètre cls_index au lieu d'écrire 0 en dur."),
]


def verifier_label_span(label_span):
    """Vérifie une fonction ``label_span(offsets, sequence_ids, start_char, end_char, cls_index=0)`` d'étudiant."""
    run_cases(label_span, LABEL_SPAN_CASES)
