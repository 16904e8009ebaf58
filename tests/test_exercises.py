import nbformat
import pytest

from course_utils.exercises import main, make_exercise, strip_solutions


def test_strip_solutions_keeps_signature_and_checker():
    source = ("def f(x):\n    \"\"\"Doc.\"\"\"\n    ### BEGIN SOLUTION\n    y = x + 1\n    return y\n"
              "    ### END SOLUTION\n\nverifier(f)")
    assert strip_solutions(source) == (
        "def f(x):\n    \"\"\"Doc.\"\"\"\n    # À COMPLÉTER\n"
        "    raise NotImplementedError(\"À vous de jouer : complétez ce bloc.\")\n\nverifier(f)")


def test_unbalanced_block_is_refused():
    with pytest.raises(ValueError, match="mal fermé"):
        strip_solutions("### BEGIN SOLUTION\nx = 1\n")


def notebook(source):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Titre"), nbformat.v4.new_code_cell(source)]
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", text="42")]
    nb.cells[1].execution_count = 3
    return nb


def test_make_exercise_clears_outputs():
    exercise = make_exercise(notebook("### BEGIN SOLUTION\nx = 1\n### END SOLUTION\n"))
    code = exercise.cells[1]
    assert code.outputs == [] and code.execution_count is None and "NotImplementedError" in code.source


def test_generate_then_check(tmp_path, capsys):
    (tmp_path / "solutions").mkdir()
    nbformat.write(notebook("### BEGIN SOLUTION\nx = 1\n### END SOLUTION\n"), tmp_path / "solutions" / "a.ipynb")
    assert main(["--check", "--root", str(tmp_path)]) == 1
    assert "absent ou périmé" in capsys.readouterr().out
    assert main(["--root", str(tmp_path)]) == 0
    assert main(["--check", "--root", str(tmp_path)]) == 0
    (tmp_path / "exercises" / "b.ipynb").write_text("{}")
    assert main(["--check", "--root", str(tmp_path)]) == 1
