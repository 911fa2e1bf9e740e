"""Turning free text into terms, and terms into a BM25-weighted sparse matrix.

Tokenising is deliberately simple (a regex, a stopword list, a plural-folding stemmer):
the texts are short and the engine must index 100,000 people in pure Python, so every
step is cheap and memoised.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
from scipy import sparse

# Keeps "c++", "c#" and "node.js"-style words whole; everything else splits on non-letters.
_TOKEN = re.compile(r"[a-z0-9][a-z0-9+#]*(?:\.[a-z]{2,})?")

# Common English words, words every question and answer uses ("question", "basically"),
# and the fragments contractions leave behind ("don't" → "don", "t").
_STOPWORD_TEXT = """
    a able about above across actual actually affect after again against all almost
    along already also although always am among an and another answer answers any
    anybody anyone anything anyway appreciate appreciated are around as ask asked at
    away back basically be became because become been before being below best better
    between bit both but by came can cannot certain certainly clear completely consider
    considered could couple currently d definitely did didn difference differences
    different do does doesn doing don done down during e each edit either else enough
    especially etc even eventually ever every everything exactly example fact fairly far
    few find first for found from further generally get gets getting give given go goes
    going good got guess had happen happens hard has have having he hear heard hello
    help her here hers hi him his how however i idea if im imagine important in instead
    interested into is isn issue it its itself ive just keep kind know known last later
    least less let like likely little ll look lot lots m made mainly make makes many may
    maybe me mean means might more most mostly much must my near nearly necessarily need
    needs never new next nice no nor not nothing noticed now obviously of off often ok
    on once one ones only or other others otherwise our ours out over own part
    particular particularly people per perhaps please point possible possibly pretty
    probably problem put question questions quick quickly quite rather re really reason
    reasons recently regarding regular related right s said same say says see seem seems
    seen several she should significant significantly similar simple simply since
    slightly so some somehow someone something sometimes somewhat sort specific
    specifically still stuff such suppose supposed sure t take tell tend tends than
    thank thanks that the their theirs them then there therefore these they thing things
    think this those though thought through thus time times to together too took totally
    tried true truly try trying two type types typically under understand understanding
    unless until up update upon us use used uses using usually various ve very want
    wanted wants was wasn way ways we well went were what whatever when where whether
    which while who whole whom whose why will with within without won wonder wondering
    work works would yeah yes yet you your yours
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

BM25_K1 = 1.2
BM25_B = 0.75


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Fold plurals (Harman's S-stemmer, also sparing Latin "-is"/"-us" singulars).

    Aggressive stemmers merge unrelated skills ("organization"/"organ"); folding plurals
    is what matters for short questions.
    """
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and not word.endswith(("eies", "aies")):
        return word[:-3] + "y"
    if word.endswith("es") and word.endswith(("aes", "ees", "oes")):
        return word
    if word.endswith("s") and not word.endswith(("us", "ss", "is")):
        return word[:-1]
    return word


# Other single letters are mostly contraction debris or list markers; these two are languages.
_SINGLE_LETTER_WORDS = frozenset({"c", "r"})


def tokenize(text: str) -> list[str]:
    return [
        stem(word)
        for word in _TOKEN.findall(text.lower())
        if (len(word) > 1 or word in _SINGLE_LETTER_WORDS) and word not in STOPWORDS
    ]


class TermDictionary:
    """Term → column, grown while documents are indexed and frozen afterwards."""

    def __init__(self) -> None:
        self.column: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self.column)

    def ids(self, text: str) -> list[int]:
        column = self.column
        return [column.setdefault(term, len(column)) for term in tokenize(text)]

    def known_ids(self, text: str) -> np.ndarray:
        """Columns of the distinct known terms of a query; unknown terms cannot score."""
        column = self.column
        found = {column[term] for term in tokenize(text) if term in column}
        return np.fromiter(sorted(found), dtype=np.int32, count=len(found))


def term_counts(
    row_index: np.ndarray, term_index: np.ndarray, n_documents: int, n_terms: int
) -> sparse.csr_matrix:
    """Documents × terms counts from one (document, term) pair per token occurrence."""
    counts = sparse.coo_matrix(
        (np.ones(len(row_index), dtype=np.float32), (row_index, term_index)),
        shape=(n_documents, n_terms),
    ).tocsr()
    counts.sum_duplicates()
    return counts


def bm25_saturate(tf: np.ndarray, lengths: np.ndarray, mean_length: float) -> np.ndarray:
    """BM25's term-frequency part: saturating in tf, normalised by document length."""
    norm = BM25_K1 * (1 - BM25_B + BM25_B * lengths / max(mean_length, 1e-9))
    return (tf * (BM25_K1 + 1) / (tf + norm)).astype(np.float32)


def bm25_idf(document_frequency: np.ndarray, n_documents: int) -> np.ndarray:
    df = np.asarray(document_frequency, dtype=np.float64)
    return np.log1p((n_documents - df + 0.5) / (df + 0.5)).astype(np.float32)


def bm25_matrix(counts: sparse.csr_matrix) -> tuple[sparse.csc_matrix, np.ndarray]:
    """BM25 term weights per document (without IDF) as CSC, plus each term's IDF.

    For collections that do not change with time (profiles): IDF is applied at query
    time so one matrix serves any query.
    """
    n_documents, n_terms = counts.shape
    lengths = np.asarray(counts.sum(axis=1)).ravel()
    mean_length = float(lengths.mean()) if lengths.any() else 1.0
    weights = counts.copy()
    row_of_entry = np.repeat(np.arange(n_documents), np.diff(counts.indptr))
    weights.data = bm25_saturate(counts.data, lengths[row_of_entry], mean_length)
    idf = bm25_idf(np.bincount(counts.indices, minlength=n_terms), n_documents)
    return weights.tocsc(), idf


def column_postings(
    matrix: sparse.csc_matrix, columns: np.ndarray, column_weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(row, weighted value) for every stored entry in the given columns of a CSC matrix."""
    rows, values, _ = column_postings_by_column(matrix, columns, column_weights)
    return rows, values


def column_postings_by_column(
    matrix: sparse.csc_matrix, columns: np.ndarray, column_weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Like column_postings, plus the position in ``columns`` each entry came from."""
    empty = np.zeros(0, dtype=np.int32)
    if len(columns) == 0:
        return empty, np.zeros(0, dtype=np.float32), empty
    starts = matrix.indptr[columns]
    ends = matrix.indptr[columns + 1]
    lengths = ends - starts
    total = int(lengths.sum())
    if total == 0:
        return empty, np.zeros(0, dtype=np.float32), empty
    # Flat positions of every entry of every selected column, built without a Python loop.
    offsets = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
    positions = np.arange(total) + offsets
    rows = matrix.indices[positions]
    values = matrix.data[positions] * np.repeat(column_weights, lengths)
    return rows, values, np.repeat(np.arange(len(columns)), lengths)
