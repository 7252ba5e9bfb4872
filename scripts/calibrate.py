"""Measures the CPython constants of the cost model on this machine (run by scripts/calibrate.mjs).

    python3 calibrate.py [--quick] [--only PREFIX[,PREFIX...]] [--list]

Prints one JSON object on stdout: {"machine": {...}, "constants": {name: {seconds, per, note}},
"absent": {name: reason}}; progress goes to stderr. --list prints {name: per} of every constant.

Method (the same as scripts/calibrate-node.mjs): a constant is the minimum over several repetitions of
a timed loop of at least MIN_LOOP_SECONDS, the loop's count found by growing it until one run lasts that
long. Repetitions of the loops a constant compares are interleaved, so a burst of load from elsewhere
hits them alike. Loops are timed in CPU time wherever it can be read (see Clock), so that the load of
other programs counts as little as it can. A per-byte (per-item) constant is the slope between two
sizes, so that the fixed cost of a call is kept apart. The note says how, the per-call overhead where
one exists, and the spread (median over minimum of the repetitions). A constant whose library is missing is absent, never guessed.

Heavy modules are imported where they are measured: a `spawn` child imports this script again, and
what that costs belongs to the script a user would write, not to this one.
"""

import argparse
import io
import json
import math
import multiprocessing
import os
import platform
import statistics
import sys
import tempfile
import threading
import time

MIN_LOOP_SECONDS = 0.02
REPETITIONS = 7
QUICK_REPETITIONS = 2
MAX_GROWTH = 100

try:
    import resource
except ImportError:  # Windows: no rusage of children.
    resource = None


class Clock:
    """What a sampler's loop is timed with: CPU time (of this thread; of this process and the processes
    it works with, summed), which is what the work costs on an idle machine, without the time spent
    waiting for a core while other programs run. Wall time where the work runs on several cores at once
    (BLAS's threads), and where CPU time cannot be read."""

    def __init__(self, name, read):
        self.name = name
        self.read = read


def family_cpu_time():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + usage.ru_utime + usage.ru_stime


CPU = Clock("thread CPU time", time.thread_time)
WALL = Clock("wall time", time.perf_counter)
FAMILY = Clock("CPU time of this process's threads and of its ended children", family_cpu_time) if resource else WALL


def schedstat_seconds(pid):
    with open(f"/proc/{pid}/schedstat") as file:
        return int(file.read().split()[0]) / 1e9


def cpu_with(processes, what):
    """This process's CPU time plus that of `processes` (single-threaded, alive and waiting whenever
    the clock is read: /proc/PID/schedstat lags by up to a scheduler tick for a running thread), from
    /proc; wall time where there is no /proc."""
    pids = [process.pid for process in processes]
    try:
        for pid in pids:
            schedstat_seconds(pid)
    except OSError:
        return WALL
    return Clock(f"CPU time of this process and {what}", lambda: time.process_time() + sum(schedstat_seconds(pid) for pid in pids))


class Absent(Exception):
    """The constant cannot be measured here (its library is missing)."""


def calibrated_count(sample, now):
    """The smallest count (grown geometrically) whose sample(count, now) lasts MIN_LOOP_SECONDS, and that time."""
    count = 1
    while True:
        elapsed = sample(count, now)
        if elapsed >= MIN_LOOP_SECONDS:
            return count, elapsed
        growth = MIN_LOOP_SECONDS * 1.2 / elapsed if elapsed > 0 else MAX_GROWTH
        count = max(count + 1, int(count * min(MAX_GROWTH, max(2.0, growth))))


def per_unit_times(samplers, clock, repetitions):
    """Seconds per unit of each sampler, `repetitions` times each, the samplers interleaved."""
    counts = []
    times = []
    for sample in samplers:
        count, elapsed = calibrated_count(sample, clock.read)
        counts.append(count)
        times.append([elapsed / count])
    for _ in range(repetitions - 1):
        for index, sample in enumerate(samplers):
            times[index].append(sample(counts[index], clock.read) / counts[index])
    return times


def spread(times):
    return statistics.median(times) / min(times) - 1


def how(times, clock):
    return f"{clock.name}, min of {len(times)} loops of >= {MIN_LOOP_SECONDS * 1000:.0f} ms, spread {spread(times):.0%}"


def human(seconds):
    for unit, scale in (("s", 1), ("ms", 1e-3), ("µs", 1e-6)):
        if abs(seconds) >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def per_unit(sample, clock, repetitions, what):
    (times,) = per_unit_times([sample], clock, repetitions)
    return min(times), f"{what}; {how(times, clock)}"


def difference(sample_with, sample_without, operations, repetitions, what):
    """The cost of one of the `operations` a pass of sample_with does beyond sample_without's pass (CPU time)."""
    with_it, without = per_unit_times([sample_with, sample_without], CPU, repetitions)
    seconds = (min(with_it) - min(without)) / operations
    if seconds <= 0:
        raise RuntimeError(f"no measurable difference ({human(min(with_it))} vs {human(min(without))} a pass)")
    return seconds, f"{what}; {operations} per pass, minus the same loop without them ({human(min(without))} a pass); {how(with_it, CPU)}"


def slope(make_sample, small, large, clock, repetitions, unit, what):
    """Seconds per unit of size between two sizes; make_sample(size) -> (sample, units of that size)."""
    small_sample, small_units = make_sample(small)
    large_sample, large_units = make_sample(large)
    small_times, large_times = per_unit_times([small_sample, large_sample], clock, repetitions)
    seconds = (min(large_times) - min(small_times)) / (large_units - small_units)
    if seconds <= 0:
        raise RuntimeError(f"the larger size was not slower ({human(min(large_times))} vs {human(min(small_times))})")
    overhead = min(small_times) - seconds * small_units
    # A negative intercept: the larger size costs more per unit (caches, allocation), no fixed cost shows.
    fixed = f"per-call overhead {human(overhead)}" if overhead > 0 else "no per-call overhead measurable"
    units = unit + ("es" if unit.endswith(("ch", "sh", "s", "x")) else "s")
    return seconds, f"{what}; slope between {small_units:,.0f} and {large_units:,.0f} {units}, {fixed}; {how(large_times, clock)}"


_text_cache = {}


def text_like(size):
    """`size` bytes of ASCII words and lines (compresses about like prose), the same on every run."""
    if size not in _text_cache:
        import random

        rng = random.Random(13)
        letters = "etaoinshrdlcumwfgypbvk"
        words = ["".join(rng.choice(letters) for _ in range(rng.randint(2, 9))) for _ in range(2000)]
        pieces = []
        length = 0
        while length < size:
            line = " ".join(rng.choice(words) for _ in range(12)) + ".\n"
            pieces.append(line)
            length += len(line)
        _text_cache[size] = "".join(pieces)[:size].encode("ascii")
    return _text_cache[size]


def records(count):
    """A list of `count` small dicts, as JSON APIs and pickled task arguments look."""
    return [
        {"id": i, "name": f"user{i}", "email": f"user{i}@example.com", "score": i * 0.25, "active": i % 3 == 0, "tags": ["a", "bb", "ccc"]}
        for i in range(count)
    ]


def noop():
    return None


def rss_megabytes():
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    except OSError:
        return None


CONSTANTS = {}


def constant(name, per):
    def register(measure):
        CONSTANTS[name] = (per, measure)
        return measure

    return register


@constant("py.loop_iteration", "iteration")
def loop_iteration(repetitions):
    def sample(count, now):
        start = now()
        total = 0
        for i in range(count):
            total += i * 2
        return now() - start

    return per_unit(sample, CPU, repetitions, "for i in range(n): total += i * 2")


# The loops below do UNROLLED operations a pass, measured against the same loop reading a local
# instead: one operation of a few ns a pass would be within the loops' noise.
UNROLLED = 4


def local_reads(count, now):
    value = 1
    start = now()
    total = 0
    for _ in range(count):
        total += value + value + value + value
    return now() - start


def identity(value):
    return value


@constant("py.function_call", "call")
def function_call(repetitions):
    def sample(count, now):
        call = identity
        start = now()
        total = 0
        for _ in range(count):
            total += call(1) + call(1) + call(1) + call(1)
        return now() - start

    return difference(sample, local_reads, UNROLLED, repetitions, "f(1), a one-argument Python function, beyond reading a local")


class Holder:
    def __init__(self):
        self.value = 1


@constant("py.attribute_access", "access")
def attribute_access(repetitions):
    def sample(count, now):
        holder = Holder()
        start = now()
        total = 0
        for _ in range(count):
            total += holder.value + holder.value + holder.value + holder.value
        return now() - start

    return difference(sample, local_reads, UNROLLED, repetitions, "obj.value, an instance attribute, beyond reading a local")


