"""A small on-disk cache of downloaded pages (sqlite3 index + files)."""
import os
import sqlite3
from pathlib import Path


def page_path(folder, url):
    safe = url.replace("://", "_").replace("/", "_")
    return Path(folder) / f"{safe}.html"


def save_page(folder, url, body):
    path = page_path(folder, url)
    path.write_bytes(body)
    return path


def load_pages(folder):
    return {path.name: path.read_text() for path in Path(folder).glob("*.html")}


def index_pages(db_path, folder):
    connection = sqlite3.connect(db_path)
    with connection:
        connection.execute("CREATE TABLE IF NOT EXISTS pages (name TEXT PRIMARY KEY, size INTEGER)")
        for entry in os.scandir(folder):
            connection.execute("INSERT OR REPLACE INTO pages VALUES (?, ?)", (entry.name, entry.stat().st_size))
    connection.close()


def largest_pages(db_path, limit=10):
    connection = sqlite3.connect(db_path)
    try:
        cursor = connection.execute("SELECT name, size FROM pages ORDER BY size DESC LIMIT ?", (limit,))
        return cursor.fetchall()
    finally:
        connection.close()
