"""environment.yml et pyproject.toml déclarent les mêmes dépendances ; le Makefile et la CI tiennent."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def pip_section(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index("  - pip:")
    return [line.strip()[2:] for line in lines[start + 1:] if line.startswith("      - ")]


def test_environment_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    declared = project["dependencies"] + extras["embedded"] + extras["lab"] + extras["dev"]
    listed = pip_section(ROOT / "environment.yml")
    assert "-e ." in listed
    assert sorted(r for r in listed if r != "-e .") == sorted(declared)


def test_environment_uses_conda_forge_python_311():
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    assert "conda-forge" in text and re.search(r"^\s+- python=3\.11$", text, re.M)


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make course" in (ROOT / "README.md").read_text(encoding="utf-8")
