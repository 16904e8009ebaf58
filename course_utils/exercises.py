"""Génère les exercices à trous (``exercises/``) à partir des solutions (``solutions/``).

Dans une cellule de code, tout ce qui est entre ``### BEGIN SOLUTION`` et ``### END SOLUTION`` est remplacé
par un bloc « # À COMPLÉTER » qui lève ``NotImplementedError`` ; les sorties sont effacées.

    python -m course_utils.exercises           # écrit exercises/
    python -m course_utils.exercises --check   # échoue si exercises/ n'est pas à jour
"""

import argparse
import re
import sys
from pathlib import Path

import nbformat

SOLUTION_BLOCK = re.compile(r"^([ \t]*)### BEGIN SOLUTION\n.*?^[ \t]*### END SOLUTION\n?", re.M | re.S)


def _stub(match):
    indent = match.group(1)
    return f'{indent}# À COMPLÉTER\n{indent}raise NotImplementedError("À vous de jouer : complétez ce bloc.")\n'


def strip_solutions(source):
    """Remplace chaque bloc solution d'un code source par le squelette à compléter."""
    if source.count("### BEGIN SOLUTION") != source.count("### END SOLUTION"):
        raise ValueError("Bloc solution mal fermé : chaque « ### BEGIN SOLUTION » doit avoir son « ### END SOLUTION ».")
    return SOLUTION_BLOCK.sub(_stub, source)


def make_exercise(solution):
    """Notebook d'exercice (nbformat) à partir d'un notebook solution."""
    exercise = nbformat.from_dict(solution)
    for cell in exercise.cells:
        if cell.cell_type == "code":
            cell.source = strip_solutions(cell.source)
            cell.outputs = []
            cell.execution_count = None
    return exercise


def render(solution_path):
    """Texte du notebook d'exercice tel qu'il doit être écrit sur disque."""
    solution = nbformat.read(solution_path, as_version=4)
    return nbformat.writes(make_exercise(solution)) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description="Génère exercises/ depuis solutions/.")
    parser.add_argument("--check", action="store_true", help="vérifie seulement que exercises/ est à jour")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="racine du dépôt (par défaut : le dossier courant)")
    args = parser.parse_args(argv)
    solutions, exercises = args.root / "solutions", args.root / "exercises"
    expected = {exercises / path.name: render(path) for path in sorted(solutions.glob("*.ipynb"))}
    if args.check:
        stale = [path for path, text in expected.items()
                 if not path.exists() or path.read_text(encoding="utf-8") != text]
        extra = sorted(set(exercises.glob("*.ipynb")) - set(expected))
        for path in stale:
            print(f"Exercice absent ou périmé : {path.relative_to(args.root)}")
        for path in extra:
            print(f"Exercice sans solution : {path.relative_to(args.root)}")
        if stale or extra:
            print("Lancez « make exercises » (python -m course_utils.exercises) puis commitez exercises/.")
            return 1
        print(f"Exercices à jour : {len(expected)} notebook(s).")
        return 0
    exercises.mkdir(exist_ok=True)
    for path, text in expected.items():
        path.write_text(text, encoding="utf-8")
        print(f"Écrit : {path.relative_to(args.root)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
