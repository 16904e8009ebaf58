import os

import pytest

from course_utils import get_profile, setup_notebook
from course_utils.notebook import OFFLINE_VARIABLES
from course_utils.profiles import embedded_model_path


def test_profile_from_argument_then_environment(monkeypatch):
    monkeypatch.setenv("COURSE_PROFILE", "smoke")
    assert get_profile().name == "smoke"
    assert get_profile("local").name == "local"


def test_default_profile_depends_on_cuda(monkeypatch):
    import torch

    monkeypatch.delenv("COURSE_PROFILE", raising=False)
    expected = "full" if torch.cuda.is_available() else "local"
    assert get_profile().name == expected


def test_unknown_profile_french_error():
    with pytest.raises(ValueError, match="Profil inconnu : « gpu ».*smoke, local, full"):
        get_profile("gpu")


def test_embedded_profiles_use_packaged_model_and_full_uses_hub(monkeypatch):
    monkeypatch.delenv("COURSE_QA_MODEL", raising=False)
    monkeypatch.delenv("COURSE_NLI_MODEL", raising=False)
    for name in ("smoke", "local"):
        profile = get_profile(name)
        assert profile.offline and profile.qa_model == embedded_model_path()
        assert os.path.exists(os.path.join(profile.qa_model, "model.safetensors"))
    full = get_profile("full")
    assert not full.offline and full.qa_model == "distilbert-base-uncased" and full.nli_model == "roberta-base"
    assert (full.max_length, full.stride) == (384, 128) and full.train_examples is None


def test_models_can_be_overridden(monkeypatch, tmp_path):
    monkeypatch.setenv("COURSE_QA_MODEL", str(tmp_path / "distilbert"))
    monkeypatch.setenv("COURSE_NLI_MODEL", "roberta-base")
    smoke = get_profile("smoke")
    assert smoke.qa_model == str(tmp_path / "distilbert") and smoke.nli_model == "roberta-base"
    assert smoke.offline and smoke.model_name() == str(tmp_path / "distilbert")
    monkeypatch.delenv("COURSE_QA_MODEL")
    assert get_profile("smoke").model_name() == "MiniLM embarqué" and get_profile("smoke").device == "cpu"


def test_smoke_is_small_and_local_trains_for_real():
    smoke, local = get_profile("smoke"), get_profile("local")
    assert smoke.train_examples <= 64 and smoke.epochs * smoke.train_examples / smoke.batch_size <= 10
    assert local.train_examples is None and local.max_steps == -1 and local.epochs >= 2


def test_cpu_profiles_turn_attention_dropout_off_by_its_architecture_name(tmp_path):
    from transformers import BertConfig, DistilBertConfig, GPT2Config

    for config, name in [(BertConfig(), "attention_probs_dropout_prob"), (DistilBertConfig(), "attention_dropout")]:
        config.save_pretrained(tmp_path / name)
        assert get_profile("local").model_options(str(tmp_path / name)) == {name: 0.0}
        assert get_profile("full").model_options(str(tmp_path / name)) == {}
    GPT2Config().save_pretrained(tmp_path / "gpt2")
    with pytest.raises(ValueError, match="pas de dropout de l'attention connu"):
        get_profile("smoke").model_options(str(tmp_path / "gpt2"))


def test_setup_notebook_sets_offline_and_reports_in_french(monkeypatch, capsys):
    for variable in OFFLINE_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    setup_notebook(get_profile("smoke"))
    assert all(os.environ[variable] == "1" for variable in OFFLINE_VARIABLES)
    out = capsys.readouterr().out
    assert "Profil « smoke »" in out and "Calcul sur : CPU" in out and "hors ligne" in out


def test_build_dir_follows_environment(monkeypatch, tmp_path):
    from course_utils.notebook import build_dir

    monkeypatch.setenv("COURSE_BUILD_DIR", str(tmp_path))
    assert build_dir("models", "qa") == tmp_path / "models" / "qa" and (tmp_path / "models" / "qa").is_dir()


def test_save_metrics_writes_json_the_report_reads(monkeypatch, tmp_path):
    import json

    from course_utils.notebook import save_metrics

    monkeypatch.setenv("COURSE_BUILD_DIR", str(tmp_path))
    path = save_metrics("02_x", {"profile": "smoke", "table": [{"modèle": "a", "F1": 1.5}]})
    assert path == tmp_path / "metrics" / "02_x.json"
    assert json.loads(path.read_text(encoding="utf-8")) == {"notebook": "02_x", "profile": "smoke",
                                                           "table": [{"modèle": "a", "F1": 1.5}]}
