"""Concurrency Lens benchmark harness: runs a call expression N times in each mode and reports.

    python -u harness.py --file PATH --function QUALNAME --call EXPR --tasks N
                         [--modes sequential,threads,processes,asyncio,interpreters]
                         [--workers 1,2,4] [--start-method default|spawn|fork|forkserver]
                         [--timeout SECONDS] [--repeats N] [--budget SECONDS] [--key-on-stdin]
                         [--dask-scheduler tcp://HOST:PORT]

Speaks newline-delimited JSON on the stdout it was started with (one event per line; see
src/core/bench/events.ts). Everything the user's code prints goes to stderr: file descriptor 1 is
pointed at stderr before the module is imported, here and in every worker process. With
--key-on-stdin, the first line of stdin is the run's key, put in every event.

On Linux the harness is a child subreaper: every process the user's code starts stays its descendant
(orphans are handed to it, whatever their session or group), and it ends them all before it exits.

The module is imported by its dotted name below its package root (so relative imports and pickling
work), in this process and in every worker (initializer), so the `spawn` start method works and only
the task index and the results cross process boundaries. `i` in the call expression is the task index.
A generator the call returns does its work as it is iterated: it is iterated to its end, in the task.
A file whose name is no identifier (`settings.local.py`) is imported from its path, under a name that is.
Pool start-up is inside the measured time: that is what a user pays.

The protocol: one untimed call of task 0 first, in this process, when a mode runs its tasks here
(sequential, threads, asyncio: `warmup-start`/`warmup` events; imports, caches, lazy set-up); then
rounds, each running every configuration (mode x workers) once, in an order that rotates by one per
round, so that a slow patch of the machine does not always fall on the same configuration. At least
--repeats rounds; more (up to MAX_ROUNDS) while a configuration's repetitions disagree or a sequential
run was starved of CPU, as long as one more round fits in --budget seconds of measuring.

On Linux each run-end event carries the repetition's lanes (this thread for sequential and asyncio; each
thread or worker process of a pool that ran a task): their time on a CPU and runnable but waiting for
one (schedstat), read before the pool shuts down, and when their last task ended.

The `dask` mode (when `distributed` imports) sends the tasks through `distributed.Client.map`/`gather` to
a LocalCluster of worker processes started here (one thread each; its start-up is not timed: a cluster
is there before the work), or to the scheduler --dask-scheduler names. A configuration of N workers uses
N of the cluster's workers. Local workers import the module from its path; remote ones get this file and
the module (its package zipped) uploaded. While dask runs, the workers' CPU and memory, as the scheduler
knows them, go out in `cluster-metrics` events.
"""

import argparse
import asyncio
import collections
import concurrent.futures
import contextlib
import importlib
import importlib.util
import inspect
import json
import multiprocessing
import os
import pickle
import re
import resource
import signal
import sys
import threading
import time
import traceback

# Input errors (the call, the function, the module) exit with this status, after an `error` event.
EXIT_INPUT_ERROR = 3
PROGRESS_INTERVAL = 0.1
PROBE_SLEEP = 0.001
# The texts of an error sent in an event are cut to this length (the runner drops lines over 1 MiB).
MAX_TEXT = 10_000
# When the runner is gone and cannot enforce the timeout, the harness ends itself this long after it.
SAFETY_MARGIN = 10
MAX_ROUNDS = 10
# Repetitions of a configuration disagree when their range is over this share of their median.
DISAGREE = 0.2
# A sequential run whose main thread kept the GIL probe waiting this much was computing all along ...
HUNGRY = 0.5
# ... and was starved when it got less than this share of a core.
STARVED_SHARE = 0.7
# How long connecting to a Dask scheduler may take before the run gives up on it.
DASK_CONNECT_SECONDS = 5
# How often the workers' metrics are read from the scheduler (it hears from them about every 0.5 s).
CLUSTER_METRICS_INTERVAL = 0.5
DASK_INSTALL_HINT = 'apt-get install python3-distributed, or pip install "dask[distributed]"'

_events = None
_key = None
_call = None
_namespace = None


_emitting = threading.Lock()


