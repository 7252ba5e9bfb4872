"""Hashing and compressing byte blobs: CPU work in C that releases the GIL."""
import bz2
import hashlib
import lzma
import zlib


def make_blob(seed, size=4 * 1024 * 1024):
    chunk = hashlib.sha256(str(seed).encode()).digest()
    return (chunk * (size // len(chunk) + 1))[:size]


def checksum(blob):
    return hashlib.sha256(blob).hexdigest()


def compress_blob(blob, level=6):
    return zlib.compress(blob, level)


def archive_blob(blob):
    return lzma.compress(bz2.compress(blob))


def derive_key(password, salt, rounds=200_000):
    return hashlib.pbkdf2_hmac("sha256", password.encode(), salt, rounds)


def blob_task(i):
    """The unit of work for a benchmark: build, hash and compress one blob."""
    blob = make_blob(i)
    return checksum(blob), len(compress_blob(blob))
