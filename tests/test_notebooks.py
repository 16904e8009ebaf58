"""Hygiène des notebooks : sans sorties, noyau python3, cellule parameters, en-tête commun, prose française."""

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p for folder in ("notebooks", "solutions", "exercises") for p in (ROOT / folder).glob("*.ipynb"))
LESSONS = [p for p in NOTEBOOKS if p.parent.name == "notebooks"]

FRENCH = {"le", "la", "les", "des", "une", "est", "nous", "pour", "dans", "que", "qui", "avec", "sur", "du"}
ENGLISH = {"the", "is", "we", "for", "in", "that", "which", "with", "on", "of", "this", "are"}


def ids(paths):
    return [f"{p.parent.name}/{p.name}" for p in paths]


def markdown(nb):
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def prose_words(nb):
    text = re.sub(r"`[^`]*`|\$[^$]*\$|\(http[^)]*\)|<[^>]+>", " ", markdown(nb))
    return re.findall(r"[a-zàâçéèêëîïôûùüÿœ']+", text.lower())


@pytest.fixture(params=NOTEBOOKS, ids=ids(NOTEBOOKS))
def nb(request):
    return nbformat.read(request.param, as_version=4)


def test_course_has_notebooks():
    assert LESSONS, "aucune leçon dans notebooks/"


def test_stored_without_outputs(nb):
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]


def test_kernelspec_python3(nb):
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert nb.metadata["kernelspec"]["language"] == "python"


def test_profile_header(nb):
    code = [c for c in nb.cells if c.cell_type == "code"]
    colab, parameters, setup = code[0], code[1], code[2]
    assert '"google.colab" in sys.modules' in colab.source
    assert "parameters" in parameters.metadata.get("tags", []) and re.search(r"^PROFIL = None", parameters.source, re.M)
    assert "P = get_profile(PROFIL)" in setup.source and "setup_notebook(P)" in setup.source


def test_prose_is_french(nb):
    words = prose_words(nb)
    french, english = sum(w in FRENCH for w in words), sum(w in ENGLISH for w in words)
    assert len(words) > 150 and french > 4 * english, (french, english)
    assert re.search(r"[éèàêç]", markdown(nb))
    # Typographie française : espace avant « : ; ? ! » dans la prose (hors code)
    text = re.sub(r"`[^`]*`|```.*?```|\(http[^)]*\)|https?://\S+", " ", markdown(nb), flags=re.S)
    glued = re.findall(r"[a-zàâçéèêëîïôûùüÿœ»)][;?!]", text, re.I)
    assert len(glued) <= 2, glued


@pytest.mark.parametrize("path", LESSONS, ids=ids(LESSONS))
def test_lesson_opens_with_goals_and_closes_with_summary(path):
    nb = nbformat.read(path, as_version=4)
    cells = [c.source for c in nb.cells if c.cell_type == "markdown"]
    assert "Objectifs" in cells[0] and "Prérequis" in cells[0]
    assert "À retenir" in "\n".join(cells[-2:]) and "http" in "\n".join(cells[-2:])
