import re

import pytest

from course_utils import data
from course_utils.spans import check_answers
from course_utils.trivia import (clean_answer, clean_quora, documents, find_answer, normalize_alias, to_squad,
                                 truncate)


def test_normalize_alias_is_triviaqa_not_squad():
    # TriviaQA remplace la ponctuation par une espace (SQuAD la supprime) et retire les articles
    assert normalize_alias("(Harry) Sinclair Lewis") == "harry sinclair lewis"
    assert normalize_alias("The Beatles") == "beatles"
    assert normalize_alias("U.S.A.") == "u s"  # « a » est un article pour le script officiel : il disparaît
    assert normalize_alias("Jupiter_(planet)") == "jupiter planet" and normalize_alias("Rock ’n’ roll") == "rock n roll"


def test_truncate_keeps_the_original_text():
    text = "one  two\nthree, four five"
    assert truncate(text, 3) == "one  two\nthree," and truncate(text, 10) == text


def test_find_answer_first_alias_first_occurrence_any_case():
    context = "The senile king sailed up the Nile. The NILE floods."
    # Une sous-chaîne, comme le script officiel : « nile » est d'abord trouvé dans « senile »
    assert find_answer(context, ["river nile", "nile"]) == (context.index("nile"), "nile")
    assert find_answer(context, ["floods", "nile"]) == (context.index("floods"), "floods")  # alias dans l'ordre
    assert find_answer(context, ["amazon"]) is None


@pytest.fixture(scope="module")
def trivia(local):
    return data.load_trivia_qa(local)


def test_embedded_aliases_are_normalized_officially(trivia):
    for split in trivia.values():
        for answer in split["answer"]:
            assert answer["normalized_aliases"] == list(dict.fromkeys(
                normalize_alias(alias) for alias in answer["aliases"] if normalize_alias(alias)))
            assert answer["normalized_value"] == normalize_alias(answer["value"])


def test_to_squad_rows_are_valid_squad(trivia):
    rows, report = to_squad(trivia["train"])
    assert len(rows) == len(report) == sum(len(documents(example)) for example in trivia["train"])
    assert len({row["id"] for row in rows}) == len(rows)  # un identifiant par (question, document)
    matched = [row for row in rows if row["answers"]["text"]]
    check_answers({"id": [r["id"] for r in matched], "context": [r["context"] for r in matched],
                   "answers": [r["answers"] for r in matched]})  # lève une erreur si un answer_start est faux
    sources = {(entry["source"], entry["matched"]) for entry in report}
    assert {("wikipedia", True), ("wikipedia", False), ("web", True), ("web", False)} <= sources
    assert 0.5 < len(matched) / len(rows) < 0.9  # la supervision distante ne trouve pas tout


def test_to_squad_truncates_long_documents(trivia):
    example = next(e for e in trivia["train"] if any(len(t.split()) > 800 for t in e["entity_pages"]["wiki_context"]))
    rows, report = to_squad([example], max_tokens=800)
    long_rows = [(row, entry) for row, entry in zip(rows, report) if entry["truncated"]]
    assert long_rows and all(len(row["context"].split()) == 800 for row, _ in long_rows)
    rows_all, _ = to_squad([example], max_tokens=100_000)
    assert all(len(a["context"]) >= len(b["context"]) for a, b in zip(rows_all, rows))


def test_to_squad_never_labels_a_wrong_span():
    example = {"question": "Which river flows through Cairo?", "question_id": "x_1",
               "entity_pages": {"doc_source": ["TagMe"], "filename": ["Cairo.txt"], "title": ["Cairo"],
                                "wiki_context": ["Cairo lies on the river Nile, near its delta."]},
               "search_results": {"description": [""], "filename": ["1/1.txt"], "rank": [0], "title": ["Egypt"],
                                  "url": ["http://example.org"], "search_context": ["Egypt is a country."]},
               "answer": {"normalized_aliases": ["river nile", "nile"]}}
    rows, report = to_squad([example])
    assert rows[0]["answers"] == {"text": ["river Nile"], "answer_start": [18]}  # le texte du contexte, sa casse
    assert rows[1]["answers"] == {"text": [], "answer_start": []} and report[1] == {
        "question_id": "x_1", "source": "web", "title": "Egypt", "matched": False, "alias": None, "truncated": False}
    assert rows[0]["id"] == "x_1--Cairo.txt"


def test_clean_answer_removes_site_boilerplate():
    raw = ("Profile photo for Ann Lee\nAnn Lee\n · \nFollow\nTeacher\n · 3y\n\nOriginally Answered: Why?\n\n"
           "It&#39;s simple:   read   a lot &amp; write.\nSee https://example.org/x?a=1&amp;b=2\n\n"
           "Upvote · 1.2K 🚀\n\nSponsored by Acme\nBuy our course today.\n\nRelated questions\nWhat is X?\n"
           "More answers below\n\nContinue Reading")
    assert clean_answer(raw) == "It's simple: read a lot & write.\nSee"


def test_clean_quora_sample(local):
    rows = list(data.load_quora(local)["train"])
    cleaned, counts = clean_quora(rows)
    assert counts["rows"] == len(rows) == len(cleaned) + counts["empty"] + counts["duplicates"]
    text = "\n".join(row["answer"] for row in cleaned)
    for leftover in ("Profile photo for", "Upvote ·", "Related questions", "Sponsored by", "Promoted by",
                     "Continue Reading", "http", "&#39;", "&nbsp;", "Originally Answered"):
        assert leftover not in text, leftover
    assert not re.search(r"[ \t]{2,}", text) and len({row["question"] for row in cleaned}) == len(set(r["question"] for r in rows))
