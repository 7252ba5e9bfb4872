"""An older batch script, kept to show what Concurrency Lens reports about how work is handed to
threads, processes and the event loop: one mistake of each rule (CL001-CL006). `npm start` lists them;
in VS Code each one is a diagnostic, most with a quick fix."""
import asyncio
import urllib.request
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

from downloader.fetch import fetch
from reports.generator import primes_below


def primes_in_threads(limits):
    # CL001: pure-Python CPU work in threads runs one thread at a time (the GIL).
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(primes_below, limits))


def download_in_processes(urls):
    # CL002: waiting on the network needs no process per worker; threads overlap the waits.
    with ProcessPoolExecutor() as pool:
        return list(pool.map(fetch, urls))


def squares_in_processes(numbers):
    # CL003: a lambda cannot be pickled to a worker process.
    with ProcessPoolExecutor() as pool:
        return list(pool.map(lambda n: n * n, numbers))


async def refresh_all(urls):
    # CL005: urlopen blocks the event loop (and every other task with it).
    pages = []
    for url in urls:
        with urllib.request.urlopen(url, timeout=10) as response:
            pages.append(response.read())
    await asyncio.sleep(0)
    return pages


def primes_per_batch(batches):
    results = []
    for batch in batches:
        # CL006: a pool started and stopped for every batch.
        with ProcessPoolExecutor() as pool:
            results.append(list(pool.map(primes_below, batch)))
    return results


# CL004: a process pool created when the module is imported, outside `if __name__ == "__main__":`.
SHARED_POOL = ProcessPoolExecutor(max_workers=2)
