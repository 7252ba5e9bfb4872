"""Builds a text report: word statistics, document similarity and money totals."""
import difflib
import random
from collections import Counter
from decimal import Decimal, ROUND_HALF_UP

from .render import format_row

WORDS = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu".split()


def make_document(seed, words=4000):
    """A deterministic pseudo-random document."""
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) for _ in range(words))


def word_frequencies(text):
    counts = {}
    for word in text.split():
        word = word.strip(".,;:!?").lower()
        counts[word] = counts.get(word, 0) + 1
    return counts


def top_words(text, n=10):
    return Counter(text.split()).most_common(n)


def similarity_matrix(documents):
    """Pairwise similarity of documents (difflib: pure Python, holds the GIL)."""
    size = len(documents)
    matrix = [[0.0] * size for _ in range(size)]
    for i in range(size):
        for j in range(i + 1, size):
            ratio = difflib.SequenceMatcher(None, documents[i], documents[j]).ratio()
            matrix[i][j] = matrix[j][i] = ratio
    return matrix


def invoice_total(lines):
    total = Decimal("0")
    for quantity, price in lines:
        total += Decimal(quantity) * Decimal(price)
    return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def primes_below(limit):
    sieve = [True] * limit
    sieve[0:2] = [False, False]
    for n in range(2, int(limit ** 0.5) + 1):
        if sieve[n]:
            for multiple in range(n * n, limit, n):
                sieve[multiple] = False
    return [n for n, is_prime in enumerate(sieve) if is_prime]


def report_section(seed):
    """One section of the report: the unit of work main.py parallelises."""
    text = make_document(seed)
    frequencies = word_frequencies(text)
    rows = [format_row(word, count) for word, count in sorted(frequencies.items())]
    return "\n".join(rows)


def title(name):
    return name.strip().title()


def percent(part, whole):
    return 0.0 if whole == 0 else 100.0 * part / whole
