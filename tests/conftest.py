import json
import socket
from pathlib import Path

import pytest

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "shared" / "reference"


@pytest.fixture(scope="session")
def tokenizer():
    """Tokenizer du MiniLM embarqué : vocabulaire et décalages identiques à distilbert-base-uncased."""
    from transformers import AutoTokenizer

    from course_utils.profiles import embedded_model_path

    return AutoTokenizer.from_pretrained(embedded_model_path())


@pytest.fixture(scope="session")
def free_port():
    """Donne à chaque appel un port TCP libre sur la boucle locale (le port par défaut d'un service peut être pris)."""
    def pick():
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]

    return pick


@pytest.fixture(scope="session")
def smoke():
    from course_utils import get_profile

    return get_profile("smoke")


@pytest.fixture(scope="session")
def local():
    from course_utils import get_profile

    return get_profile("local")


def reference_rows(name):
    """Extraits réels de SQuAD de ../shared/reference, aplatis au schéma du hub (test sauté s'ils manquent)."""
    from reference_qa import flatten_squad_json

    path = REFERENCE_DIR / name
    if not path.exists():
        pytest.skip(f"extraits de référence absents ({path})")
    return flatten_squad_json(json.loads(path.read_text(encoding="utf-8")))
