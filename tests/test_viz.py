import re

import matplotlib

matplotlib.use("Agg")

from course_utils.viz import highlight, qa_widget, token_table, training_curves, window_ranges, windows_figure


def test_token_table_highlights_answer_and_escapes():
    html = token_table(["[CLS]", "<b>", "paris"], [(0, 0), None, (0, 5)], [None, 0, 1], answer=(2, 2), columns=2).data
    assert "&lt;b&gt;" in html and "—" in html and "[0, 5)" in html
    assert html.count("font-weight:bold") == 4  # les 4 cellules de la ligne du token « paris »


def test_highlight_marks_spans_in_order():
    html = highlight("Paris is in France.", {"attendue": (12, 18), "prédite": (0, 5)}).data
    assert html.index(">Paris</mark>") < html.index(">France</mark>")
    assert "attendue" in html and "prédite" in html and "is in " in html


def test_highlight_keeps_overlapping_spans_visible():
    # Erreur de frontière : la prédiction « in France » déborde la référence « France »
    html = highlight("Paris is in France.", {"attendue": (12, 18), "prédite": (9, 18)}).data
    assert '<mark title="prédite" style="background:none;border-bottom:3px solid' in html and ">in </mark>" in html
    both = re.search(r'<mark title="attendue, prédite" style="([^"]*)">France</mark>', html)
    assert both and "background:#ffd54f" in both.group(1) and "border-bottom" in both.group(1)


def test_window_ranges_and_figure():
    offsets = [[None, (0, 5), (6, 10), None], [None, (6, 10), (11, 20), None]]
    ranges = window_ranges(offsets)
    assert ranges == [(0, 10), (6, 20)]
    fig = windows_figure(20, ranges, answer=(11, 20), labels=["CLS", "réponse"])
    assert len(fig.axes[0].patches) == 3  # deux barres et la zone de la réponse


def test_training_curves_reads_log_history():
    history = [{"loss": 5.0, "learning_rate": 1e-4, "step": 10}, {"loss": 3.0, "learning_rate": 5e-5, "step": 20},
               {"eval_loss": 3.5, "step": 20}]
    fig = training_curves(history)
    loss_axis, rate_axis = fig.axes
    assert [len(line.get_xdata()) for line in loss_axis.lines] == [2, 1]
    assert [len(line.get_xdata()) for line in rate_axis.lines] == [2]
    # Avec le planning complet : une courbe de plus, un point par pas
    rate_axis = training_curves(history, schedule=[0.0, 5e-5, 1e-4] + [1e-4 - i * 5e-6 for i in range(17)]).axes[1]
    assert [len(line.get_xdata()) for line in rate_axis.lines] == [20, 2]


def test_qa_widget_answers_without_output_widget():
    import ipywidgets as widgets

    calls = []

    def answer(question, context):
        calls.append(question)
        start = context.index("France") if "Where" in question else 0
        return {"answer": context[start:start + 6], "score": 0.9, "start": start, "end": start + 6}

    form = qa_widget(answer, "Paris is in France.", "Where is Paris?")
    context_box, question_box, button, result = form.children
    assert button.description == "Répondre" and calls == ["Where is Paris?"]
    # Pas de widget Output (il peut bloquer une exécution automatique) : la réponse est la valeur d'un HTML
    assert not any(isinstance(child, widgets.Output) for child in form.children)
    assert isinstance(result, widgets.HTML) and ">France</mark>" in result.value and "score 0,90" in result.value
    question_box.value = "What is it?"
    button.click()
    assert calls[-1] == "What is it?" and ">Paris </mark>" in result.value


def test_qa_widget_says_when_there_is_no_answer():
    form = qa_widget(lambda question, context: {"answer": "", "score": 0.7, "start": 0, "end": 0}, "Paris.", "Who?")
    assert "Pas de réponse" in form.children[3].value
    form.children[1].value = "  "
    form.children[2].click()
    assert "Écrivez un contexte et une question" in form.children[3].value


def test_probabilities_and_span_scores_figures():
    import numpy as np

    from course_utils.viz import probabilities_figure, span_scores_figure

    tokens = ["[CLS]", "who", "[SEP]", "marie", "curie", "[SEP]"]
    fig = probabilities_figure(tokens, [0, 0, 0, 0.9, 0.1, 0], [0, 0, 0, 0.2, 0.8, 0], answer=(3, 4))
    assert len(fig.axes[0].patches) == 2 * len(tokens) + 1  # deux barres par token et la zone de la réponse
    start, end = np.array([0, 0, 0, 5.0, 1.0, 0]), np.array([0, 0, 0, 1.0, 4.0, 0])
    fig = span_scores_figure(start, end, tokens, [3, 4], [4, 3], valid=lambda s, e: s <= e)
    grid = np.ma.getdata(fig.axes[0].images[0].get_array())
    assert grid[0, 0] == 9.0 and grid[0, 1] == 6.0 and grid[1, 0] == 5.0 and np.isnan(grid[1, 1])
