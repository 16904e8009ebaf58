"""Visualisations des leçons : tableau des tokens, réponses surlignées, fenêtres, courbes d'entraînement."""

from html import escape

from IPython.display import HTML

from .french import number

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


def training_curves(log_history, schedule=None):
    """Figure matplotlib des courbes d'un entraînement, lues dans ``trainer.state.log_history``.

    À gauche, la perte d'entraînement journalisée et la perte de validation à chaque évaluation ; à
    droite, le taux d'apprentissage : le planning complet, pas par pas, si ``schedule`` le donne
    (``training.learning_rate_schedule``), et les valeurs journalisées.
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
    if schedule:
        ax_rate.plot(range(1, len(schedule) + 1), schedule, label="planning, à chaque pas")
    if rates:
        ax_rate.plot(*zip(*rates), "o", markersize=4, label="valeurs journalisées")
    ax_rate.set(xlabel="pas d'optimisation", ylabel="taux", title="Taux d'apprentissage")
    ax_rate.legend()
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
            answer.value = f"<p><b>Pas de réponse</b> dans ce contexte (score {number(result['score'], 2)}).</p>"
            return
        label = f"réponse (score {number(result['score'], 2)})"
        answer.value = highlight(context_box.value, {label: (result["start"], result["end"])}).data

    button.on_click(on_click)
    on_click(None)
    return widgets.VBox([context_box, question_box, button, answer])


def probabilities_figure(tokens, p_start, p_end, answer=None):
    """Figure matplotlib : probabilité de début et de fin de chaque token d'une fenêtre, la réponse en jaune."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(max(9, 0.22 * len(tokens)), 3.5))
    positions = range(len(tokens))
    ax.bar([p - 0.2 for p in positions], p_start, width=0.4, label="début")
    ax.bar([p + 0.2 for p in positions], p_end, width=0.4, label="fin")
    if answer is not None:
        ax.axvspan(answer[0] - 0.5, answer[1] + 0.5, color=ANSWER_COLOR, alpha=0.5, label="réponse retenue")
    ax.set_xticks(list(positions), tokens, rotation=90, fontsize=8)
    ax.set(ylabel="probabilité", title="Probabilités de début et de fin, token par token")
    ax.legend()
    fig.tight_layout()
    return fig


def span_scores_figure(start_logits, end_logits, tokens, starts, ends, valid):
    """Grille des scores (logit de début + logit de fin) des n meilleurs débuts × n meilleures fins.

    ``valid(start, end)`` dit si le couple est un span possible ; les autres cases restent grises.
    """
    import matplotlib.pyplot as plt
    import numpy as np

    grid = np.array([[start_logits[s] + end_logits[e] if valid(s, e) else np.nan for e in ends] for s in starts])
    fig, ax = plt.subplots(figsize=(1.2 + 0.5 * len(ends), 1 + 0.4 * len(starts)))
    ax.set_facecolor("#dddddd")
    image = ax.imshow(grid, cmap="viridis")
    ax.set_xticks(range(len(ends)), [f"{e} {tokens[e]}" for e in ends], rotation=90, fontsize=8)
    ax.set_yticks(range(len(starts)), [f"{s} {tokens[s]}" for s in starts], fontsize=8)
    ax.set(xlabel="token de fin", ylabel="token de début", title="Score des spans (gris : impossibles)")
    fig.colorbar(image, ax=ax, label="logit début + logit fin")
    fig.tight_layout()
    return fig
