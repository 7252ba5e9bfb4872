"""Tokenising and summarising text: pure Python and GIL-holding C."""
import json
import re

TOKEN = re.compile(r"[A-Za-z]+|\d+")


def tokenize(text):
    return TOKEN.findall(text)


def count_tokens(lines):
    counts = {}
    for line in lines:
        for token in tokenize(line):
            counts[token] = counts.get(token, 0) + 1
    return counts


def parse_records(lines):
    return [json.loads(line) for line in lines if line.strip()]


def normalise(text):
    return " ".join(text.split())


def levenshtein(a, b):
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]