def emit(kind, **fields):
    fields["type"] = kind
    if _key is not None:
        fields["key"] = _key
    # The leading newline ends whatever unfinished line something else wrote on the stream.
    line = "\n" + json.dumps(fields, default=str) + "\n"
    # The cluster's metrics thread emits too.
    with _emitting:
        _events.write(line)
        _events.flush()


def redirect_stdout_to_stderr():
    """The user's prints (and C code writing to fd 1) must never reach the event stream."""
    sys.stdout.flush()
    os.dup2(2, 1)
    sys.stdout = sys.stderr


def module_name_of(path):
    """The dotted name of a file below its package root (the first folder up without __init__.py).
    A file whose name is no identifier (`settings.local.py`) gets one, with `_` for what is not."""
    path = os.path.abspath(path)
    folder, base = os.path.split(path)
    parts = [] if base == "__init__.py" else [re.sub(r"\W", "_", os.path.splitext(base)[0])]
    while os.path.exists(os.path.join(folder, "__init__.py")):
        folder, package = os.path.split(folder)
        parts.insert(0, package)
    return ".".join(parts), folder


def import_file(path, name):
    """Imports a file under a name its own does not give (`import settings.local` would look for a package)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


def load(path, expression):
    """Imports the user's module and compiles the call; sets the globals the tasks use."""
    global _call, _namespace
    name, root = module_name_of(path)
    if root not in sys.path:
        sys.path.insert(0, root)
    stem = os.path.splitext(os.path.basename(path))[0]
    module = importlib.import_module(name) if stem.isidentifier() or stem == "__init__" else import_file(os.path.abspath(path), name)
    _namespace = vars(module)
    _call = compile(expression, "<call>", "eval")
    return module


def load_prctl():
    """libc's prctl on Linux (looked up once, before any timing), else None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        return ctypes.CDLL(None).prctl
    except (OSError, AttributeError):
        return None


_prctl = load_prctl()
PR_SET_NAME = 15
PR_SET_CHILD_SUBREAPER = 36


def name_os_thread():
    """Gives the OS thread the Python thread's name (Python does so itself only from 3.14), so the live
    panel's thread lanes, read from /proc, say which thread is a pool worker and which the probe."""
    if _prctl is not None:
        _prctl(PR_SET_NAME, threading.current_thread().name.encode()[:15], 0, 0, 0)


def become_subreaper():
    """Orphans among the processes the user's code starts are handed to this process, not to init."""
    if _prctl is not None:
        _prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def descendants():
    """The pids of this process's live descendants, from the parent pids in /proc (Linux; elsewhere none)."""
    children = {}
    try:
        names = os.listdir("/proc")
    except OSError:
        return []
    for name in names:
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as stat_file:
                stat = stat_file.read()
        except OSError:
            continue
        # `pid (comm) state ppid …`: comm may hold spaces and parentheses.
        fields = stat[stat.rindex(b")") + 2 :].split()
        if fields[0] not in (b"Z", b"X"):
            children.setdefault(int(fields[1]), []).append(int(name))
    found, queue = [], [os.getpid()]
    while queue:
        for child in children.get(queue.pop(), []):
            found.append(child)
            queue.append(child)
    return found


def end_descendants(reap_seconds=2.0):
    """Ends every descendant: stops them all (reading /proc again until no new one shows up, so nothing
    forks meanwhile), kills them, and reaps them (orphans come to this process, the subreaper)."""
    stopped = set()
    for _ in range(20):
        fresh = [pid for pid in descendants() if pid not in stopped]
        if not fresh:
            break
        for pid in fresh:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGSTOP)
            stopped.add(pid)
    for pid in stopped:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + reap_seconds
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.01)


def end_now(status):
    """Leaves at once, and takes every descendant along."""
    end_descendants()
    os._exit(status)


def watchdog(seconds):
    name_os_thread()
    time.sleep(seconds)
    end_now(124)


def init_worker(path, expression):
    redirect_stdout_to_stderr()
    load(path, expression)


async def consume_async(generator):
    async for _ in generator:
        pass


def call(i):
    """Runs task i. A generator does its work only when iterated: it is, to its end (the items are dropped)."""
    result = eval(_call, _namespace, {"i": i})
    if inspect.iscoroutine(result):
        result = asyncio.run(result)
    elif inspect.isgenerator(result):
        collections.deque(result, maxlen=0)
        result = None
    elif inspect.isasyncgen(result):
        asyncio.run(consume_async(result))
        result = None
    return result


