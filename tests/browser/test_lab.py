"""La leçon 02 dans un vrai navigateur : JupyterLab, le formulaire de question-réponse, TensorBoard.

Lent (quelques minutes) et il faut Chromium et Playwright : sauté sauf avec ``COURSE_BROWSER=1``, ce que
fait ``make test-browser``.
"""

import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

if os.environ.get("COURSE_BROWSER") != "1":
    pytest.skip("test navigateur : lancez « make test-browser »", allow_module_level=True)
from playwright.sync_api import expect, sync_playwright  # noqa: E402 (après le saut)

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build" / "browser"
ENV = {
    "COURSE_PROFILE": "smoke",
    "COURSE_BUILD_DIR": str(BUILD),
    "COURSE_FRESH_START": "1",  # un vrai entraînement à chaque fois, donc de nouvelles courbes pour TensorBoard
    "HF_HUB_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "TOKENIZERS_PARALLELISM": "false",
}
RUN_TIMEOUT = 600  # secondes pour tout le notebook (en smoke : 2 à 6 minutes sur 2 cœurs partagés)
NEW_QUESTION = "When was the Chrysler Building finished?"
ERRORS = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
ERROR_TEXT = re.compile(r"Traceback|^\w*(Error|Exception)\b", re.MULTILINE)  # nom de l'exception en tête de ligne
# Noyau prêt d'après la barre d'état (l'indicateur de la barre d'outils dit « idle » avant même son lancement)
KERNEL_IDLE = re.compile(r"\(ipykernel\) \| Idle$")
# Sans les options réseau, Chromium tente sans cesse de joindre ses services (mises à jour, synchro…)
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# Réglages de JupyterLab : toutes les cellules dans le DOM (pas de fenêtrage), pas de nouvelles du web
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
}


@contextmanager
def serve(args, name, url, timeout=120):
    """Lance ``python -m <args>`` (journal dans build/browser/<name>.log), attend que ``url`` réponde."""
    log = (BUILD / f"{name}.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", *args], env={**os.environ, **ENV}, cwd=ROOT,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + timeout
        while True:
            assert proc.poll() is None, f"{name} s'est arrêté au démarrage : voir {log.name}"
            assert time.monotonic() < deadline, f"{name} ne répond pas après {timeout} s : voir {log.name}"
            try:
                urllib.request.urlopen(url, timeout=5)
                break
            except OSError:
                time.sleep(1)
        yield
    finally:
        proc.terminate()  # JupyterLab arrête alors ses noyaux
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


