"""Outils du cours « Fine-tuning de transformers pour le question-réponse extractif ».

Chaque leçon construit une idée pas à pas, puis appelle la version testée qui vit ici.
"""

from .notebook import setup_notebook
from .profiles import Profile, get_profile

__all__ = ["Profile", "get_profile", "setup_notebook"]