def timed_task(i):
    """Runs task i; returns (pid, seconds, result): a process pool sends the result back, as the user's code would."""
    started = time.perf_counter()
    result = call(i)
    return os.getpid(), time.perf_counter() - started, result


def lane_task(i):
    """Task i in a pool: (the lane that ran it, seconds, result); a lane is the (pid, native thread id) of a
    pool's thread or worker process."""
    pid, seconds, result = timed_task(i)
    return (pid, threading.get_native_id()), seconds, result


def thread_times(pid, tid):
    """(seconds on a CPU, seconds runnable but waiting for one) of a thread since it started, from
    /proc/PID/task/TID/schedstat (Linux); None when it cannot be read (elsewhere, or the thread is gone)."""
    try:
        with open(f"/proc/{pid}/task/{tid}/schedstat", "rb") as schedstat:
            on_cpu, waiting = schedstat.read().split()[:2]
    except (OSError, ValueError):
        return None
    return int(on_cpu) / 1e9, int(waiting) / 1e9


def lane_times(ends, started, before=None):
    """The lanes' times as the run-end event carries them: on a CPU and waiting for one since they started
    (threads and processes a pool started for the run) or since `before` (their thread_times at the start,
    for a thread that was there before the run), and when their last task ended (seconds after `started`).
    `ends` maps each lane to that end (perf_counter). None when one cannot be read: a lane left out would
    hide its wait."""
    times = []
    for index, (lane, ended) in enumerate(sorted(ends.items())):
        now = thread_times(*lane)
        start = before[index] if before else (0.0, 0.0)
        if now is None or start is None:
            return None
        times.append({"cpuSeconds": round(now[0] - start[0], 6), "waitSeconds": round(now[1] - start[1], 6), "endSeconds": round(ended - started, 6)})
    return times


def cpu_seconds():
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class GilProbe:
    """A light thread that sleeps 1 ms at a time and measures how late it wakes: while other threads
    hold the GIL it cannot run, so its lateness is the share of time threads waited for the GIL. The
    lateness the operating system adds to every sleep anyway (`calibrate`) is taken off."""

    baseline = 0.0

    def __init__(self):
        self.late = 0.0
        self.sleeps = 0
        self.running = True
        self.sleeping = threading.Event()
        self.thread = threading.Thread(target=self.run, name="cl-gil-probe", daemon=True)

    @classmethod
    def calibrate(cls, seconds=0.1):
        """The lateness of one sleep on an idle interpreter."""
        late, sleeps, ends = 0.0, 0, time.perf_counter() + seconds
        while time.perf_counter() < ends:
            started = time.perf_counter()
            time.sleep(PROBE_SLEEP)
            late += max(0.0, time.perf_counter() - started - PROBE_SLEEP)
            sleeps += 1
        cls.baseline = late / sleeps if sleeps else 0.0

    def run(self):
        name_os_thread()
        self.sleeping.set()
        while self.running:
            started = time.perf_counter()
            time.sleep(PROBE_SLEEP)
            self.late += max(0.0, time.perf_counter() - started - PROBE_SLEEP)
            self.sleeps += 1

    def __enter__(self):
        self.thread.start()
        # The probe's start-up (naming its thread) is done before the timed part begins.
        self.sleeping.wait()
        return self

    def __exit__(self, *exc):
        self.running = False
        self.thread.join()

    def contention(self):
        if self.sleeps == 0:
            return None
        waited = max(0.0, self.late - self.baseline * self.sleeps)
        return round(waited / (waited + self.sleeps * (PROBE_SLEEP + self.baseline)), 3)


def percentile(values, p):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(p / 100 * len(ordered) + 0.5)) - 1))]


def describe(error):
    """The exception as the events carry it; the traceback keeps the user's frames, not the harness's."""
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if frame.filename != __file__ and not frame.filename.startswith("<frozen")
    ]
    lines = traceback.format_list(frames[-6:]) + traceback.format_exception_only(type(error), error)
    return {"exception": type(error).__name__, "message": cut(str(error)), "traceback": cut("".join(lines))}


def cut(text):
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


