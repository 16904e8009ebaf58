"""TriviaQA vers SQuAD par supervision distante, et nettoyage des réponses de Quora (leçon 05).

TriviaQA donne une question, les alias de sa réponse et des documents (pages Wikipédia, résultats web)
trouvés *après coup* : aucun ne marque où se trouve la réponse. Le script officiel
``convert_to_squad_format.py`` garde les 800 premiers tokens de chaque document et prend la première
occurrence, sans tenir compte de la casse, du premier alias normalisé qui y figure : c'est une
*supervision distante*, juste environ trois fois sur quatre selon les auteurs.
"""

import html
import re
import string

# Normalisation officielle de TriviaQA : comme celle de SQuAD, sauf que la ponctuation devient une espace
_PUNCTUATION = set(string.punctuation + "‘’´`")
_ARTICLES = re.compile(r"\b(a|an|the)\b")
SOURCES = {"entity_pages": ("wikipedia", "wiki_context"), "search_results": ("web", "search_context")}


def normalize_alias(text):
    """Normalisation de TriviaQA : minuscules, ponctuation -> espace, sans articles, espaces réduits."""
    text = "".join(" " if ch in _PUNCTUATION else ch for ch in text.replace("_", " ").lower())
    return " ".join(_ARTICLES.sub(" ", text).split())


def truncate(text, max_tokens=800):
    """Les ``max_tokens`` premiers mots du texte, sans rien y changer (les décalages restent justes).

    Le script officiel compte des tokens NLTK puis recolle le texte avec des espaces ; nous comptons les
    mots séparés par des espaces, pour garder le texte d'origine et donc des ``answer_start`` exacts.
    """
    words = list(re.finditer(r"\S+", text))
    return text if len(words) <= max_tokens else text[:words[max_tokens - 1].end()]


def find_answer(context, normalized_aliases):
    """``(début, alias)`` de la première occurrence, sans tenir compte de la casse, du premier alias présent.

    Les alias sont essayés dans leur ordre, comme dans le script officiel ; ``None`` si aucun n'y figure.
    Comme lui, on cherche une sous-chaîne : « nile » se trouve aussi dans « senile ».
    """
    for alias in normalized_aliases:
        match = re.search(re.escape(alias), context, flags=re.IGNORECASE) if alias else None
        if match:
            return match.start(), match.group()
    return None


def documents(example):
    """Les documents d'une question TriviaQA : ``(source, titre, fichier, texte)``, pages Wikipédia d'abord."""
    found = []
    for field, (source, text_field) in SOURCES.items():
        pages = example[field]
        found += [(source, title, filename, text)
                  for title, filename, text in zip(pages["title"], pages["filename"], pages[text_field])]
    return found


def to_squad(examples, max_tokens=800):
    """Lignes au schéma SQuAD, une par (question, document), et le compte rendu de chaque document.

    ``examples`` : des lignes TriviaQA (config ``rc``). Un document où aucun alias n'apparaît dans les
    ``max_tokens`` premiers mots donne une ligne sans réponse (``answers`` vides) : à retirer pour
    l'entraînement, jamais étiquetée au hasard. Renvoie ``(lignes, compte_rendu)`` ; le compte rendu dit,
    pour chaque document, sa source, s'il contient la réponse, et l'alias trouvé.
    """
    rows, report = [], []
    for example in examples:
        aliases = example["answer"]["normalized_aliases"]
        for source, title, filename, text in documents(example):
            context = truncate(text, max_tokens)
            found = find_answer(context, aliases)
            answers = {"text": [found[1]], "answer_start": [found[0]]} if found else {"text": [], "answer_start": []}
            rows.append({"id": f"{example['question_id']}--{filename}", "title": title, "context": context,
                         "question": example["question"], "answers": answers})
            report.append({"question_id": example["question_id"], "source": source, "title": title,
                           "matched": bool(found), "alias": found[1] if found else None,
                           "truncated": len(context) < len(text)})
    return rows, report


# --- Quora : des réponses « brutes », comme après un moissonnage du site ---

# Ce que le site ajoute autour des réponses (parfois suivi d'espaces ou d'un émoji), dans l'ordre où on le retire
_BOILERPLATE = [
    r"^(?:Sponsored|Promoted) by .*\n.*$",  # une publicité et son texte
    r"^Related questions\b.*$(?s:.*?)(?:^More answers below\b.*$|\Z)",  # la liste d'autres questions
    r"^Profile photo for .*$(?s:.*?)^ ?· ?\d+[ymwdh]$",  # l'auteur : photo, nom, « Follow », biographie, ancienneté
    r"^Originally Answered: .*$", r"^Continue Reading\b.*$", r"^Upvote · [\d.]+K?\b.*$", r"^View \d+ more answers\b.*$",
]
_URL = re.compile(r"https?://\S+|www\.\S+")


def clean_answer(text):
    """Réponse Quora nettoyée : entités HTML décodées, liens et ajouts du site retirés, espaces réduits."""
    text = _URL.sub("", html.unescape(text))
    text = "\n".join(" ".join(line.split()) for line in text.splitlines())
    for pattern in _BOILERPLATE:
        text = re.sub(pattern, "", text, flags=re.M)
    paragraphs = ("\n".join(line.strip() for line in block.splitlines() if line.strip())
                  for block in re.split(r"\n\s*\n", text))
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


def clean_quora(rows):
    """Lignes ``question``/``answer`` nettoyées, sans réponses vides ni doublons ; renvoie ``(lignes, comptes)``."""
    seen, cleaned = set(), []
    counts = {"rows": 0, "empty": 0, "duplicates": 0}
    for row in rows:
        counts["rows"] += 1
        answer = clean_answer(row["answer"])
        key = (row["question"].strip().lower(), answer.lower())
        if not answer:
            counts["empty"] += 1
        elif key in seen:
            counts["duplicates"] += 1
        else:
            seen.add(key)
            cleaned.append({"question": row["question"].strip(), "answer": answer})
    return cleaned, counts
