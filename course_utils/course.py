"""Exécution de tout le cours (``make course``) : leçons et solutions, progression, erreurs lisibles, rapport.

    python -m course_utils.course                          # profil local, tout le cours, dans build/
    python -m course_utils.course --profile smoke --repeat 10 notebooks/02_finetuning_complet.ipynb

Chaque notebook est exécuté dans son propre noyau, avec un délai maximal par cellule adapté au profil :
une cellule bloquée échoue en quelques minutes au lieu d'attendre une heure. Les copies exécutées (et
leur version HTML) vont dans ``build/notebooks/`` et ``build/solutions/`` ; ``build/rapport.md`` résume
les temps, le matériel et les scores que les notebooks ont écrits dans ``build/metrics/``.
"""

import argparse
import json
import logging
import os
import platform
import sys
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import nbformat

from .french import duration
from .french import number as french_number

FOLDERS = ("notebooks", "solutions")

# Délai maximal d'une cellule, en secondes : la plus longue cellule du profil, avec de la marge
CELL_TIMEOUTS = {"smoke": 300, "local": 900, "full": 4 * 3600}

# Budget de ``make course`` en profil local sur 2 cœurs, par partie du cours : (titre, préfixes, secondes)
BUDGETS = [
    ("leçons 01, 02 et 02b", ("notebooks/01", "notebooks/02"), 12 * 60),
    ("leçon 03", ("notebooks/03",), 12 * 60),
    ("leçon 04", ("notebooks/04",), 5 * 60),
    ("leçon 05", ("notebooks/05",), 4 * 60),
    ("solutions", ("solutions/",), 2 * 60),
]

LIBRARIES = ("torch", "transformers", "datasets", "peft", "bitsandbytes", "accelerate", "sentence-transformers")


class NotebookFailure(Exception):
    """Un notebook a échoué : le message, en français, dit où et pourquoi."""


def number(value):
    """Nombre du rapport : trois décimales sous 1 (une exactitude), une au-delà (un score, des secondes)."""
    return french_number(value, 3 if isinstance(value, float) and abs(value) < 1 else 1)


def _cell_summary(cell, lines=3):
    source = cell.source.strip().splitlines()
    summary = "\n".join(f"    {line}" for line in source[:lines])
    return summary + ("\n    …" if len(source) > lines else "")


def _failure_message(path, nb, index, error):
    """Message d'échec : le notebook, la cellule, le début de sa source, l'erreur."""
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    if isinstance(error, CellTimeoutError):
        reason = "la cellule a dépassé son délai maximal : elle est bloquée ou bien trop lente pour ce profil."
    elif isinstance(error, DeadKernelError):
        reason = "le noyau Python s'est arrêté (mémoire épuisée ?)."
    elif isinstance(error, CellExecutionError):
        reason = f"{error.ename} : {error.evalue}"
    else:
        reason = f"{type(error).__name__} : {error}"
    where = f"cellule n° {index + 1}" if index is not None else "au démarrage du noyau"
    source = f"\n  Début de la cellule :\n{_cell_summary(nb.cells[index])}" if index is not None else ""
    return f"{path} : échec, {where}.{source}\n  Erreur : {reason}"


def execute(path, output_dir, timeout, log_dir):
    """Exécute un notebook ; écrit sa copie exécutée et sa version HTML dans ``output_dir``.

    Le noyau part du dossier du notebook ; ce qu'il écrit sur sa sortie d'erreur (avertissements de
    démarrage de Jupyter, messages de bibliothèques en C) va dans ``log_dir``, pas dans la console.
    """
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    current = {"index": None}
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}},
                            on_cell_start=lambda cell, cell_index: current.update(index=cell_index))
    log_dir.mkdir(parents=True, exist_ok=True)
    with open(log_dir / f"{path.stem}.log", "w", encoding="utf-8") as kernel_log:
        try:
            client.execute(stdout=kernel_log, stderr=kernel_log)
        except Exception as error:  # noqa: BLE001 — toute erreur devient un message lisible
            raise NotebookFailure(_failure_message(path, nb, current["index"], error)) from error
        finally:
            save(nb, output_dir / path.name)


def save(nb, target):
    """Copie exécutée (``.ipynb``) et version HTML à lire sans Jupyter."""
    from nbconvert import HTMLExporter

    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)
    html, _ = HTMLExporter().from_notebook_node(nb)
    target.with_suffix(".html").write_text(html, encoding="utf-8")


def course_notebooks(root):
    """Leçons puis solutions, dans l'ordre de leurs noms."""
    return [path for folder in FOLDERS for path in sorted((root / folder).glob("*.ipynb"))]


def run(paths, build, profile, repeat=1):
    """Exécute ``paths`` (``repeat`` fois chacun) ; renvoie ``([(notebook, secondes)], échec ou None)``."""
    timeout = CELL_TIMEOUTS[profile]
    # COURSE_FRESH_START : le cours repart de zéro, points de contrôle d'une exécution précédente effacés
    os.environ.update(COURSE_PROFILE=profile, COURSE_BUILD_DIR=str(build), COURSE_FRESH_START="1")
    runs = [(attempt, path) for attempt in range(repeat) for path in paths]
    timings = []
    for step, (attempt, path) in enumerate(runs, start=1):
        name = f"{path.parent.name}/{path.name}"
        suffix = f" (essai {attempt + 1}/{repeat})" if repeat > 1 else ""
        print(f"[{step}/{len(runs)}] {name}{suffix} …", end=" ", flush=True)
        start = time.perf_counter()
        try:
            execute(path, build / path.parent.name, timeout, build / "logs")
        except NotebookFailure as failure:
            print(f"échec après {duration(time.perf_counter() - start)}")
            return timings, failure
        timings.append((name, time.perf_counter() - start))
        print(f"terminé en {duration(timings[-1][1])} ✓")
    return timings, None