class Progress:
    def __init__(self, mode, workers, total):
        self.mode, self.workers, self.total = mode, workers, total
        self.done = 0
        self.last = 0.0

    def step(self):
        self.done += 1
        now = time.perf_counter()
        if now - self.last >= PROGRESS_INTERVAL or self.done == self.total:
            self.last = now
            emit("progress", mode=self.mode, workers=self.workers, done=self.done, total=self.total)


def run_pool(executor, tasks, progress, latencies, seen_pids, mode, workers, started):
    """Runs the tasks on the pool; returns the times of the lanes that ran them (see lane_times), read while
    the pool still lives: its threads and processes end with it, and their numbers with them."""
    ends = {}
    futures = [executor.submit(lane_task, i) for i in range(tasks)]
    for pid in getattr(executor, "_processes", None) or {}:
        if pid not in seen_pids:
            seen_pids.add(pid)
            emit("worker", mode=mode, workers=workers, pid=pid)
    for future in concurrent.futures.as_completed(futures):
        lane, elapsed, _ = future.result()
        ends[lane] = time.perf_counter()
        pid = lane[0]
        if pid not in seen_pids and pid != os.getpid():
            seen_pids.add(pid)
            emit("worker", mode=mode, workers=workers, pid=pid)
        latencies.append(elapsed)
        progress.step()
    return lane_times(ends, started)


async def timed_await(i, progress, latencies):
    started = time.perf_counter()
    result = eval(_call, _namespace, {"i": i})
    if inspect.isawaitable(result):
        await result
    elif inspect.isasyncgen(result):
        await consume_async(result)
    elif inspect.isgenerator(result):
        collections.deque(result, maxlen=0)
    latencies.append(time.perf_counter() - started)
    progress.step()


async def gather_limited(tasks, workers, progress, latencies):
    semaphore = asyncio.Semaphore(workers)

    async def one(i):
        async with semaphore:
            await timed_await(i, progress, latencies)

    await asyncio.gather(*(one(i) for i in range(tasks)))


async def awaits_in_turn(tasks, progress, latencies):
    for i in range(tasks):
        await timed_await(i, progress, latencies)


def dask_installed():
    return importlib.util.find_spec("distributed") is not None


# On a Dask worker this file is imported as `harness`: the module and call it loaded last.
_loaded_for_dask = None


def dask_prepare(source, expression):
    """Loads the user's module on a Dask worker: from its path (a worker on this machine), or by its dotted
    name (uploaded to the worker). Returns the worker's pid."""
    global _loaded_for_dask, _call, _namespace
    if _loaded_for_dask != (source, expression):
        if source.endswith(".py"):
            load(source, expression)
        else:
            _namespace = vars(importlib.import_module(source))
            _call = compile(expression, "<call>", "eval")
        _loaded_for_dask = (source, expression)
    return os.getpid()


def dask_task(source, expression, i):
    """Task i on a Dask worker: (pid, seconds, bytes of the pickled result, the result)."""
    dask_prepare(source, expression)
    pid, seconds, result = timed_task(i)
    return pid, seconds, len(pickle.dumps(result)), result


def dask_noop():
    return None


def dask_cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class DaskUnavailable(Exception):
    """The cluster cannot run the tasks: the scheduler is out of reach, has no workers, or the workers cannot import the module."""


class DaskWorkerLost(Exception):
    """A worker the run used left the cluster while it ran."""


