"""Le lanceur de ``make course`` : copies exécutées et HTML, erreurs lisibles, cellule bloquée, rapport."""

import json

import nbformat
import pytest

from course_utils.course import BUDGETS, NotebookFailure, execute, main, report
from course_utils.french import duration


def write_notebook(path, *sources):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# Essai")] + [nbformat.v4.new_code_cell(s) for s in sources]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def test_executed_copy_and_html(tmp_path):
    path = write_notebook(tmp_path / "notebooks" / "a.ipynb", "import os\nprint(os.getcwd())")
    execute(path, tmp_path / "build" / "notebooks", timeout=60, log_dir=tmp_path / "build" / "logs")
    executed = nbformat.read(tmp_path / "build" / "notebooks" / "a.ipynb", as_version=4)
    assert executed.cells[1].outputs[0]["text"].strip() == str(path.parent)  # le noyau part du dossier du notebook
    assert "<html" in (tmp_path / "build" / "notebooks" / "a.html").read_text(encoding="utf-8")


def test_failure_names_notebook_cell_and_error(tmp_path):
    path = write_notebook(tmp_path / "notebooks" / "b.ipynb", "x = 1", "y = x +\\\n    1\nraise ValueError('étiquette fausse')")
    with pytest.raises(NotebookFailure) as failure:
        execute(path, tmp_path / "build", timeout=60, log_dir=tmp_path / "logs")
    message = str(failure.value)
    assert "b.ipynb : échec, cellule n° 3." in message and "y = x +" in message
    assert "Erreur : ValueError : étiquette fausse" in message and "Traceback" not in message
    assert (tmp_path / "build" / "b.ipynb").exists()  # la copie partielle reste lisible


def test_stuck_cell_fails_fast(tmp_path):
    path = write_notebook(tmp_path / "notebooks" / "c.ipynb", "import time\ntime.sleep(600)")
    with pytest.raises(NotebookFailure, match="dépassé son délai maximal"):
        execute(path, tmp_path / "build", timeout=2, log_dir=tmp_path / "logs")


def test_report_reads_metrics_files(tmp_path):
    (tmp_path / "metrics").mkdir()
    metrics = {"profile": "local", "model": "MiniLM embarqué", "train_seconds": 331.24,
               "table": [{"": "après fine-tuning", "EM": 53.47, "F1": 60.51}]}
    (tmp_path / "metrics" / "02_finetuning_complet.json").write_text(json.dumps(metrics), encoding="utf-8")
    report(tmp_path, [("notebooks/01_a.ipynb", 30.0), ("notebooks/02_b.ipynb", 700.0)], "local")
    text = (tmp_path / "rapport.md").read_text(encoding="utf-8")
    assert "| après fine-tuning | 53,5 | 60,5 |" in text and "`train_seconds` : 331,2" in text
    assert f"| leçons 01, 02 et 02b | 12 min 10 s | {duration(BUDGETS[0][2])} | ✗ dépassé |" in text
    assert "| notebooks/02_b.ipynb | 11 min 40 s |" in text and "Versions : Python" in text


def test_report_table_keeps_every_column(tmp_path):
    """Des lignes aux colonnes différentes (leçon 05) ; un EM de 0,4 % n'est pas une exactitude de 0,408."""
    (tmp_path / "metrics").mkdir()
    table = [{"mesure": "LoRA sans task_type", "EM": 0.408, "F1": 2.47, "sauvegarde": None},
             {"mesure": "LoRA", "EM": 53.47, "F1": 64.7, "sauvegarde": 2.67},
             {"mesure": "triplets, BM25", "rappel@1": 0.5455, "MRR@10": 0.6812}]
    (tmp_path / "metrics" / "05_x.json").write_text(json.dumps({"table": table}), encoding="utf-8")
    report(tmp_path, [], "local")
    text = (tmp_path / "rapport.md").read_text(encoding="utf-8")
    assert "| mesure | EM | F1 | sauvegarde | rappel@1 | MRR@10 |" in text
    assert "| LoRA sans task_type | 0,4 | 2,5 | — | — | — |" in text
    assert "| triplets, BM25 | — | — | — | 0,545 | 0,681 |" in text


def test_main_stops_on_failure_and_reports(tmp_path, capsys):
    good = write_notebook(tmp_path / "notebooks" / "01_ok.ipynb", "print('ok')")
    bad = write_notebook(tmp_path / "notebooks" / "02_ko.ipynb", "1 / 0")
    never = write_notebook(tmp_path / "solutions" / "03_jamais.ipynb", "print('jamais')")
    code = main([str(good), str(bad), str(never), "--profile", "smoke", "--build", str(tmp_path / "build")])
    captured = capsys.readouterr()
    assert code == 1
    assert "[1/3] notebooks/01_ok.ipynb … terminé en" in captured.out
    assert "[2/3] notebooks/02_ko.ipynb … échec après" in captured.out and "03_jamais" not in captured.out
    assert "ZeroDivisionError" in captured.err and "cellule n° 2" in captured.err
    assert "Exécution interrompue" in (tmp_path / "build" / "rapport.md").read_text(encoding="utf-8")
