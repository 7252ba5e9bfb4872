"""Rendering helpers for reports."""
import json


def format_row(label, value):
    return f"| {label:<12} | {value:>8} |"


def render_markdown(title, rows):
    lines = [f"# {title}", "", "| label | value |", "|---|---|"]
    for label, value in rows:
        lines.append(format_row(label, value))
    return "\n".join(lines)


def render_json_lines(records):
    return "\n".join(json.dumps(record, sort_keys=True) for record in records)


def slugify(text):
    return "-".join(text.lower().split())