class DaskCluster:
    """The cluster the dask mode runs on: a LocalCluster of worker processes started here (one thread
    each), or the workers of the scheduler at `address`. The workers get the user's module before
    anything is timed; their metrics go out as `cluster-metrics` events while a dask run is on."""

    def __init__(self, address, largest, path, expression):
        from distributed import Client, LocalCluster

        # Pickled by reference (`harness.dask_task`), the tasks find this file as `harness` on the workers.
        self.tasks_module = importlib.import_module("harness")
        self.local = not address
        self.cluster = None
        if self.local:
            import logging

            self.cluster = LocalCluster(
                n_workers=largest, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR
            )
            self.client = Client(self.cluster)
        else:
            try:
                self.client = Client(address, timeout=DASK_CONNECT_SECONDS)
            except (OSError, ValueError, TypeError) as caught:
                raise DaskUnavailable(f"could not reach the Dask scheduler at {address} within {DASK_CONNECT_SECONDS} s: {caught}") from None
        self.addresses = sorted(self.client.scheduler_info()["workers"])
        if not self.addresses:
            raise DaskUnavailable(f"the Dask scheduler at {address} has no workers")
        self.address = self.client.scheduler.address
        self.source = os.path.abspath(path) if self.local else self.upload(path)
        self.expression = expression
        try:
            self.pids = self.client.run(self.tasks_module.dask_prepare, self.source, expression)
        except Exception as caught:
            raise DaskUnavailable(f"the Dask workers could not load {path}: {type(caught).__name__}: {caught}") from None
        self.round_trip = self.measure_round_trip()
        self.active = threading.Event()
        self.closed = False
        threading.Thread(target=self.report_metrics, name="cl-dask-metrics", daemon=True).start()

    def upload(self, path):
        """Sends this file and the user's module (its whole package, zipped, when it is in one) to the
        remote workers; returns the module's dotted name, which the workers then import."""
        import tempfile
        import zipfile

        name, root = module_name_of(path)
        harness_file = os.path.abspath(self.tasks_module.__file__)
        folder = tempfile.mkdtemp(prefix="cl-dask-")
        top = name.split(".")[0]
        if "." in name:
            shipped = os.path.join(folder, top + ".zip")
            with zipfile.ZipFile(shipped, "w") as archive:
                for walked, _, files in os.walk(os.path.join(root, top)):
                    for file in files:
                        if file.endswith(".py"):
                            full = os.path.join(walked, file)
                            archive.write(full, os.path.relpath(full, root))
            what = f"the package {top}"
        else:
            shipped = os.path.join(folder, name + ".py")
            with open(path, "rb") as source, open(shipped, "wb") as copy:
                copy.write(source.read())
            what = f"{os.path.basename(path)} alone"
        try:
            self.client.upload_file(harness_file)
            self.client.upload_file(shipped)
        except Exception as caught:
            raise DaskUnavailable(
                f"the Dask workers could not import {name} ({type(caught).__name__}: {caught}): they get {what}, "
                "uploaded; whatever else it imports from this machine must be installed on the workers too"
            ) from None
        return name

    def measure_round_trip(self):
        """The median of three submit-and-wait round trips of a task that does nothing (seconds)."""
        times = []
        for _ in range(3):
            started = time.perf_counter()
            self.client.submit(self.tasks_module.dask_noop, pure=False).result()
            times.append(time.perf_counter() - started)
        return sorted(times)[1]

    def report_metrics(self):
        name_os_thread()
        while not self.closed:
            self.active.wait()
            try:
                workers = self.client.scheduler_info()["workers"]
            except Exception:  # the client is closing, or the scheduler went away: the run reports that
                return
            if self.active.is_set():
                emit("cluster-metrics", workers=[
                    {
                        "address": address,
                        "host": worker.get("host"),
                        "cpu": round(worker["metrics"].get("cpu", 0) / 100, 3),
                        "memory": worker["metrics"].get("memory"),
                        "memoryLimit": worker.get("memory_limit") or None,
                    }
                    for address, worker in sorted(workers.items())
                ])
            time.sleep(CLUSTER_METRICS_INTERVAL)

    def worker_cpu_seconds(self, addresses):
        """The CPU time the local workers used so far (remote workers' is not this machine's: 0)."""
        if not self.local:
            return 0.0
        # Asking a worker that is gone would wait for it.
        present = self.client.scheduler_info()["workers"]
        return sum(self.client.run(self.tasks_module.dask_cpu_seconds, workers=[a for a in addresses if a in present]).values())

    def run(self, count, tasks, progress, latencies, sizes):
        """The tasks on `count` of the workers, to the last result; a worker that leaves fails the run."""
        from distributed import wait

        addresses = self.addresses[:count]
        futures = self.client.map(
            self.tasks_module.dask_task, [self.source] * tasks, [self.expression] * tasks, range(tasks), workers=addresses, pure=False
        )
        argument_bytes = len(pickle.dumps((self.source, self.expression, tasks)))
        pending = set(futures)
        try:
            while pending:
                try:
                    done, pending = wait(pending, timeout=0.25, return_when="FIRST_COMPLETED")
                except TimeoutError:
                    done = ()
                for future in done:
                    _, seconds, result_bytes, _ = future.result()
                    latencies.append(seconds)
                    sizes.append(argument_bytes + result_bytes)
                    progress.step()
                present = self.client.scheduler_info()["workers"]
                gone = [address for address in addresses if address not in present]
                if gone:
                    raise DaskWorkerLost(f"the Dask worker {gone[0]} left the cluster during the run (killed, or out of memory?): its tasks cannot finish there")
        finally:
            if pending:
                self.client.cancel(list(pending), force=True)

    def close(self):
        """Lets the scheduler of a remote cluster forget this client; a LocalCluster's processes end with the harness."""
        self.closed = True
        self.active.set()
        if not self.local:
            with contextlib.suppress(Exception):
                self.client.close(timeout=2)