@pytest.fixture(scope="session")
def lab(tmp_path_factory, free_port):
    """URL de base et jeton d'un JupyterLab servant une copie de la leçon 02 (l'original reste sans sorties)."""
    shutil.rmtree(BUILD, ignore_errors=True)
    (BUILD / "notebooks").mkdir(parents=True)
    shutil.copy(ROOT / "notebooks" / "02_finetuning_complet.ipynb", BUILD / "notebooks")
    settings = tmp_path_factory.mktemp("lab-settings")
    for plugin, values in LAB_SETTINGS.items():
        path = settings / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(values))
    port, token = free_port(), secrets.token_hex(16)
    args = ["jupyter", "lab", "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={BUILD / 'notebooks'}", f"--LabApp.user_settings_dir={settings}",
            f"--LabApp.workspaces_dir={tmp_path_factory.mktemp('lab-workspaces')}",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.extension_manager=readonly", "--allow-root"]  # rien vers PyPI ; CI tourne en root
    url = f"http://127.0.0.1:{port}"
    with serve(args, "jupyterlab", f"{url}/api/status?token={token}"):
        yield url, token


@pytest.fixture(scope="session")
def page():
    """Un onglet de Chromium sans fenêtre : celui de Debian s'il est installé, sinon celui de Playwright."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        yield browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        browser.close()


@pytest.fixture(scope="module")
def lecon(lab, page):
    """Ouvre la leçon 02 dans JupyterLab, exécute toutes ses cellules (Run → Run All Cells), attend la fin."""
    url, token = lab
    page.goto(f"{url}/lab/tree/02_finetuning_complet.ipynb?token={token}")
    kernel = page.locator(".jp-StatusBar-TextItem", has_text=KERNEL_IDLE)
    kernel.wait_for(timeout=120_000)
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile("^Run$")).click()
    page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()
    expect(page.locator(".jp-CodeCell .jp-InputPrompt").first, "Run All Cells n'a lancé aucune cellule") \
        .not_to_have_text("[ ]:", timeout=60_000)
    deadline = time.monotonic() + RUN_TIMEOUT
    while "[*]:" in (prompts := page.locator(".jp-CodeCell .jp-InputPrompt").all_inner_texts()) \
            or not kernel.count():
        if time.monotonic() > deadline:
            page.screenshot(path=BUILD / "echec.png")
            pytest.fail(f"la leçon 02 n'a pas fini en {RUN_TIMEOUT} s : {prompts.count('[*]:')} cellule(s) en "
                        f"cours, {prompts.count('[ ]:')} jamais exécutée(s) sur {len(prompts)} (voir echec.png)")
        time.sleep(2)
    # Les avertissements passent aussi par stderr : seule une exception est une erreur
    errors = page.locator(ERRORS).filter(has_text=ERROR_TEXT).all_inner_texts()
    assert not errors, f"une cellule de la leçon 02 a échoué :\n{errors[0][-3000:]}"
    assert "[ ]:" not in prompts, f"l'exécution s'est arrêtée : {prompts.count('[ ]:')} cellule(s) jamais exécutée(s)"
    return page


def check_answer(widget):
    """Attend la réponse surlignée du formulaire : un morceau non vide de son contexte."""
    mark = widget.locator(".widget-html-content mark[title]")  # le titre distingue la réponse de la légende
    mark.wait_for(timeout=60_000)
    context = widget.locator("textarea").input_value()
    answer = mark.inner_text()
    assert answer.strip() and answer in context, f"réponse surlignée « {answer} » absente du contexte"


def test_formulaire_repond_a_une_nouvelle_question(lecon):
    """Le formulaire de la section 8.3 affiche une réponse, puis répond à une question tapée dans la page."""
    widget = lecon.locator(".widget-vbox").filter(has=lecon.get_by_role("button", name="Répondre"))
    assert widget.count() == 1, "le formulaire (bouton « Répondre ») n'est pas affiché dans la leçon 02"
    widget.scroll_into_view_if_needed()
    check_answer(widget)
    lecon.screenshot(path=BUILD / "lecon02_formulaire.png")

    # Une question vide d'abord : le message d'invite remplace la réponse, qui devra donc s'afficher à nouveau
    question, button = widget.locator(".widget-text input"), widget.get_by_role("button", name="Répondre")
    question.fill("")
    button.click()
    expect(widget.locator(".widget-html-content"), "le formulaire ne réagit pas au bouton « Répondre »") \
        .to_have_text("Écrivez un contexte et une question.", timeout=60_000)
    question.fill(NEW_QUESTION)
    button.click()
    check_answer(widget)
    assert question.input_value() == NEW_QUESTION, "la question affichée n'est pas la nouvelle question"
    widget.screenshot(path=BUILD / "lecon02_nouvelle_question.png")


def test_tensorboard_sert_les_courbes(lecon, free_port):
    """TensorBoard lit les journaux de la leçon 02 et sert les pertes d'entraînement et de validation."""
    logdir = BUILD / "checkpoints" / "qa-full" / "runs"
    assert list(logdir.glob("events.out.tfevents.*")), f"pas de journaux TensorBoard dans {logdir}"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    args = ["tensorboard.main", "--logdir", str(logdir), "--host", "127.0.0.1", "--port", str(port)]
    with serve(args, "tensorboard", f"{url}/data/runs"):
        deadline = time.monotonic() + 60
        while not (tags := json.load(urllib.request.urlopen(f"{url}/data/plugin/scalars/tags"))):
            assert time.monotonic() < deadline, "TensorBoard ne montre aucun journal après 60 s"
            time.sleep(1)
        for tag in ("train/loss", "eval/loss"):
            runs = [run for run, run_tags in tags.items() if tag in run_tags]
            assert runs, f"TensorBoard ne sert pas la courbe {tag} (courbes servies : {tags})"
            query = urllib.parse.urlencode({"run": runs[0], "tag": tag})
            points = json.load(urllib.request.urlopen(f"{url}/data/plugin/scalars/scalars?{query}"))
            assert points, f"la courbe {tag} de TensorBoard est vide"
        board = lecon.context.new_page()  # un autre onglet : JupyterLab reste ouvert
        board.goto(f"{url}/#timeseries")
        board.locator('input[placeholder="Filter tags (regex)"]').fill("^(train|eval)/loss$")
        board.keyboard.press("Escape")  # ferme les suggestions, qui cachent les courbes
        for tag in ("train/loss", "eval/loss"):
            board.get_by_text(tag, exact=True).filter(visible=True).first.wait_for(timeout=60_000)
        board.wait_for_load_state("networkidle")
        board.wait_for_timeout(3000)  # les courbes sont peintes dans un canvas, sans trace dans le DOM
        board.screenshot(path=BUILD / "tensorboard.png")
        board.close()
