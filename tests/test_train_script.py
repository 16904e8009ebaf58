"""scripts/train_qa.py : l'entraînement de la leçon 02 en commande, sur deux processus (données parallèles)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_two_processes_train_and_evaluate(tmp_path, free_port):
    """accelerate launch --multi_gpu sans GPU : deux processus sur CPU, communication par gloo."""
    env = {**os.environ, "COURSE_BUILD_DIR": str(tmp_path), "COURSE_FRESH_START": "1", "OMP_NUM_THREADS": "1",
           "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    port = str(free_port())  # le port 29500 par défaut peut être pris par un autre lancement
    command = [sys.executable, "-m", "accelerate.commands.launch", "--multi_gpu", "--num_processes", "2", "--main_process_port", port,
               "--num_machines", "1", "--mixed_precision", "no", "--dynamo_backend", "no", str(ROOT / "scripts" / "train_qa.py"),
               "--profile", "smoke", "--output", str(tmp_path / "model"), "--max-steps", "3"]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    metrics = json.loads((tmp_path / "model" / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["processes"] == 2 and metrics["effective_batch_size"] == 2 * 8 and metrics["train_steps"] == 3
    assert 0 <= metrics["f1"] <= 100 and (tmp_path / "model" / "model.safetensors").exists()
    assert result.stdout.count("2 processus, 3 pas") == 1  # seul le processus principal évalue et écrit