def run_once(mode, workers, args, context, coroutine, round_number, cluster=None):
    """Runs one configuration once; returns (wall seconds, cpu seconds, GIL contention, failed)."""
    latencies = []
    seen_pids = set()
    sizes = []
    progress = Progress(mode, workers, args.tasks)
    emit("run-start", mode=mode, workers=workers, pid=os.getpid(), round=round_number)
    error = None
    if mode == "dask":
        used = cluster.addresses[:workers]
        if cluster.local:
            for address in used:
                emit("worker", mode=mode, workers=workers, pid=cluster.pids[address])
        workers_cpu_before = cluster.worker_cpu_seconds(used)
        cluster.active.set()
    # The probe starts before and stops after the timed part: its start-up and its last sleep are not the user's.
    # Pools of processes (or interpreters) have a GIL each: there the probe would only take CPU from the workers.
    probed = mode in ("sequential", "threads", "asyncio")
    # Sequential and asyncio run their tasks on this thread: its one lane, there before the run.
    own_lane = (os.getpid(), threading.get_native_id()) if mode in ("sequential", "asyncio") else None
    lanes = None
    with GilProbe() if probed else contextlib.nullcontext() as probe:
        own_before = thread_times(*own_lane) if own_lane else None
        cpu_before = cpu_seconds()
        started = time.perf_counter()
        try:
            if mode == "sequential":
                if coroutine:
                    asyncio.run(awaits_in_turn(args.tasks, progress, latencies))
                else:
                    for i in range(args.tasks):
                        _, elapsed, _ = timed_task(i)
                        latencies.append(elapsed)
                        progress.step()
            elif mode == "asyncio":
                asyncio.run(gather_limited(args.tasks, workers, progress, latencies))
            elif mode == "threads":
                with concurrent.futures.ThreadPoolExecutor(
                    max_workers=workers, thread_name_prefix="cl-thread", initializer=name_os_thread
                ) as executor:
                    lanes = run_pool(executor, args.tasks, progress, latencies, seen_pids, mode, workers, started)
            elif mode == "processes":
                with concurrent.futures.ProcessPoolExecutor(
                    max_workers=workers, mp_context=context, initializer=init_worker, initargs=(args.file, args.call)
                ) as executor:
                    lanes = run_pool(executor, args.tasks, progress, latencies, seen_pids, mode, workers, started)
            elif mode == "interpreters":
                with concurrent.futures.InterpreterPoolExecutor(
                    max_workers=workers, initializer=init_worker, initargs=(args.file, args.call)
                ) as executor:
                    lanes = run_pool(executor, args.tasks, progress, latencies, seen_pids, mode, workers, started)
            elif mode == "dask":
                cluster.run(workers, args.tasks, progress, latencies, sizes)
        except BaseException as caught:  # the user's exception, a broken pool, sys.exit() in a task
            error = describe(caught)
            if isinstance(caught, SystemExit):
                error["message"] = f"the task called sys.exit({caught.code!r})"
        wall = time.perf_counter() - started
        cpu = cpu_seconds() - cpu_before
        if own_lane:
            lanes = lane_times({own_lane: started + wall}, started, [own_before])
    contention = probe.contention() if probed else None
    dask = None
    if mode == "dask":
        cluster.active.clear()
        with contextlib.suppress(Exception):  # a worker gone: its CPU time is lost with it
            cpu += cluster.worker_cpu_seconds(used) - workers_cpu_before
        # The worker time each task took beyond its own work: scheduling, transfers, (de)serialising, idling at the end.
        overhead = max(0.0, workers * max(0.0, wall - cluster.round_trip) - sum(latencies)) / len(latencies) if latencies else None
        dask = {
            "scheduler": cluster.address,
            "local": cluster.local,
            "roundTripSeconds": round(cluster.round_trip, 6),
            "perTaskOverheadSeconds": None if overhead is None else round(overhead, 6),
            "bytesPerTask": round(sum(sizes) / len(sizes)) if sizes else None,
        }
    emit(
        "run-end",
        mode=mode,
        workers=workers,
        round=round_number,
        wallSeconds=round(wall, 6),
        cpuSeconds=round(cpu, 6),
        latency={
            "p50": percentile(latencies, 50),
            "p95": percentile(latencies, 95),
            "max": max(latencies) if latencies else None,
        },
        gilContention=contention,
        completed=len(latencies),
        error=error,
        lanes=lanes,
        **({"dask": dask} if dask else {}),
    )
    return wall, cpu, contention, error is not None