@constant("py.dict_op", "operation")
def dict_op(repetitions):
    def sample(count, now):
        table = {key: 1 for key in range(1024)}
        start = now()
        total = 0
        for i in range(count):
            key = i & 1023
            total += table[key] + table[key] + table[key] + table[key]
        return now() - start

    def without(count, now):
        value = 1
        start = now()
        total = 0
        for i in range(count):
            key = i & 1023
            total += value + value + value + value
        return now() - start

    return difference(sample, without, UNROLLED, repetitions, "d[key], an int key in a 1,024-entry dict, beyond reading a local")


@constant("py.sort_compare", "comparison")
def sort_compare(repetitions):
    import math
    import random

    def make_sample(n):
        rng = random.Random(n)
        values = [rng.randrange(1 << 30) for _ in range(n)]

        def sample(count, now):
            start = now()
            for _ in range(count):
                sorted(values)
            return now() - start

        return sample, n * math.log2(n)

    return slope(make_sample, 1000, 30_000, CPU, repetitions, "comparison", "sorted() of random ints, n*log2(n) comparisons at n = 1,000 and 30,000")


@constant("py.str_concat_byte", "byte")
def str_concat_byte(repetitions):
    def make_sample(size):
        left = "a" * (size // 2)
        right = "b" * (size - size // 2)

        def sample(count, now):
            start = now()
            for _ in range(count):
                joined = left + right
            del joined
            return now() - start

        return sample, size

    return slope(make_sample, 4096, 256 * 1024, CPU, repetitions, "byte", "left + right of two ASCII str halves, per byte of the result")


def hash_constant(algorithm):
    def measure(repetitions):
        import hashlib

        def make_sample(size):
            data = os.urandom(size)
            new = getattr(hashlib, algorithm)

            def sample(count, now):
                start = now()
                for _ in range(count):
                    new(data).digest()
                return now() - start

            return sample, size

        return slope(make_sample, 4096, 1 << 20, CPU, repetitions, "byte", f"hashlib.{algorithm}(data).digest() (releases the GIL above 2 KiB)")

    return measure


constant("py.hash_sha256_byte", "byte")(hash_constant("sha256"))
constant("py.hash_md5_byte", "byte")(hash_constant("md5"))


@constant("py.hash_small_call", "call")
def hash_small_call(repetitions):
    import hashlib

    def sample(count, now):
        start = now()
        for _ in range(count):
            hashlib.sha256(b"x" * 64).hexdigest()
        return now() - start

    return per_unit(sample, CPU, repetitions, "hashlib.sha256(b'x' * 64).hexdigest(), loop included (holds the GIL)")


@constant("py.hmac_call", "call")
def hmac_call(repetitions):
    import hashlib
    import hmac

    message = b"x" * 64

    def sample(count, now):
        start = now()
        for _ in range(count):
            hmac.new(b"gateway-key", message, hashlib.sha256).digest()
        return now() - start

    return per_unit(sample, CPU, repetitions, "hmac.new(key, b'x' * 64, hashlib.sha256).digest(), loop included (holds the GIL)")


DECIMAL_TEXTS = ("48.50", "118.40", "0.15", "295.00")


@constant("py.decimal_new", "construction")
def decimal_new(repetitions):
    """Decimal(text) and Decimal(int), the constructions money code makes: beyond a loop reading the same values."""
    from decimal import Decimal

    def with_it(count, now):
        texts = DECIMAL_TEXTS
        start = now()
        for i in range(count):
            Decimal(texts[i & 3])
            Decimal(i)
        return now() - start

    def without(count, now):
        texts = DECIMAL_TEXTS
        start = now()
        for i in range(count):
            texts[i & 3]
            i
        return now() - start

    return difference(with_it, without, 2, repetitions, "Decimal('48.50') and Decimal(i) (C, holding the GIL)")


@constant("py.decimal_operation", "operation")
def decimal_operation(repetitions):
    """An arithmetic operator on Decimals (+, -, * by a Decimal and by an int), beyond a loop reading the same operands."""
    from decimal import Decimal

    price, rate, quantity = Decimal("48.50"), Decimal("0.20"), 3

    def with_it(count, now):
        start = now()
        for _ in range(count):
            price + rate
            price - rate
            price * rate
            price * quantity
        return now() - start

    def without(count, now):
        start = now()
        for _ in range(count):
            price, rate
            price, rate
            price, rate
            price, quantity
        return now() - start

    return difference(with_it, without, 4, repetitions, "price + rate, price - rate, price * rate, price * 3 on Decimals (C, holding the GIL)")


@constant("py.decimal_quantize", "call")
def decimal_quantize(repetitions):
    """Decimal.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP): a price rounded to the penny, beyond the loop."""
    from decimal import ROUND_HALF_UP, Decimal

    amount, penny = Decimal("57.925"), Decimal("0.01")

    def with_it(count, now):
        start = now()
        for _ in range(count):
            amount.quantize(penny, rounding=ROUND_HALF_UP)
        return now() - start

    def without(count, now):
        start = now()
        for _ in range(count):
            amount, penny
        return now() - start

    return difference(with_it, without, 1, repetitions, "amount.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP) (C, holding the GIL)")


EMAIL_TEXT = "Thank you for your donation, you have given 12 times. " * 6
EMAIL_HTML = "<html><body>" + "<p>Session at Venue 3 on 2026-12-11: 12 places free</p>" * 30 + "</body></html>"


@constant("py.email_part", "part")
def email_part(repetitions):
    """A part set or added to an EmailMessage: set_content of a text and add_alternative of an HTML page, per part."""
    from email.message import EmailMessage

    def sample(count, now):
        start = now()
        for _ in range(count):
            message = EmailMessage()
            message.set_content(EMAIL_TEXT)
            message.add_alternative(EMAIL_HTML, subtype="html")
        return now() - start

    seconds, note = per_unit(sample, CPU, repetitions, "EmailMessage() with set_content(~330 characters) and add_alternative(~1.7 KB of HTML), per part")
    return seconds / 2, note


@constant("py.email_flatten", "message")
def email_flatten(repetitions):
    """EmailMessage.as_bytes() of a message of a text part and an HTML alternative (~2.2 KB written)."""
    from email.message import EmailMessage

    message = EmailMessage()
    message["To"] = "donor@example.org"
    message["Subject"] = "News"
    message.set_content(EMAIL_TEXT)
    message.add_alternative(EMAIL_HTML, subtype="html")

    def sample(count, now):
        start = now()
        for _ in range(count):
            message.as_bytes()
        return now() - start

    return per_unit(sample, CPU, repetitions, f"EmailMessage.as_bytes() of a message of two parts ({len(message.as_bytes()):,} bytes)")


def compress_constant(module_name, compress, what, small, large, library=False):
    """compress(module, data) per input byte; the module is imported when measured (absent if it cannot be).
    A third-party `library` names its version in the note."""

    def measure(repetitions):
        module = import_optional(module_name)

        def make_sample(size):
            data = text_like(size)

            def sample(count, now):
                start = now()
                for _ in range(count):
                    compress(module, data)
                return now() - start

            return sample, size

        version = f" ({module_name} {module.__version__})" if library else ""
        return slope(make_sample, small, large, CPU, repetitions, "byte", f"{what} of text-like ASCII, per input byte{version}")

    return measure


constant("py.zlib_compress_byte", "byte")(
    compress_constant("zlib", lambda zlib, data: zlib.compress(data, 6), "zlib.compress(data, 6)", 16 * 1024, 1 << 20)
)
constant("py.lzma_compress_byte", "byte")(
    compress_constant("lzma", lambda lzma, data: lzma.compress(data), "lzma.compress(data) (preset 6)", 16 * 1024, 128 * 1024)
)
constant("py.bz2_compress_byte", "byte")(
    compress_constant("bz2", lambda bz2, data: bz2.compress(data), "bz2.compress(data) (level 9)", 16 * 1024, 256 * 1024)
)


@constant("py.zlib_decompress_byte", "byte")
def zlib_decompress_byte(repetitions):
    import zlib

    def make_sample(size):
        compressed = zlib.compress(text_like(size), 6)

        def sample(count, now):
            start = now()
            for _ in range(count):
                zlib.decompress(compressed)
            return now() - start

        return sample, size

    return slope(make_sample, 16 * 1024, 1 << 20, CPU, repetitions, "byte", "zlib.decompress() of level-6 text-like data, per output byte")


@constant("py.crc32_byte", "byte")
def crc32_byte(repetitions):
    import zlib

    def make_sample(size):
        data = os.urandom(size)

        def sample(count, now):
            start = now()
            for _ in range(count):
                zlib.crc32(data)
            return now() - start

        return sample, size

    return slope(make_sample, 64 * 1024, 4 << 20, CPU, repetitions, "byte", "zlib.crc32(data) (releases the GIL above 5 KiB)")


@constant("py.aead_byte", "byte")
def aead_byte(repetitions):
    import_optional("cryptography")
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    cipher, nonce = AESGCM(AESGCM.generate_key(bit_length=256)), bytes(12)

    def make_sample(size):
        data = os.urandom(size)

        def sample(count, now):
            start = now()
            for _ in range(count):
                cipher.encrypt(nonce, data, None)
            return now() - start

        return sample, size

    return slope(make_sample, 16 * 1024, 96 * 1024, CPU, repetitions, "byte", "AESGCM.encrypt(nonce, data, None) (OpenSSL, releases the GIL; under malloc's mmap threshold)")


def serialize_constant(module_name, direction):
    """json/pickle dumps (per byte of output) or loads (per byte of input) of a list of small dicts."""

    def measure(repetitions):
        module = __import__(module_name)

        def make_sample(count):
            value = records(count)
            encoded = module.dumps(value)
            operation = module.dumps if direction == "dumps" else module.loads
            argument = value if direction == "dumps" else encoded

            def sample(repeat, now):
                start = now()
                for _ in range(repeat):
                    operation(argument)
                return now() - start

            return sample, len(encoded)

        side = "output" if direction == "dumps" else "input"
        return slope(make_sample, 50, 2000, CPU, repetitions, "byte", f"{module_name}.{direction}() of a list of 50 and 2,000 small dicts, per byte of {side}")

    return measure


constant("py.json_loads_byte", "byte")(serialize_constant("json", "loads"))
constant("py.json_dumps_byte", "byte")(serialize_constant("json", "dumps"))
constant("py.pickle_dumps_byte", "byte")(serialize_constant("pickle", "dumps"))
constant("py.pickle_loads_byte", "byte")(serialize_constant("pickle", "loads"))


@constant("py.re_search_byte", "byte")
def re_search_byte(repetitions):
    import re

    pattern = re.compile(r"[0-9]{3}-[0-9]{4}")

    def make_sample(size):
        text = text_like(size).decode("ascii")

        def sample(count, now):
            start = now()
            for _ in range(count):
                pattern.search(text)
            return now() - start

        return sample, size

    return slope(make_sample, 16 * 1024, 1 << 20, CPU, repetitions, "byte", "re.search('[0-9]{3}-[0-9]{4}') over text with no match (the whole text searched)")


@constant("py.re_match_item", "match")
def re_match_item(repetitions):
    import re

    pattern = re.compile(r"\w+")

    def make_sample(size):
        text = text_like(size).decode("ascii")
        matches = len(pattern.findall(text))

        def sample(count, now):
            start = now()
            for _ in range(count):
                pattern.findall(text)
            return now() - start

        return sample, matches

    return slope(make_sample, 16 * 1024, 1 << 20, CPU, repetitions, "match", "re.findall(r'\\w+') over text of words, per match (a str built for each)")


def import_optional(name):
    try:
        return __import__(name)
    except ImportError as error:
        raise Absent(f"{name} is not installed for {sys.executable} ({error})") from None


@constant("py.numpy_matmul_flop", "flop")
def numpy_matmul_flop(repetitions):
    numpy = import_optional("numpy")
    size = 512
    generator = numpy.random.default_rng(13)
    left = generator.random((size, size))
    right = generator.random((size, size))

    def sample(count, now):
        start = now()
        for _ in range(count):
            left @ right
        return now() - start

    what = f"a @ b of two 512x512 float64 arrays, 2*512^3 flops, BLAS's own threads included (numpy {numpy.__version__})"
    seconds, note = per_unit(sample, WALL, repetitions, what)
    return seconds / (2 * size**3), note


@constant("py.numpy_lu_flop", "flop")
def numpy_lu_flop(repetitions):
    """np.linalg.solve of a 900 x 900 float64 system: its LU's 2/3 n^3 flops, OpenBLAS's own threads included."""
    numpy = import_optional("numpy")
    size = 900
    generator = numpy.random.default_rng(13)
    matrix = generator.random((size, size)) + numpy.eye(size) * size
    vector = generator.random(size)

    def sample(count, now):
        start = now()
        for _ in range(count):
            numpy.linalg.solve(matrix, vector)
        return now() - start

    what = f"numpy.linalg.solve of a 900x900 float64 system, 2/3*900^3 flops, BLAS's own threads included (numpy {numpy.__version__})"
    seconds, note = per_unit(sample, WALL, repetitions, what)
    return seconds / (2 * size**3 / 3), note


@constant("py.numpy_elementwise_item", "item")
def numpy_elementwise_item(repetitions):
    numpy = import_optional("numpy")
    items = 1_000_000
    left = numpy.arange(items, dtype=numpy.float64)
    right = numpy.ones(items, dtype=numpy.float64)

    def sample(count, now):
        start = now()
        for _ in range(count):
            left + right
        return now() - start

    seconds, note = per_unit(sample, CPU, repetitions, f"a + b of two 1e6 float64 arrays, a new array each time (numpy {numpy.__version__})")
    return seconds / items, note


@constant("py.msgpack_byte", "byte")
def msgpack_byte(repetitions):
    msgpack = import_optional("msgpack")
    records = [{"reader": n, "type": "view", "article": n % 997, "ms": n * 13 % 5000} for n in range(10_000)]
    size = len(msgpack.packb(records))

    def sample(count, now):
        start = now()
        for _ in range(count):
            msgpack.packb(records)
        return now() - start

    seconds, note = per_unit(sample, CPU, repetitions, f"msgpack.packb of a list of 10,000 records of 4 fields, per byte written (msgpack {msgpack.version})")
    return seconds / size, note


NUMPY_RANDOM_VALUES = 1_000_000


def numpy_over_random_values(repetitions, work, what):
    """CPU seconds per item of `work(numpy, values)` over NUMPY_RANDOM_VALUES random float64 values, and the note."""
    numpy = import_optional("numpy")
    values = numpy.random.default_rng(1).lognormal(5.3, 0.45, NUMPY_RANDOM_VALUES)

    def sample(count, now):
        start = now()
        for _ in range(count):
            work(numpy, values)
        return now() - start

    seconds, note = per_unit(sample, CPU, repetitions, f"{what} of 1e6 random float64 (numpy {numpy.__version__})")
    return seconds / NUMPY_RANDOM_VALUES, note


@constant("py.numpy_select_item", "item")
def numpy_select_item(repetitions):
    return numpy_over_random_values(repetitions, lambda numpy, values: numpy.percentile(values, 90), "np.percentile(a, 90), a copy then a partition,")


@constant("py.numpy_sort_compare", "comparison")
def numpy_sort_compare(repetitions):
    seconds, note = numpy_over_random_values(repetitions, lambda numpy, values: numpy.argsort(values), "np.argsort(a), per item and level (n log2 n),")
    return seconds / math.log2(NUMPY_RANDOM_VALUES), note


@constant("py.numpy_draw_item", "item")
def numpy_draw_item(repetitions):
    numpy = import_optional("numpy")
    items = 1_000_000
    rng = numpy.random.default_rng(1)

    def sample(count, now):
        start = now()
        for _ in range(count):
            rng.uniform(18.0, 38.0, items)
        return now() - start

    seconds, note = per_unit(sample, CPU, repetitions, f"rng.uniform(18, 38, 1e6) of a numpy Generator (numpy {numpy.__version__})")
    return seconds / items, note


def two_compartment(_t, y, k10, k12, k21, rate):
    central, peripheral = y
    return [rate - (k10 + k12) * central + k21 * peripheral, k12 * central - k21 * peripheral]


@constant("py.ode_step", "step")
def ode_step(repetitions):
    """One step of SciPy's `solve_ivp` (RK45, its default): its Python code and numpy on a few numbers, six calls of a
    small right-hand side written in Python; the GIL is held throughout."""
    integrate = import_optional("scipy.integrate").integrate

    def make(steps):
        def sample(count, now):
            start = now()
            for _ in range(count):
                integrate.solve_ivp(two_compartment, (0, steps * 0.1), [0.0, 0.0], args=(0.2, 0.3, 0.2, 1.0), max_step=0.1)
            return now() - start

        return sample, steps

    return slope(make, 50, 400, CPU, repetitions, "step", "solve_ivp(f, (0, T), [0, 0], max_step=0.1) of a two-compartment model written in Python, RK45")


@constant("py.scrypt_block", "block")
def scrypt_block(repetitions):
    """scrypt (hashlib.scrypt: OpenSSL's, which cryptography's Scrypt calls too) per block of its work, n x r: memory-hard,
    each of the n steps mixes r blocks of 128 bytes, twice; n = 2**12, r = 8 here."""
    return scrypt_per_block(2**12, 8, repetitions, "hashlib.scrypt(n=2**12, r=8, p=1) of a short password, per n x r")


@constant("py.scrypt_block_large", "block")
def scrypt_block_large(repetitions):
    """scrypt per block of its work when its memory (128 x r x n bytes) is past the cache: n = 2**15, r = 8 (32 MB) here,
    ~2.5x py.scrypt_block's price on this machine (scrypt_params_study.py: ~0.35 us a block up to 16 MB, ~0.9 from 32 MB)."""
    return scrypt_per_block(2**15, 8, repetitions, "hashlib.scrypt(n=2**15, r=8, p=1) of a short password (32 MB), per n x r")


def scrypt_per_block(n, r, repetitions, what):
    """hashlib.scrypt of a short password at n and r (p = 1), per block of its work (n x r)."""
    import hashlib

    def sample(count, now):
        start = now()
        for k in range(count):
            hashlib.scrypt(b"correct horse battery", salt=b"salt-%d" % k, n=n, r=r, p=1, maxmem=64 * 1024 * 1024, dklen=32)
        return now() - start

    seconds, note = per_unit(sample, CPU, repetitions, what)
    return seconds / (n * r), note


@constant("py.lsap_cell", "cell")
def lsap_cell(repetitions):
    """scipy.optimize.linear_sum_assignment of a square cost matrix of random values, per cell (its C++ solver holds the
    GIL); grows slowly with the side (26 ns a cell at 100, 58 at 1,600 on this machine's first measurement): 600 here."""
    numpy = import_optional("numpy")
    optimize = import_optional("scipy.optimize").optimize
    side = 600
    costs = numpy.random.default_rng(7).random((side, side))

    def sample(count, now):
        start = now()
        for _ in range(count):
            optimize.linear_sum_assignment(costs)
        return now() - start

    seconds, note = per_unit(sample, CPU, repetitions, f"linear_sum_assignment of a {side}x{side} matrix of random costs")
    return seconds / side**2, note


@constant("py.numpy_call", "call")
def numpy_call(repetitions):
    numpy = import_optional("numpy")
    tiny = numpy.arange(8, dtype=numpy.float64)

    def sample(count, now):
        start = now()
        for _ in range(count):
            numpy.sqrt(tiny)
            tiny.sum()
            tiny * 2.0
            numpy.sort(tiny)
        return now() - start

    seconds, note = per_unit(sample, CPU, repetitions, f"a numpy call's own overhead (sqrt, sum, a product, sort of an 8-element array; no per-element work to speak of) (numpy {numpy.__version__})")
    return seconds / 4, note


@constant("py.numpy_operator_call", "call")
def numpy_operator_call(repetitions):
    numpy = import_optional("numpy")
    left = numpy.arange(64, dtype=numpy.float64)
    right = numpy.ones(64, dtype=numpy.float64)

    def sample(count, now):
        start = now()
        for _ in range(count):
            left - right
            left * right
            left + 1.0
            left > right
        return now() - start

    seconds, note = per_unit(sample, CPU, repetitions, f"an operator's own overhead on 64-element arrays (a - b, a * b, a + 1.0, a > b: no function of numpy's in between) (numpy {numpy.__version__})")
    return seconds / 4, note


def pandas_frame(pandas, rows):
    import random

    rnd = random.Random(11)
    return pandas.DataFrame({"key": [rnd.randrange(20) for _ in range(rows)], "value": [rnd.random() for _ in range(rows)]})


#: Single pandas calls of the kinds code makes on a frame (test/fixtures/measured/pandas_numpy_study.py times more).
PANDAS_CALLS = (
    lambda frame: frame.groupby("key").sum(),
    lambda frame: frame.sort_values("value"),
    lambda frame: frame["value"].between(0.2, 0.8),
    lambda frame: frame["value"].round(2),
    lambda frame: frame["value"].rolling(5).mean(),
    lambda frame: frame.head(3),
)


def pandas_sample(make_frame_of):
    def make_sample(rows):
        frame = make_frame_of(rows)

        def sample(count, now):
            start = now()
            for _ in range(count):
                for call in PANDAS_CALLS:
                    call(frame)
            return now() - start

        return sample, rows

    return make_sample


@constant("py.pandas_call", "call")
def pandas_call(repetitions):
    pandas = import_optional("pandas")
    make_sample = pandas_sample(lambda rows: pandas_frame(pandas, rows))
    sample, _ = make_sample(10)
    seconds, note = per_unit(sample, CPU, repetitions, f"a pandas call's own overhead, Python code holding the GIL: groupby().sum(), sort_values, between, round, rolling().mean(), head on a 10-row frame, per call (pandas {pandas.__version__})")
    return seconds / len(PANDAS_CALLS), note


@constant("py.pandas_row", "row")
def pandas_row(repetitions):
    pandas = import_optional("pandas")
    seconds, note = slope(pandas_sample(lambda rows: pandas_frame(pandas, rows)), 1_000, 100_000, CPU, repetitions, "row", f"the same six pandas calls per row of the frame, per call (pandas {pandas.__version__})")
    return seconds / len(PANDAS_CALLS), note


@constant("py.pandas_str_row", "row")
def pandas_str_row(repetitions):
    pandas = import_optional("pandas")

    def make_sample(rows):
        titles = pandas.Series([f"Galaxy Quest {k % 97} Deluxe Edition" for k in range(rows)])

        def sample(count, now):
            start = now()
            for _ in range(count):
                titles.str.split()
                titles.str.lower()
                titles.str.contains("Deluxe")
            return now() - start

        return sample, rows

    seconds, note = slope(make_sample, 1_000, 100_000, CPU, repetitions, "row", f"a pandas string method (.str.split(), .str.lower(), .str.contains()) per row of a Series of short titles: Python per element, GIL held (pandas {pandas.__version__})")
    return seconds / 3, note


@constant("py.pandas_apply_row", "row")
def pandas_apply_row(repetitions):
    pandas = import_optional("pandas")

    def make_sample(rows):
        frame = pandas.DataFrame({"flag": [k % 5 == 0 for k in range(rows)], "kind": [("fixed", "dynamic")[k % 2] for k in range(rows)], "amount": [k % 9000 for k in range(rows)]})

        def classify(row):
            if row["flag"]:
                return "a"
            return "b" if row["kind"] == "dynamic" or row["amount"] > 6000 else "c"

        def sample(count, now):
            start = now()
            for _ in range(count):
                frame.apply(classify, axis=1)
            return now() - start

        return sample, rows

    return slope(make_sample, 1_000, 20_000, CPU, repetitions, "row", f"frame.apply(f, axis=1) per row, f reading two to three of the row's fields: a Series made per row and f's label look-ups, Python holding the GIL (pandas {pandas.__version__})")


constant("py.zstd_compress_byte", "byte")(
    compress_constant("zstandard", lambda zstandard, data: zstandard.ZstdCompressor(level=3).compress(data), "zstandard.ZstdCompressor(level=3).compress(data)", 16 * 1024, 1 << 20, library=True)
)


constant("py.brotli_compress_byte", "byte")(
    compress_constant("brotli", lambda brotli, data: brotli.compress(data, quality=9), "brotli.compress(data, quality=9) (the default, 11, is about 10 times slower)", 16 * 1024, 256 * 1024, library=True)
)
constant("py.brotli_max_compress_byte", "byte")(
    compress_constant("brotli", lambda brotli, data: brotli.compress(data), "brotli.compress(data) at its default and highest quality, 11,", 16 * 1024, 256 * 1024, library=True)
)
constant("py.lz4_compress_byte", "byte")(
    compress_constant("lz4.frame", lambda lz4, data: lz4.frame.compress(data), "lz4.frame.compress(data)", 16 * 1024, 1 << 20, library=True)
)


def parse_constant(module_name, document, parse, what):
    """parse(module, text) per byte of a document of small records (`document(module, count)` writes it);
    the module (its package, as `__import__` gives it) is imported when measured (absent if it cannot be),
    and its version named in the note."""

    def measure(repetitions):
        module = import_optional(module_name)

        def make_sample(count):
            text = document(module, count)

            def sample(repeat, now):
                start = now()
                for _ in range(repeat):
                    parse(module, text)
                return now() - start

            return sample, len(text)

        return slope(make_sample, 50, 2000, CPU, repetitions, "byte", f"{what} of 50 and 2,000 small records, per byte of input ({module_name} {module.__version__})")

    return measure


def csv_document(_pandas, count):
    return "id,name,email,score,active\n" + "".join(f"{r['id']},{r['name']},{r['email']},{r['score']},{r['active']}\n" for r in records(count))


def xml_document(_lxml, count):
    rows = "".join(f'<row id="{r["id"]}"><name>{r["name"]}</name><email>{r["email"]}</email><score>{r["score"]}</score></row>' for r in records(count))
    return f"<rows>{rows}</rows>".encode("ascii")


def html_document(_bs4, count):
    rows = "".join(f"<tr><td>{r['id']}</td><td><a href=\"/u/{r['id']}\">{r['name']}</a></td><td>{r['email']}</td></tr>" for r in records(count))
    return f"<html><body><table>{rows}</table></body></html>"


constant("py.yaml_load_byte", "byte")(
    parse_constant("yaml", lambda yaml, count: yaml.safe_dump(records(count)), lambda yaml, text: yaml.safe_load(text), "yaml.safe_load() (the pure-Python SafeLoader)")
)
constant("py.read_csv_byte", "byte")(
    parse_constant("pandas", csv_document, lambda pandas, text: pandas.read_csv(io.StringIO(text)), "pandas.read_csv() of CSV text")
)
constant("py.lxml_parse_byte", "byte")(
    parse_constant("lxml.etree", xml_document, lambda lxml, text: lxml.etree.fromstring(text), "lxml.etree.fromstring() of XML")
)
constant("py.bs4_parse_byte", "byte")(
    parse_constant("bs4", html_document, lambda bs4, text: bs4.BeautifulSoup(text, "html.parser"), "bs4.BeautifulSoup(text, 'html.parser') of an HTML table")
)


def xlsx_document(openpyxl, count):
    book = openpyxl.Workbook()
    sheet = book.active
    for r in records(count):
        sheet.append([r["id"], r["name"], r["email"], r["score"], r["active"]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read_xlsx(openpyxl, data):
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    for _row in book.active.iter_rows(values_only=True):
        pass
    book.close()


constant("py.openpyxl_read_byte", "byte")(
    parse_constant("openpyxl", xlsx_document, read_xlsx, "openpyxl.load_workbook(read_only=True) then iter_rows(values_only=True) over every row of an .xlsx")
)


@constant("py.iterparse_record", "record")
def iterparse_record(repetitions):
    """lxml.etree.iterparse over a file of records, each yielded when its end tag is read and cleared (the streaming
    idiom): per record, minus a loop over as many items."""
    lxml = import_optional("lxml.etree")
    count = 2000
    with tempfile.NamedTemporaryFile(suffix=".xml", delete=False) as out:
        out.write(xml_document(lxml, count))
    items = list(range(count))

    def streamed(repeat, now):
        start = now()
        for _ in range(repeat):
            for _, row in lxml.etree.iterparse(out.name, events=("end",), tag="row"):
                row.clear()
        return now() - start

    def plain(repeat, now):
        start = now()
        for _ in range(repeat):
            for _ in items:
                pass
        return now() - start

    try:
        return difference(streamed, plain, count, repetitions, f"lxml.etree.iterparse(path, tag=...) of a file of records of four children, each cleared, per record (lxml.etree {lxml.etree.__version__})")
    finally:
        os.unlink(out.name)


@constant("py.lxml_element_call", "call")
def lxml_element_call(repetitions):
    """An lxml element's method as a loop over a parsed document calls it: get(), findtext(), find() on each record
    (three calls a record, minus the same loop without them)."""
    lxml = import_optional("lxml.etree")
    rows = lxml.etree.fromstring(xml_document(lxml, 2000)).findall("row")

    def with_calls(repeat, now):
        start = now()
        for _ in range(repeat):
            for row in rows:
                row.get("id")
                row.findtext("name")
                row.find("email")
        return now() - start

    def without(repeat, now):
        start = now()
        for _ in range(repeat):
            for row in rows:
                pass
        return now() - start

    return difference(with_calls, without, 3 * len(rows), repetitions, f"lxml.etree element methods (get, findtext, find of a child) on the records of a parsed XML document, per call (lxml.etree {lxml.etree.__version__})")


def markdown_text(size):
    """`size` characters of Markdown as documentation pages are written: headings, paragraphs with
    emphasis, code and links, lists and quotes."""
    words = text_like(max(size, 4096)).decode("ascii").split()
    pieces = []
    length = 0
    n = 0
    while length < size:
        w = words[(n * 13) % (len(words) - 12) :][:12]
        piece = (
            f"## {w[0].title()} {w[1]}\n\n{w[2]} *{w[3]}* **{w[4]}** `{w[5]}` [{w[6]}](https://example.org/{w[7]}) {' '.join(w[8:])}.\n\n"
            f"- {w[1]} {w[2]}\n- {w[3]} {w[4]}\n\n> {w[5]} {w[6]} {w[7]}\n\n"
        )
        pieces.append(piece)
        length += len(piece)
        n += 1
    return "".join(pieces)[:size]


@constant("py.markdown_byte", "byte")
def markdown_byte(repetitions):
    markdown = import_optional("markdown")

    def make_sample(size):
        text = markdown_text(size)

        def sample(count, now):
            start = now()
            for _ in range(count):
                markdown.markdown(text)
            return now() - start

        return sample, size

    what = f"markdown.markdown(text) of headings, paragraphs with emphasis, code and links, lists and quotes, per byte of Markdown (Python-Markdown {markdown.__version__}, pure Python)"
    return slope(make_sample, 4 * 1024, 64 * 1024, CPU, repetitions, "byte", what)


@constant("py.pygments_byte", "byte")
def pygments_byte(repetitions):
    pygments = import_optional("pygments")
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer

    snippet = "def turnout(frame, district):\n    \"\"\"Turnout per district.\"\"\"\n    return frame.groupby('district')['votes'].sum() / frame['electorate'] * 100  # percent\n"

    def make_sample(size):
        text = snippet * (size // len(snippet))

        def sample(count, now):
            start = now()
            for _ in range(count):
                pygments.highlight(text, PythonLexer(), HtmlFormatter())
            return now() - start

        return sample, len(text)

    what = f"pygments.highlight(code, PythonLexer(), HtmlFormatter()) of Python source, per byte (Pygments {pygments.__version__}, pure Python)"
    return slope(make_sample, 4 * 1024, 64 * 1024, CPU, repetitions, "byte", what)


JINJA_TEMPLATE = """<h1>{{ title }}</h1><p>{{ customer.name }}, {{ customer.city }}</p>
<table>{% for row in rows %}<tr><td>{{ row.number }}</td><td>{{ row.day }}</td><td>{{ row.text }}</td><td>{{ "%.2f"|format(row.amount) }}</td>{% if row.flag %}<td>!</td>{% endif %}</tr>{% endfor %}</table>
<p>{{ total }} {{ currency }}</p>"""


def jinja_rows(count):
    return [{"number": f"INV-{k:06d}", "day": f"2024-03-{k % 28 + 1:02d}", "text": f"line <{k}> of the statement", "amount": 12.5 * k, "flag": k % 7 == 0} for k in range(count)]


def jinja_sample(rows):
    jinja2 = import_optional("jinja2")
    template = jinja2.Environment(autoescape=True).from_string(JINJA_TEMPLATE)
    customer = {"name": "Northwind Supplies Ltd", "city": "Rivertown"}

    def sample(count, now):
        start = now()
        for _ in range(count):
            template.render(title="Statement", customer=customer, rows=rows, total=1234.5, currency="EUR")
        return now() - start

    return sample, jinja2.__version__


@constant("py.jinja_render_call", "call")
def jinja_render_call(repetitions):
    sample, version = jinja_sample([])
    return per_unit(sample, CPU, repetitions, f"jinja2 Template.render() of a short autoescaped template of a few variables, its loop over no rows (Jinja2 {version})")


@constant("py.jinja_loop_item", "item")
def jinja_loop_item(repetitions):
    def make_sample(count):
        sample, version = jinja_sample(jinja_rows(count))
        make_sample.version = version
        return sample, count

    seconds, note = slope(make_sample, 50, 2000, CPU, repetitions, "item", "jinja2 Template.render() looping over rows of 5 fields, 4 of them output (autoescaped, one through a format filter), per row")
    return seconds, f"{note} (Jinja2 {make_sample.version})"


def pillow_square_samples(operation):
    """Samples of `operation(image)` on square RGB images in memory, sized by their pixels."""
    from PIL import Image

    def make_sample(side):
        image = Image.new("RGB", (side, side), (120, 80, 40))
        image.putpixel((0, 0), (1, 2, 3))

        def sample(count, now):
            start = now()
            for _ in range(count):
                operation(image)
            return now() - start

        return sample, side * side

    return make_sample


@constant("py.pillow_pixel", "pixel")
def pillow_pixel(repetitions):
    import_optional("PIL")
    from PIL import ImageFilter

    what = "PIL Image.filter(ImageFilter.SMOOTH) (a 3x3 kernel: one pass over an RGB image, as resample, convert and encode are) per pixel"
    return slope(pillow_square_samples(lambda image: image.filter(ImageFilter.SMOOTH)), 256, 1024, CPU, repetitions, "pixel", what)


@constant("py.pillow_rank_value", "value")
def pillow_rank_value(repetitions):
    import_optional("PIL")
    import random

    from PIL import Image, ImageFilter

    side = 384
    noise = random.Random(9)
    # Smoothed noise, as a photo or a scan is: selecting the median of a smooth window is ~3x faster than of raw noise.
    image = Image.frombytes("L", (side, side), bytes(noise.randrange(256) for _ in range(side * side))).filter(ImageFilter.GaussianBlur(3))

    def make_sample(window):
        rank = ImageFilter.MedianFilter(window)

        def sample(count, now):
            start = now()
            for _ in range(count):
                image.filter(rank)
            return now() - start

        return sample, side * side * window * window

    what = f"PIL Image.filter(ImageFilter.MedianFilter(3 or 5)) of a {side}x{side} greyscale image of blurred noise, per pixel and value of its window (a rank filter holds the GIL: RankFilter.c never releases it)"
    return slope(make_sample, 3, 5, CPU, repetitions, "value", what)


@constant("py.pillow_copy_pixel", "pixel")
def pillow_copy_pixel(repetitions):
    import_optional("PIL")
    make_sample = pillow_square_samples(lambda image: image.copy())

    what = "PIL Image.copy() of an RGB image in memory (a copy of its buffer, no per-pixel work) per pixel"
    return slope(make_sample, 256, 1024, CPU, repetitions, "pixel", what)


@constant("py.bcrypt_hash_round", "round")
def bcrypt_hash_round(repetitions):
    bcrypt = import_optional("bcrypt")
    password = b"correct horse battery staple"

    def make_sample(cost):
        salt = bcrypt.gensalt(rounds=cost)

        def sample(count, now):
            start = now()
            for _ in range(count):
                bcrypt.hashpw(password, salt)
            return now() - start

        return sample, 2**cost

    return slope(make_sample, 4, 8, CPU, repetitions, "round", "bcrypt.hashpw() at cost 4 and 8 (2^cost rounds; releases the GIL)")


FREED_CONTAINERS = 100_000
POOL_THREADS = 4
POOL_PROCESSES = 2
POOL_TASKS = 8


def pool_lives(make_pool, pools):
    """Wall seconds of `pools` pools' lives as measure.py times its pools: created, POOL_TASKS trivial tasks, shut down,
    each just after the process built and freed FREED_CONTAINERS lists (measure.py collects before each sample)."""
    lives = []
    for _ in range(pools):
        temporary = [[] for _ in range(FREED_CONTAINERS)]
        del temporary
        start = time.perf_counter()
        with make_pool() as pool:
            list(pool.map(identity, range(POOL_TASKS)))
        lives.append(time.perf_counter() - start)
    return lives


@constant("py.thread_start", "thread")
def thread_start(repetitions):
    """One thread's share of a thread pool's life as measure.py times pools: ThreadPoolExecutor(4) created, 8 trivial
    tasks, shut down, just after the process freed memory (measure.py collects first; a program frees between its work
    and its pool). Then each start costs ~3x the CPU of one in a loop of starts, and waits off the CPU to be woken
    (the fixtures' pools: 3.3 ms beyond the sequential run, median over the libkit sets' calls of < 15 ms). The wait is
    the cost, so wall time, and the median: the minimum is the rare pool whose threads were woken at once."""
    from concurrent.futures import ThreadPoolExecutor

    pools = max(51, 30 * repetitions)
    lives = pool_lives(lambda: ThreadPoolExecutor(POOL_THREADS), pools)
    life = statistics.median(lives)
    what = (
        f"ThreadPoolExecutor({POOL_THREADS}) created, {POOL_TASKS} trivial tasks, shut down, each pool after {FREED_CONTAINERS:,} lists "
        f"were built and freed, over its {POOL_THREADS} threads; wall time, median of {pools} pools ({human(life)} a pool; quartiles "
        f"{human(statistics.quantiles(lives, n=4)[0])}, {human(statistics.quantiles(lives, n=4)[2])})"
    )
    return life / POOL_THREADS, what


HANDOFF_TASK_SECONDS = 2e-3
HANDOFF_GROUPS = 5
HANDOFF_WAIT_SHAPES = ((20, 100), (50, 100), (100, 100), (20, 500), (100, 500))


def spin(items):
    total = 0
    for item in range(items):
        total += item
    return total


def thread_handoff_excess(native_us, python_us, repetitions):
    """Wall seconds per GIL-releasing call that POOL_TASKS tasks in an already started ThreadPoolExecutor(POOL_THREADS) take
    beyond the ideal (the GIL-held part one at a time, the rest on the cores), each task making calls of `native_us` of
    hashlib.sha256 (it releases the GIL above 2 KiB) each followed by `python_us` of bytecode (thread_handoff_study.py's
    shapes, the pool's start left out: `py.thread_start` prices it). The median over HANDOFF_GROUPS groups of the minimum over
    alternating runs of both modes (under load one group's minimum alone swung between 1.6 and 11 µs a call)."""
    from concurrent.futures import ThreadPoolExecutor
    import hashlib

    big = b"x" * (1 << 20)
    per_byte = min(timed(lambda: hashlib.sha256(big).digest()) for _ in range(20)) / len(big)
    per_item = min(timed(lambda: spin(100_000)) for _ in range(20)) / 100_000
    data = b"y" * max(4096, int(native_us * 1e-6 / per_byte))
    items = int(python_us * 1e-6 / per_item)
    calls = max(1, round(HANDOFF_TASK_SECONDS / ((native_us + python_us) * 1e-6)))

    def task(_):
        for _ in range(calls):
            hashlib.sha256(data).digest()
            spin(items)

    runs = max(9, repetitions)
    native = POOL_TASKS * calls * len(data) * per_byte
    excess = []
    with ThreadPoolExecutor(POOL_THREADS) as pool:
        list(pool.map(identity, range(POOL_TASKS)))
        for _ in range(HANDOFF_GROUPS):
            sequential, threaded = [], []
            for _ in range(runs):
                sequential.append(timed(lambda: [task(i) for i in range(POOL_TASKS)]))
                threaded.append(timed(lambda: list(pool.map(task, range(POOL_TASKS)))))
            alone = min(sequential)
            ideal = max(alone - native, alone / min(POOL_THREADS, os.cpu_count() or 1))
            excess.append((min(threaded) - ideal) / (POOL_TASKS * calls))
    return statistics.median(excess)


def timed(body):
    start = time.perf_counter()
    body()
    return time.perf_counter() - start


@constant("py.gil_handoff", "call")
def gil_handoff(repetitions):
    """A GIL-releasing call's hand-off in a thread pool: the lock released and taken back, nothing between the calls."""
    excess = thread_handoff_excess(20, 0, repetitions)
    return max(excess, 1e-7), (
        f"{POOL_TASKS} tasks of ~{human(HANDOFF_TASK_SECONDS)} of 20 µs sha256 calls, no Python between, in a started ThreadPoolExecutor({POOL_THREADS}): "
        f"wall beyond the ideal per call, median of {HANDOFF_GROUPS} groups' minimum over alternating runs"
    )


@constant("py.gil_reacquire_wait", "second of Python")
def gil_reacquire_wait(repetitions):
    """What a thread back from a GIL-releasing call waits for the lock while the other threads run their Python: the wall
    beyond the ideal per call, less the hand-off, per second of Python after each call (median over HANDOFF_WAIT_SHAPES)."""
    handoff = thread_handoff_excess(20, 0, repetitions)
    shares = [(thread_handoff_excess(native_us, python_us, repetitions) - handoff) / (python_us * 1e-6) for native_us, python_us in HANDOFF_WAIT_SHAPES]
    shown = ", ".join(f"{native_us}/{python_us} µs {share:.2f}" for (native_us, python_us), share in zip(HANDOFF_WAIT_SHAPES, shares))
    return max(statistics.median(shares), 1e-3), (
        f"seconds of wait per second of Python after each call, median over native/Python shapes ({shown}), "
        f"{POOL_TASKS} tasks in a started ThreadPoolExecutor({POOL_THREADS}), the hand-off ({human(handoff)}) taken off"
    )


def process_start_constant(method):
    def measure(repetitions):
        context = multiprocessing.get_context(method)

        def sample(count, now):
            start = now()
            for _ in range(count):
                process = context.Process(target=noop)
                process.start()
                process.join()
            return now() - start

        rss = rss_megabytes()
        parent = f", parent RSS {rss:.0f} MB" if rss is not None else ""
        reimport = "; the child imports this script again, as a user's would be" if method == "spawn" else ""
        return per_unit(sample, FAMILY, repetitions, f"multiprocessing '{method}' Process(target=noop).start() + join(){parent}{reimport}")

    return measure


constant("py.process_spawn_start", "process")(process_start_constant("spawn"))


COW_PAGE = 4096
COW_OBJECTS = 400_000


def child_walk_times(data, rounds):
    """Forks a child that walks `data` `rounds` times (reading each item, so that its reference count is
    written, and building one small object from it, as real tasks do: an encoded copy) and reports (CPU seconds,
    minor page faults) of each walk. A walk that only reads costs about half as much per fault as real tasks do
    (test/fixtures/measured/cow_study.py: 16-17 us against 23-35 us); one that builds an object per item, 26-30 us."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            out = []
            for _ in range(rounds):
                start = time.process_time()
                faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
                total = 0
                for item in data:
                    total += len(item.encode())
                out.append((time.process_time() - start, resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults))
            os.write(write_end, json.dumps(out).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as reader:
        result = json.loads(reader.read())
    os.waitpid(pid, 0)
    return result


@constant("py.fork_cow_page", "page")
def fork_cow_page(repetitions):
    if not hasattr(os, "fork") or resource is None:
        raise Absent("no fork() here: workers are spawned and import their data instead of sharing it")
    data = [f"item-{n:08d}-payload" for n in range(COW_OBJECTS)]
    per_page = []
    faults_seen = 0
    for _ in range(repetitions):
        (first, faults), (second, _) = child_walk_times(data, 2)
        if faults > 0:
            per_page.append((first - second) / faults)
            faults_seen = faults
    if not per_page or min(per_page) <= 0:
        raise RuntimeError("the forked child's first walk faulted no pages")
    rss = rss_megabytes()
    parent = f", parent RSS {rss:.0f} MB" if rss is not None else ""
    what = (
        f"a forked child's first walk over {COW_OBJECTS:,} small str objects of its parent, encoding each as real tasks build "
        f"objects from what they read (refcounts written: each "
        f"{COW_PAGE}-byte page copied on write, {faults_seen:,} faults) minus its second walk, per fault{parent}; "
        f"CPU time of the child, min of {len(per_page)} forks, spread {spread(per_page):.0%}"
    )
    return min(per_page), what


# A heap of library modules, from the standard library alone (the same on every machine with this Python): what a
# program's imports leave for the garbage collector to walk.
GC_HEAP_MODULES = (
    "asyncio, email.mime.multipart, email.parser, http.client, http.server, xml.etree.ElementTree, xml.dom.minidom, "
    "decimal, argparse, logging.handlers, unittest, typing, dataclasses, inspect, pydoc, urllib.request, sqlite3, csv, "
    "zipfile, tarfile, difflib, statistics, fractions, multiprocessing.pool, concurrent.futures, json, pickle, pathlib, "
    "ast, dis, doctest, configparser, smtplib, imaplib, ftplib, xmlrpc.client, wsgiref.simple_server, calendar, gettext"
)
GC_HEAP_CHILD = """
import gc, json, os, sys, time
def collect_time(rounds):
    times = []
    for _ in range(rounds):
        start = time.thread_time()
        gc.collect()
        times.append(time.thread_time() - start)
    return times
bare_objects, bare = len(gc.get_objects()), min(collect_time(5))
exec("import " + sys.argv[1])
objects, heap = len(gc.get_objects()), min(collect_time(5))
read_end, write_end = os.pipe()
pid = os.fork()
if pid == 0:
    os.write(write_end, json.dumps(collect_time(4)).encode())
    os._exit(0)
os.close(write_end)
with os.fdopen(read_end) as reader:
    forked = json.loads(reader.read())
os.waitpid(pid, 0)
print(json.dumps({"bareObjects": bare_objects, "bare": bare, "objects": objects, "heap": heap, "forked": forked}))
"""
_gc_heap_runs = []


def gc_heap_runs(repetitions):
    """Runs of a fresh interpreter that imports GC_HEAP_MODULES, then times full collections (gc.collect(), thread
    CPU time) in itself and in a forked child, which collects four times: its first collection writes the GC header
    of every inherited object and so copies their pages; the later ones walk them as the parent does. Shared by the
    two constants below."""
    import subprocess

    if not hasattr(os, "fork"):
        raise Absent("no fork() here: workers are spawned and walk a heap of their own, at the parent's cost")
    while len(_gc_heap_runs) < repetitions:
        out = subprocess.run([sys.executable, "-c", GC_HEAP_CHILD, GC_HEAP_MODULES], check=True, capture_output=True, text=True).stdout
        _gc_heap_runs.append(json.loads(out))
    return _gc_heap_runs[:repetitions]


@constant("py.gc_heap_object", "object")
def gc_heap_object(repetitions):
    runs = gc_heap_runs(repetitions)
    per_object = [(run["heap"] - run["bare"]) / (run["objects"] - run["bareObjects"]) for run in runs]
    what = (
        f"gc.collect() after importing {len(GC_HEAP_MODULES.split(','))} standard-library modules "
        f"(+{runs[0]['objects'] - runs[0]['bareObjects']:,} tracked objects) minus the bare interpreter's, per object; a full "
        f"collection walks every tracked object, in any process; thread CPU time, min of 5 collections, min of {len(runs)} "
        f"interpreters, spread {spread(per_object):.0%}"
    )
    return min(per_object), what


@constant("py.fork_gc_object", "object")
def fork_gc_object(repetitions):
    runs = gc_heap_runs(repetitions)
    per_object = [(run["forked"][0] - min(run["forked"][1:])) / run["objects"] for run in runs]
    if min(per_object) <= 0:
        raise RuntimeError("the forked child's first collection cost no more than its later ones")
    what = (
        f"a forked child's first gc.collect() minus its later ones, per tracked object inherited "
        f"({runs[0]['objects']:,}: the standard-library heap of py.gc_heap_object): the collector writes each object's GC "
        f"header, copying its page; paid once per worker, at its first full collection; thread CPU time, min of "
        f"{len(runs)} forks, spread {spread(per_object):.0%}"
    )
    return min(per_object), what


def pool_task_sample(pool):
    def sample(count, now):
        start = now()
        futures = [pool.submit(noop) for _ in range(count)]
        for future in futures:
            future.result()
        return now() - start

    return sample


@constant("py.thread_pool_task", "task")
def thread_pool_task(repetitions):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as pool:
        pool.submit(noop).result()
        what = "ThreadPoolExecutor(2), started: n trivial tasks submitted, then their results"
        return per_unit(pool_task_sample(pool), FAMILY, repetitions, what)


@constant("py.process_pool_task", "task")
def process_pool_task(repetitions):
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as pool:
        list(pool.map(identity, range(4)))
        clock = cpu_with(multiprocessing.active_children(), "its pool's workers")
        what = "ProcessPoolExecutor(2) (fork), started: n trivial tasks submitted, then their results"
        return per_unit(pool_task_sample(pool), clock, repetitions, what)


@constant("py.process_pool_start", "pool")
def process_pool_start(repetitions):
    """A process pool's life as measure.py times pools: ProcessPoolExecutor(2) (fork) created, 8 trivial tasks, shut
    down, just after the process freed memory. The parent waits for its workers to start, answer and exit: what a user
    pays is that wait (the fixtures' calls of < 15 ms measure ~60 ms more in the pool than run one after the other),
    so wall time, and the median over many pools."""
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork")
    pools = max(21, 6 * repetitions)
    lives = pool_lives(lambda: ProcessPoolExecutor(POOL_PROCESSES, mp_context=context), pools)
    life = statistics.median(lives)
    quartiles = statistics.quantiles(lives, n=4)
    rss = rss_megabytes()
    parent = f", parent RSS {rss:.0f} MB" if rss is not None else ""
    what = (
        f"ProcessPoolExecutor({POOL_PROCESSES}) (fork) created, {POOL_TASKS} trivial tasks, shut down, each pool after {FREED_CONTAINERS:,} lists "
        f"were built and freed{parent}; wall time, median of {pools} pools (quartiles {human(quartiles[0])}, {human(quartiles[2])})"
    )
    return life, what


def echo_server(listener):
    connection, _ = listener.accept()
    with connection:
        while True:
            data = connection.recv(65536)
            if not data:
                return
            connection.sendall(data)


@constant("py.socket_roundtrip", "roundtrip")
def socket_roundtrip(repetitions):
    import socket

    message = b"m" * 100
    with socket.create_server(("127.0.0.1", 0)) as listener:
        server = multiprocessing.get_context("fork").Process(target=echo_server, args=(listener,))
        server.start()
        try:
            with socket.create_connection(listener.getsockname()) as client:
                client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

                def sample(count, now):
                    start = now()
                    for _ in range(count):
                        client.sendall(message)
                        received = 0
                        while received < len(message):
                            received += len(client.recv(len(message) - received))
                    return now() - start

                what = "100 bytes sent and echoed back over loopback TCP (TCP_NODELAY), the echo server in another process"
                result = per_unit(sample, cpu_with([server], "the echo server"), repetitions, what)
        finally:
            server.join(5)
            if server.is_alive():
                server.kill()
    return result


@constant("py.file_read_byte", "byte")
def file_read_byte(repetitions):
    with tempfile.TemporaryDirectory(prefix="clens-calibrate-") as folder:

        def make_sample(size):
            path = os.path.join(folder, f"read-{size}")
            with open(path, "wb") as file:
                file.write(os.urandom(size))

            def sample(count, now):
                start = now()
                for _ in range(count):
                    with open(path, "rb") as file:
                        file.read()
                return now() - start

            sample(1, WALL.read)  # into the page cache
            return sample, size

        return slope(make_sample, 64 * 1024, 1 << 20, CPU, repetitions, "byte", f"open() + read() + close() of a file in the page cache ({tempfile.gettempdir()})")


@constant("py.file_write_byte", "byte")
def file_write_byte(repetitions):
    with tempfile.TemporaryDirectory(prefix="clens-calibrate-") as folder:

        # New files, removed untimed: truncating a written file makes ext4 flush it on close (auto_da_alloc).
        def make_sample(size):
            data = os.urandom(size)

            def sample(count, now):
                paths = [os.path.join(folder, f"write-{size}-{index}") for index in range(count)]
                elapsed = 0.0
                for path in paths:
                    start = now()
                    with open(path, "wb") as file:
                        file.write(data)
                    elapsed += now() - start
                for path in paths:
                    os.unlink(path)
                return elapsed

            return sample, size

        what = f"open('wb') + write() + close() of a new file, no fsync ({tempfile.gettempdir()})"
        return slope(make_sample, 64 * 1024, 1 << 20, CPU, repetitions, "byte", what)


@constant("py.sqlite_row", "row")
def sqlite_row(repetitions):
    import sqlite3

    with tempfile.TemporaryDirectory(prefix="clens-calibrate-") as folder:
        connection = sqlite3.connect(os.path.join(folder, "rows.db"))
        try:
            connection.execute("PRAGMA synchronous = OFF")
            connection.execute("CREATE TABLE items (id INTEGER, name TEXT, score REAL)")
            connection.commit()

            def make_sample(rows):
                def sample(count, now):
                    start = now()
                    for _ in range(count):
                        with connection:
                            for i in range(rows):
                                connection.execute("INSERT INTO items VALUES (?, ?, ?)", (i, "name", 0.5))
                    return now() - start

                return sample, rows

            what = f"INSERT of 3 columns in a transaction of 10 or 2,000 rows committed to a file (sqlite {sqlite3.sqlite_version}, synchronous = OFF: the disk's fsync is no row's cost)"
            return slope(make_sample, 10, 2000, CPU, repetitions, "row", what)
        finally:
            connection.close()


@constant("py.sqlite_scan_row", "row")
def sqlite_scan_row(repetitions):
    import random
    import sqlite3

    small, large = 20_000, 200_000
    with tempfile.TemporaryDirectory(prefix="clens-calibrate-") as folder:
        connection = sqlite3.connect(os.path.join(folder, "scan.db"))
        try:
            rnd = random.Random(5)
            for rows in (small, large):
                connection.execute(f"CREATE TABLE ledger_{rows} (id INTEGER PRIMARY KEY, account TEXT, day TEXT, amount REAL)")
                connection.executemany(
                    f"INSERT INTO ledger_{rows} (account, day, amount) VALUES (?, ?, ?)",
                    ((f"AC{rnd.randrange(2_000):06d}", f"2024-{1 + k % 12:02d}-{1 + k % 28:02d}", rnd.uniform(-500, 500)) for k in range(rows)),
                )
            connection.commit()

            def make_sample(rows):
                statement = f"SELECT account, substr(day, 1, 7), SUM(amount), COUNT(*) FROM ledger_{rows} WHERE amount > ? GROUP BY 1, 2"

                def sample(count, now):
                    start = now()
                    for _ in range(count):
                        connection.execute(statement, (-400.0,)).fetchall()
                    return now() - start

                return sample, rows

            what = f"SELECT of a GROUP BY on two keys (2,000 accounts x 12 months) with a filter, over a table of 20,000 or 200,000 rows in a file (page cache; sqlite {sqlite3.sqlite_version}), rows fetched"
            return slope(make_sample, small, large, CPU, repetitions, "row", what)
        finally:
            connection.close()


@constant("py.sqlalchemy_insert_row", "row")
def sqlalchemy_insert_row(repetitions):
    import sqlite3

    from sqlalchemy import Column, Float, Integer, MetaData, String, Table, create_engine

    metadata = MetaData()
    charges = Table("charges", metadata, Column("id", Integer, primary_key=True), Column("account", String(12)), Column("district", String(4)), Column("amount", Float))
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    try:

        def make_sample(rows):
            values = [{"account": f"AC{400_000 + k}", "district": f"D{k % 14:02d}", "amount": 8 + k % 392} for k in range(rows)]

            def sample(count, now):
                start = now()
                for _ in range(count):
                    with engine.begin() as connection:
                        connection.execute(charges.insert(), values)
                return now() - start

            return sample, rows

        what = f"SQLAlchemy Core execute(table.insert(), rows) of 1,000 or 8,000 rows of 3 columns (a list of dicts: an executemany) into SQLite in memory (sqlite {sqlite3.sqlite_version})"
        return slope(make_sample, 1_000, 8_000, CPU, repetitions, "row", what)
    finally:
        engine.dispose()


@constant("py.gil_switch_interval", "switch")
def gil_switch_interval(_repetitions):
    return sys.getswitchinterval(), "sys.getswitchinterval(): a fact read, not timed"


def selected(only):
    if not only:
        return list(CONSTANTS)
    prefixes = [prefix for prefix in only.split(",") if prefix]
    return [name for name in CONSTANTS if any(name.startswith(prefix) for prefix in prefixes)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_REPETITIONS} repetitions instead of {REPETITIONS}")
    parser.add_argument("--only", default="", help="comma-separated name prefixes, e.g. py.hash,py.zlib")
    parser.add_argument("--list", action="store_true", help="print {name: per} of every constant and exit")
    options = parser.parse_args()
    if options.list:
        print(json.dumps({name: per for name, (per, _) in CONSTANTS.items()}))
        return
    repetitions = QUICK_REPETITIONS if options.quick else REPETITIONS
    constants = {}
    absent = {}
    for name in selected(options.only):
        per, measure = CONSTANTS[name]
        started = time.perf_counter()
        try:
            seconds, note = measure(repetitions)
        except Absent as reason:
            absent[name] = str(reason)
            print(f"  {name}: absent ({reason})", file=sys.stderr, flush=True)
            continue
        except Exception as error:  # One constant failing leaves the others measured, and says why.
            absent[name] = f"measuring failed: {type(error).__name__}: {error}"
            print(f"  {name}: failed ({absent[name]})", file=sys.stderr, flush=True)
            continue
        constants[name] = {"seconds": seconds, "per": per, "note": note}
        print(f"  {name}: {human(seconds)}/{per} ({time.perf_counter() - started:.1f} s)", file=sys.stderr, flush=True)
    machine = {
        "python": platform.python_version(),
        "pythonExecutable": sys.executable,
        "startMethod": multiprocessing.get_start_method(),
    }
    print(json.dumps({"machine": machine, "constants": constants, "absent": absent}))


if __name__ == "__main__":
    main()
