"""scripts/train_qa.py : l'entraînement de la leçon 02 en commande, sur deux processus (données parallèles)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_two_processes_train_and_evaluate(tmp_path):
    """torchrun (le lanceur qu'utilise accelerate launch --multi_gpu) : deux processus sur CPU, gloo."""
    env = {**os.environ, "COURSE_BUILD_DIR": str(tmp_path), "COURSE_FRESH_START": "1", "OMP_NUM_THREADS": "1",
           "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    command = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", "2", str(ROOT / "scripts" / "train_qa.py"),
               "--profile", "smoke", "--output", str(tmp_path / "model"), "--max-steps", "3"]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    metrics = json.loads((tmp_path / "model" / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["processes"] == 2 and metrics["effective_batch_size"] == 2 * 8 and metrics["train_steps"] == 3
    assert 0 <= metrics["f1"] <= 100 and (tmp_path / "model" / "model.safetensors").exists()
    assert result.stdout.count("2 processus, 3 pas") == 1  # seul le processus principal évalue et écrit