def warm_up():
    """One untimed call of task 0, before anything is timed; its error (if any) is the runs' to report."""
    emit("warmup-start")
    started = time.perf_counter()
    error = None
    try:
        call(0)
    except BaseException as caught:  # the user's exception, sys.exit() in a task
        error = describe(caught)
    emit("warmup", seconds=round(time.perf_counter() - started, 6), error=error)


def unsettled(walls, last_round):
    """Do the repetitions so far call for another round? A configuration's wall times disagree, or the
    last round's sequential run computed all along (it kept the GIL probe waiting) on a fraction of a core."""
    for samples in walls.values():
        ordered = sorted(samples)
        median = ordered[len(ordered) // 2]
        if len(ordered) >= 2 and median > 0 and (ordered[-1] - ordered[0]) / median > DISAGREE:
            return True
    for (mode, _), (wall, cpu, contention) in last_round.items():
        if mode == "sequential" and contention is not None and contention >= HUNGRY and wall > 0 and cpu / wall < STARVED_SHARE:
            return True
    return False


def measure(configurations, args, context, coroutine, cluster=None):
    """The rounds: every configuration once per round, in rotating order; a configuration that fails is
    not run again."""
    walls = {configuration: [] for configuration in configurations}
    active = list(configurations)
    started = time.perf_counter()
    rounds = 0
    last_round = {}
    while active:
        if rounds >= args.repeats:
            elapsed = time.perf_counter() - started
            if rounds >= MAX_ROUNDS or elapsed + elapsed / rounds > args.budget:
                break
            if not unsettled({c: walls[c] for c in active}, last_round):
                break
        rounds += 1
        last_round = {}
        shift = (rounds - 1) % len(active)
        for mode, count in active[shift:] + active[:shift]:
            wall, cpu, contention, failed = run_once(mode, count, args, context, coroutine, rounds, cluster)
            if failed:
                active.remove((mode, count))
            else:
                walls[(mode, count)].append(wall)
                last_round[(mode, count)] = (wall, cpu, contention)


def gil_enabled():
    check = getattr(sys, "_is_gil_enabled", None)
    return True if check is None else bool(check())


def main():
    global _events, _key
    parser = argparse.ArgumentParser()
    parser.add_argument("--file", required=True)
    parser.add_argument("--function", required=True)
    parser.add_argument("--call", required=True)
    parser.add_argument("--tasks", type=int, default=8)
    parser.add_argument("--modes", default="sequential,threads,processes")
    parser.add_argument("--workers", default="")
    parser.add_argument("--start-method", default="default")
    parser.add_argument("--timeout", type=float, default=0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--budget", type=float, default=20)
    parser.add_argument("--key-on-stdin", action="store_true")
    parser.add_argument("--dask-scheduler", default="")
    args = parser.parse_args()

    if args.key_on_stdin:
        _key = sys.stdin.readline().strip()
    if args.timeout > 0:
        # A safety net when the runner is gone: it enforces the timeout itself, and ends the run's processes.
        threading.Thread(target=watchdog, args=(args.timeout + SAFETY_MARGIN,), name="cl-watchdog", daemon=True).start()
    signal.signal(signal.SIGTERM, lambda *_: end_now(128 + signal.SIGTERM))
    _events = os.fdopen(os.dup(1), "w", encoding="utf-8")
    redirect_stdout_to_stderr()
    cores = os.cpu_count() or 1
    methods = multiprocessing.get_all_start_methods()
    available = ["sequential", "threads", "processes", "asyncio"]
    if hasattr(concurrent.futures, "InterpreterPoolExecutor"):
        available.append("interpreters")
    if dask_installed():
        available.append("dask")
    emit(
        "hello",
        runtime="python",
        version=".".join(map(str, sys.version_info[:3])),
        executable=sys.executable,
        gilEnabled=gil_enabled(),
        cores=cores,
        startMethods=methods,
        defaultStartMethod=multiprocessing.get_start_method(),
        modes=available,
        pid=os.getpid(),
    )

    try:
        compile(args.call, "<call>", "eval")
    except SyntaxError as caught:
        emit("error", stage="call", **describe(caught))
        return EXIT_INPUT_ERROR
    try:
        module = load(args.file, args.call)
    except BaseException as caught:
        emit("error", stage="import", **describe(caught))
        return EXIT_INPUT_ERROR
    target = module
    try:
        for part in args.function.split("."):
            target = getattr(target, part)
    except AttributeError as caught:
        emit("error", stage="function", exception="AttributeError", message=f"{module.__name__} has no function {args.function}", traceback=str(caught))
        return EXIT_INPUT_ERROR
    coroutine = inspect.iscoroutinefunction(target)

    if args.start_method != "default" and args.start_method not in methods:
        emit("error", stage="start-method", exception="ValueError", message=f"start method {args.start_method} is not available here ({', '.join(methods)})", traceback="")
        return EXIT_INPUT_ERROR
    context = None if args.start_method == "default" else multiprocessing.get_context(args.start_method)
    GilProbe.calibrate()
    workers = [int(w) for w in args.workers.split(",") if w] or [cores]
    modes = [m for m in args.modes.split(",") if m]
    for mode in modes:
        if mode not in available:
            hint = f": distributed is not installed for {sys.executable} ({DASK_INSTALL_HINT})" if mode == "dask" else ""
            emit("error", stage="mode", exception="ValueError", message=f"mode {mode} is not available with this interpreter{hint} ({', '.join(available)})", traceback="")
            return EXIT_INPUT_ERROR
    cluster = None
    if "dask" in modes:
        try:
            cluster = DaskCluster(args.dask_scheduler, max(workers), args.file, args.call)
        except DaskUnavailable as caught:
            emit("error", stage="dask", exception="DaskUnavailable", message=str(caught), traceback="")
            return EXIT_INPUT_ERROR
        except Exception as caught:  # a broken distributed, a LocalCluster that cannot start
            where = args.dask_scheduler or "a LocalCluster"
            emit("error", stage="dask", **{**describe(caught), "message": f"the Dask cluster ({where}) could not start: {type(caught).__name__}: {caught}"})
            return EXIT_INPUT_ERROR
        emit("cluster", scheduler=cluster.address, local=cluster.local, workers=len(cluster.addresses), roundTripSeconds=round(cluster.round_trip, 6))
    # A cluster smaller than a worker count runs that configuration on all its workers.
    dask_counts = sorted({min(count, len(cluster.addresses)) for count in workers}) if cluster else []
    configurations = [
        (mode, count)
        for mode in modes
        if not (mode == "asyncio" and not coroutine)
        for count in ([1] if mode == "sequential" else dask_counts if mode == "dask" else workers)
    ]
    # The warm-up warms this process: only the modes that run their tasks here gain from it.
    if any(mode in ("sequential", "threads", "asyncio") for mode, _ in configurations):
        warm_up()
    try:
        measure(configurations, args, context, coroutine, cluster)
    finally:
        if cluster:
            cluster.close()
    emit("done")
    if cluster:
        # distributed's exit handlers would wait for the LocalCluster's processes, which end_descendants kills at once.
        end_descendants()
        os._exit(0)
    return 0


if __name__ == "__main__":
    become_subreaper()
    try:
        status = main()
    finally:
        end_descendants()
    sys.exit(status)