def machine():
    """Processeur, cœurs, mémoire et GPU, en une ligne."""
    import torch

    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        models = [line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
                  if line.startswith("model name")]
        cpu = models[0] if models else cpu
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "aucun"
    return f"{cpu}, {os.cpu_count()} cœurs, {number(memory)} Gio de mémoire, GPU : {gpu}"


def versions():
    found = []
    for library in LIBRARIES:
        try:
            found.append(f"{library} {metadata.version(library)}")
        except metadata.PackageNotFoundError:
            continue
    return " · ".join([f"Python {platform.python_version()}", *found])


def _table(rows):
    """Tableau markdown d'une liste de dictionnaires : toutes leurs clés, « — » là où une ligne n'a pas de valeur.

    Une colonne dont tous les nombres sont entre 0 et 1 (des exactitudes, des rappels) garde trois
    décimales ; les autres (des scores sur 100, des secondes) une seule, même pour une valeur sous 1.
    """
    columns = list(dict.fromkeys(column for row in rows for column in row))
    numbers = {column: [row[column] for row in rows if isinstance(row.get(column), (int, float))] for column in columns}
    digits = {column: 3 if values and all(0 <= abs(value) <= 1 for value in values) else 1
              for column, values in numbers.items()}

    def cell(value, column):
        return "—" if value is None else french_number(value, digits[column])

    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(row.get(column), column) for column in columns) + " |" for row in rows]
    return lines


def metrics_section(path):
    """Section du rapport pour un fichier de ``build/metrics/`` : son tableau ``table`` et ses autres mesures."""
    metrics = json.loads(path.read_text(encoding="utf-8"))
    lines = [f"### {path.stem}", "", f"Profil « {metrics.get('profile', '?')} », modèle {metrics.get('model', '?')}.", ""]
    if metrics.get("table"):
        lines += _table(metrics["table"]) + [""]
    scalars = {key: value for key, value in metrics.items()
               if isinstance(value, (int, float)) and not isinstance(value, bool)}
    lines += [f"- `{key}` : {number(value)}" for key, value in scalars.items()]
    return lines + [""]


def report(build, timings, profile, failure=None):
    """Écrit ``build/rapport.md`` : temps par notebook et par partie, matériel, versions, scores mesurés."""
    spent = dict(timings)
    total = sum(spent.values())
    lines = ["# Rapport d'exécution du cours", "",
             f"Profil « {profile} » · {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC · "
             f"durée totale {duration(total)}", "",
             f"- Matériel : {machine()}", f"- Versions : {versions()}", ""]
    if failure:
        lines += ["## ⚠️ Exécution interrompue", "", "```", str(failure), "```", ""]
    lines += ["## Temps par notebook", "", "| notebook | durée |", "|---|---|"]
    lines += [f"| {name} | {duration(seconds)} |" for name, seconds in timings]
    lines += ["", "## Budget de `make course` (profil local, 2 cœurs)", "",
              "| partie | durée | budget | |", "|---|---|---|---|"]
    for title, prefixes, budget in BUDGETS:
        part = [seconds for name, seconds in timings if name.startswith(prefixes)]
        if part:
            mark = "✓" if sum(part) <= budget else "✗ dépassé"
            lines.append(f"| {title} | {duration(sum(part))} | {duration(budget)} | {mark} |")
    lines += ["", "## Résultats mesurés", "",
              "Chaque leçon écrit ses mesures dans `build/metrics/` ; ce résumé les relit, sans rien recopier.", ""]
    for path in sorted((build / "metrics").glob("*.json")):
        lines += metrics_section(path)
    (build / "rapport.md").write_text("\n".join(lines), encoding="utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser(description="Exécute les leçons et les solutions du cours.")
    parser.add_argument("notebooks", nargs="*", type=Path, help="par défaut : notebooks/ puis solutions/")
    parser.add_argument("--profile", default=os.environ.get("COURSE_PROFILE") or "local", choices=list(CELL_TIMEOUTS))
    parser.add_argument("--build", type=Path, default=Path("build"), help="dossier des résultats")
    parser.add_argument("--repeat", type=int, default=1, help="exécuter chaque notebook plusieurs fois de suite")
    args = parser.parse_args(argv)
    logging.getLogger("traitlets").setLevel(logging.ERROR)  # bavardage de Jupyter au démarrage des noyaux
    build = args.build.resolve()
    paths = [path.resolve() for path in args.notebooks] or course_notebooks(Path.cwd())
    print(f"Cours en profil « {args.profile} » : {len(paths)} notebook(s), résultats dans {build}")
    timings, failure = run(paths, build, args.profile, args.repeat)
    if failure:
        print(failure, file=sys.stderr)
    report(build, timings, args.profile, failure)
    total = sum(seconds for _, seconds in timings)
    print(f"{'Échec' if failure else 'Terminé'} : {len(timings)} notebook(s) en {duration(total)} ; "
          f"rapport dans {build / 'rapport.md'}")
    return 1 if failure else 0


if __name__ == "__main__":
    sys.exit(main())
