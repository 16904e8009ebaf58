"""Recherche de passages (leçon 05) : une base lexicale, BM25, et le classement par un encodeur de phrases.

Une requête (une question) doit retrouver, dans un corpus de passages, celui qui contient la réponse. BM25
compte les mots communs, pondérés par leur rareté ; un encodeur de phrases compare des vecteurs de sens.
"""

import math
import re
from collections import Counter


def words(text):
    """Mots en minuscules (lettres et chiffres) : la tokenisation de la base lexicale."""
    return re.findall(r"\w+", text.lower())


class BM25:
    """BM25 (Robertson et Zaragoza, 2009) sur un corpus de textes ; ``k1`` et ``b`` aux valeurs habituelles."""

    def __init__(self, corpus, k1=1.5, b=0.75):
        self.documents = [Counter(words(text)) for text in corpus]
        self.lengths = [sum(counts.values()) for counts in self.documents]
        self.average = sum(self.lengths) / len(self.lengths)
        frequency = Counter(word for counts in self.documents for word in counts)
        n = len(self.documents)
        self.idf = {word: math.log(1 + (n - df + 0.5) / (df + 0.5)) for word, df in frequency.items()}
        self.k1, self.b = k1, b

    def scores(self, query):
        """Score de chaque document du corpus pour ``query``."""
        terms = words(query)
        result = []
        for counts, length in zip(self.documents, self.lengths):
            norm = self.k1 * (1 - self.b + self.b * length / self.average)
            result.append(sum(self.idf.get(t, 0.0) * counts[t] * (self.k1 + 1) / (counts[t] + norm)
                              for t in terms if t in counts))
        return result


def rank(scores):
    """Indices des documents, du meilleur score au moins bon."""
    return sorted(range(len(scores)), key=lambda i: -scores[i])


def bm25_rankings(queries, corpus):
    """Classement du corpus par BM25 pour chaque requête."""
    index = BM25(corpus)
    return [rank(index.scores(query)) for query in queries]


def embedding_rankings(model, queries, corpus, batch_size=32):
    """Classement du corpus par similarité cosinus des vecteurs d'un encodeur ``sentence-transformers``."""
    query_vectors = model.encode(queries, batch_size=batch_size, convert_to_tensor=True, normalize_embeddings=True)
    corpus_vectors = model.encode(corpus, batch_size=batch_size, convert_to_tensor=True, normalize_embeddings=True)
    similarities = (query_vectors @ corpus_vectors.T).cpu().tolist()
    return [rank(row) for row in similarities]
