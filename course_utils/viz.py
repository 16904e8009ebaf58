"""Visualisations des leçons : tableau des tokens, réponses surlignées, fenêtres, courbes d'entraînement."""

from html import escape

from IPython.display import HTML

ANSWER_COLOR = "#ffd54f"
COLORS = ("#90caf9", "#a5d6a7", "#f48fb1", "#ce93d8", "#ffcc80", "#80deea")


def token_table(tokens, offsets, sequence_ids, answer=None, columns=4):
    """Tableau HTML (position, token, décalages, ``sequence_id``) ; les tokens de ``answer=(début, fin)`` sont surlignés.

    Les lignes sont réparties en ``columns`` colonnes pour tenir à l'écran.
    """
    cells = []
    for i, (token, offset, sequence) in enumerate(zip(tokens, offsets, sequence_ids)):
        in_answer = answer is not None and answer[0] <= i <= answer[1]
        style = f' style="background:{ANSWER_COLOR};font-weight:bold"' if in_answer else ""
        offset_text = "—" if offset is None else f"[{offset[0]}, {offset[1]})"
        sequence_text = "None" if sequence is None else str(sequence)
        cells.append(f"<td{style}>{i}</td><td{style}><code>{escape(token)}</code></td>"
                     f"<td{style}>{offset_text}</td><td{style}>{sequence_text}</td>")
    rows_per_column = -(-len(cells) // columns)
    header = "<th>n°</th><th>token</th><th>décalages</th><th>seq.</th>" * columns
    body = "".join(
        "<tr>" + "".join(cells[c * rows_per_column + r] if c * rows_per_column + r < len(cells) else "<td></td>" * 4
                         for c in range(columns)) + "</tr>"
        for r in range(rows_per_column))
    return HTML(f'<table style="font-size:85%"><tr>{header}</tr>{body}</table>')


def _span_style(index):
    """Style du span n° ``index`` : fond jaune pour le premier, soulignement épais et coloré pour les suivants."""
    if index == 0:
        return f"background:{ANSWER_COLOR}"
    return f"border-bottom:3px solid {COLORS[(index - 1) % len(COLORS)]}"


def highlight(text, spans):
    """Texte HTML avec des spans marqués : ``spans`` associe une légende à ``(début_car, fin_car)``.

    Le premier span est surligné, les suivants soulignés : deux spans qui se chevauchent (réponse
    attendue et réponse prédite) restent lisibles tous les deux.
    """
    styles = {label: _span_style(i) for i, label in enumerate(spans)}
    bounds = sorted({0, len(text), *(position for span in spans.values() for position in span)})
    html = []
    for start, end in zip(bounds, bounds[1:]):
        labels = [label for label, (a, b) in spans.items() if a <= start and end <= b]
        piece = escape(text[start:end])
        if labels:
            style = ";".join(styles[label] for label in labels)
            piece = f'<mark title="{escape(", ".join(labels))}" style="background:none;{style}">{piece}</mark>'
        html.append(piece)
    legend = " ".join(f'<mark style="background:none;{style}">{escape(label)}</mark>' for label, style in styles.items())
    return HTML(f"<p>{legend}</p><p style='line-height:1.8'>{''.join(html)}</p>")


def window_ranges(offset_mapping):
    """Intervalle de caractères ``(début, fin)`` du contexte couvert par chaque fenêtre (décalages ``None`` hors contexte)."""
    ranges = []
    for offsets in offset_mapping:
        context = [offset for offset in offsets if offset is not None]
        ranges.append((context[0][0], context[-1][1]))
    return ranges


def windows_figure(context_length, ranges, answer=None, labels=None):
    """Figure matplotlib : une barre par fenêtre sur l'axe des caractères du contexte, la réponse en jaune."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 0.5 + 0.45 * len(ranges)))
    for i, (start, end) in enumerate(ranges):
        ax.barh(i, end - start, left=start, color=COLORS[i % len(COLORS)], edgecolor="black")
        if labels:
            ax.text(end + context_length * 0.01, i, labels[i], va="center", fontsize=9)
    if answer is not None:
        ax.axvspan(*answer, color=ANSWER_COLOR, alpha=0.8, label="réponse")
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.set_xlim(0, context_length * 1.25)
    ax.set_yticks(range(len(ranges)), [f"fenêtre {i}" for i in range(len(ranges))])
    ax.invert_yaxis()
    ax.set_xlabel("position dans le contexte (caractères)")
    fig.tight_layout()
    return fig


def training_curves(log_history):
    """Figure matplotlib des courbes d'un entraînement, lues dans ``trainer.state.log_history``.

    Perte d'entraînement par pas (et taux d'apprentissage), perte de validation à chaque évaluation.
    """
    import matplotlib.pyplot as plt

    train = [(log["step"], log["loss"]) for log in log_history if "loss" in log]
    evaluation = [(log["step"], log["eval_loss"]) for log in log_history if "eval_loss" in log]
    rates = [(log["step"], log["learning_rate"]) for log in log_history if "learning_rate" in log]
    fig, (ax_loss, ax_rate) = plt.subplots(1, 2, figsize=(11, 3.5))
    if train:
        ax_loss.plot(*zip(*train), label="entraînement")
    if evaluation:
        ax_loss.plot(*zip(*evaluation), "o-", label="validation")
    ax_loss.set(xlabel="pas d'optimisation", ylabel="perte", title="Perte (entropie croisée début + fin)")
    ax_loss.legend()
    if rates:
        ax_rate.plot(*zip(*rates))
    ax_rate.set(xlabel="pas d'optimisation", ylabel="taux", title="Taux d'apprentissage")
    fig.tight_layout()
    return fig


def qa_widget(answer_question, context="", question=""):
    """Petit formulaire ipywidgets : contexte + question -> réponse surlignée et score.

    ``answer_question(question, context)`` renvoie un dict comme l'ancien *pipeline* ``question-answering``
    de transformers : ``answer``, ``score``, ``start``, ``end``. Une réponse vide signifie « pas de
    réponse » (modèle SQuAD v2). La réponse s'affiche dans un widget ``HTML`` dont on change la valeur,
    sans widget ``Output`` : une exécution automatique du notebook (nbclient, nbval) ne peut pas s'y bloquer.
    """
    import ipywidgets as widgets

    context_box = widgets.Textarea(value=context, description="Contexte", layout={"width": "95%", "height": "120px"})
    question_box = widgets.Text(value=question, description="Question", layout={"width": "95%"})
    button = widgets.Button(description="Répondre", button_style="primary")
    answer = widgets.HTML()

    def on_click(_):
        if not question_box.value.strip() or not context_box.value.strip():
            answer.value = "<p>Écrivez un contexte et une question.</p>"
            return
        result = answer_question(question=question_box.value, context=context_box.value)
        if not result["answer"]:
            answer.value = f"<p><b>Pas de réponse</b> dans ce contexte (score {result['score']:.2f}).</p>"
            return
        label = f"réponse (score {result['score']:.2f})"
        answer.value = highlight(context_box.value, {label: (result["start"], result["end"])}).data

    button.on_click(on_click)
    on_click(None)
    return widgets.VBox([context_box, question_box, button, answer])
