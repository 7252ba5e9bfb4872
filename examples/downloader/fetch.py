"""HTTP downloads: blocking (urllib, http.client) and asyncio clients."""
import asyncio
import hashlib
import http.client
import time
import urllib.request
from urllib.parse import urlsplit

from .store import save_page

USER_AGENT = "concurrency-lens-example/1.0"


def fetch(url, timeout=10):
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.read()


def fetch_with_retry(url, attempts=3, backoff=0.5):
    for attempt in range(attempts):
        try:
            return fetch(url)
        except OSError:
            time.sleep(backoff * (2 ** attempt))
    raise RuntimeError(f"giving up on {url}")


def head_status(url):
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=10)
    try:
        connection.request("HEAD", parts.path or "/")
        return connection.getresponse().status
    finally:
        connection.close()


def mirror(url, folder):
    body = fetch_with_retry(url)
    return save_page(folder, url, body)


def fetch_and_fingerprint(url):
    """Downloads a page and fingerprints every line of it."""
    body = fetch(url).decode("utf-8", "replace")
    fingerprints = []
    for line in body.splitlines():
        words = sorted(set(line.lower().split()))
        fingerprints.append(hashlib.md5(" ".join(words).encode()).hexdigest()[:8])
    return fingerprints


async def fetch_async(host, port, path="/"):
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(f"GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n".encode())
    await writer.drain()
    body = await reader.read()
    writer.close()
    await writer.wait_closed()
    return body


async def poll_until_ready(host, port, delay=0.2):
    while True:
        try:
            return await fetch_async(host, port, "/health")
        except OSError:
            await asyncio.sleep(delay)
