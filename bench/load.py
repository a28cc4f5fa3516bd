"""Many visitors at once: simulated visitors over Streamlit's websocket, and what they cost.

    python bench/load.py --sessions 5,10,20,40 --think 0          # closed loop: find the knee
    python bench/load.py --sessions 200,400 --think 5-15          # paced visitors
    python bench/load.py --sessions 20 --think 0 --compare-floor  # and the bare chat, same run
    python bench/load.py --sessions 400 --think 5-15 --replicas 2 # through scripts/serve.sh
    python bench/load.py --url http://127.0.0.1:8501 --pids 1234 --sessions 50

Each simulated visitor does what a browser does: it opens /_stcore/stream, asks for the page's
first run (BackMsg rerun_script), learns the chat input's widget id from the elements of that run,
then for each question sends rerun_script with the chat input's `chat_input_value` and waits for
`script_finished`. When the chat input sits in a fragment (st.fragment), the rerun names that
fragment, as a browser's does, so only the fragment runs; the id is taken from each run's
elements, since a page may move its input to a new fragment. After --per-visit questions it
leaves and a new visitor takes its place.
`--think 0` asks again at once (closed loop); `--think 5-15` waits 5 to 15 s between questions.

Each load level gets a fresh server (unless --url): `streamlit run` on a free port with a
throw-away store, or N replicas behind nginx with --replicas N. Visitors arrive over a ramp, the
figures are taken over the next --duration seconds, then every visitor leaves and the server is
stopped. Reported per level: questions answered in the window, throughput, p50/p95/max latency
(send to script_finished), errors, the server's CPU per question (utime+stime of the server
processes and their children, from /proc), RSS per session, and what else the machine did: the
bench's own CPU and the other processes' (this machine's cores are shared). Not a test: it prints
numbers for the README. The servers inherit the environment, so a Streamlit setting can be tried
without editing config.toml, e.g. STREAMLIT_RUNNER_POST_SCRIPT_GC=false python bench/load.py ...
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import random
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import WebSocketException
from websockets.typing import Subprotocol

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.server import wait_until_healthy  # noqa: E402

APP, FLOOR_APP = "app.py", "bench/floor_app.py"
SERVE = ROOT / "scripts" / "serve.sh"
DEFAULT_QUESTIONS = ROOT / "tests" / "data" / "questions.yaml"
CHAT_INPUT_KEY = "question"
HZ = os.sysconf("SC_CLK_TCK")
MB = 1024 * 1024


# --- what the server and the machine use, from /proc ---------------------------------------

def _stat_fields(pid: int) -> list[str]:
    # The fields after "(comm)", which may itself hold spaces: [0] state, [1] ppid, [11] utime...
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def process_tree(roots: list[int]) -> list[int]:
    """The given processes and all their descendants (nginx workers, for one)."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                children.setdefault(int(_stat_fields(int(entry.name))[1]), []).append(
                    int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    found, todo = [], list(roots)
    while todo:
        pid = todo.pop(0)
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def _name(pid: int) -> str:
    """'streamlit:8621' for a replica (its port), else the command name and pid."""
    try:
        words = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        if b"--server.port" in words:
            return f"streamlit:{words[words.index(b'--server.port') + 1].decode()}"
        return f"{Path(f'/proc/{pid}/comm').read_text().strip()}:{pid}"
    except (OSError, IndexError):
        return str(pid)


@dataclass(frozen=True)
class Usage:
    """CPU seconds and RSS bytes of a set of processes, the machine's busy CPU, the bench's."""

    server_cpu: float
    per_process: dict[int, float]
    server_rss: int
    machine_cpu: float
    bench_cpu: float
    at: float

    @classmethod
    def now(cls, pids: list[int]) -> Usage:
        per_process, rss = {}, 0
        for pid in pids:
            fields = _stat_fields(pid)
            per_process[pid] = (int(fields[11]) + int(fields[12])) / HZ
            rss += next(int(line.split()[1]) * 1024
                        for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                        if line.startswith("VmRSS:"))
        with open("/proc/stat") as stat:
            jiffies = [int(value) for value in stat.readline().split()[1:9]]
        machine = sum(jiffies) - jiffies[3] - jiffies[4]  # all but idle and iowait
        own = resource.getrusage(resource.RUSAGE_SELF)
        return cls(sum(per_process.values()), per_process, rss, machine / HZ,
                   own.ru_utime + own.ru_stime, time.monotonic())


# --- one visitor's conversation over the websocket ------------------------------------------

class ServerError(Exception):
    """The page reported an exception, or the run did not finish normally."""


class Visit:
    """One browser tab: a websocket session, the page's first run, then questions."""

    def __init__(self, ws: ClientConnection, timeout: float):
        self.ws, self.timeout = ws, timeout
        self.page_hash = ""
        self.chat_input_id: str | None = None
        self.chat_input_fragment = ""

    async def _run(self, client_state_filler) -> None:
        back = BackMsg()
        client_state_filler(back.rerun_script)
        await self.ws.send(back.SerializeToString())
        started = False
        async with asyncio.timeout(self.timeout):
            while True:
                message = ForwardMsg()
                message.ParseFromString(await self.ws.recv())
                kind = message.WhichOneof("type")
                if kind == "new_session":
                    started = True
                    self.page_hash = message.new_session.page_script_hash
                elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                    element = message.delta.new_element
                    element_type = element.WhichOneof("type")
                    if element_type == "exception":
                        raise ServerError(f"exception on the page: {element.exception.message}")
                    if element_type == "chat_input":
                        self.chat_input_id = element.chat_input.id
                        self.chat_input_fragment = message.delta.fragment_id
                elif kind == "session_event" and message.session_event.HasField(
                        "script_compilation_exception"):
                    raise ServerError("the script does not compile")
                elif kind == "script_finished" and started:
                    if message.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                        continue  # the page asked for a rerun (st.rerun): wait for that one
                    if message.script_finished not in (
                            ForwardMsg.FINISHED_SUCCESSFULLY,
                            ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY):
                        raise ServerError(f"script finished with status {message.script_finished}")
                    return

    async def load(self) -> None:
        """The first run of the page, as a browser asks for it on connecting."""
        def first(state):
            state.query_string = ""
            state.page_script_hash = ""
        await self._run(first)
        if self.chat_input_id is None:
            raise ServerError("the page has no chat input")

    async def ask(self, question: str) -> None:
        """Type a question and press Enter; returns once the page has run to the end."""
        def typed(state):
            state.page_script_hash = self.page_hash
            state.fragment_id = self.chat_input_fragment
            widget = state.widget_states.widgets.add()
            widget.id = self.chat_input_id
            widget.chat_input_value.data = question
        await self._run(typed)


def websocket_url(url: str) -> str:
    return "ws" + url.rstrip("/").removeprefix("http") + "/_stcore/stream"


@contextlib.asynccontextmanager
async def visit(url: str, timeout: float):
    # Like a browser: no ping of its own (the server pings), permessage-deflate offered,
    # and never through an HTTP proxy from the environment: the target is this machine.
    async with connect(websocket_url(url), subprotocols=[Subprotocol("streamlit")],
                       open_timeout=timeout, close_timeout=2, ping_interval=None,
                       max_size=None, proxy=None) as ws:
        yield Visit(ws, timeout)


# --- a load level ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Level:
    sessions: int
    think: tuple[float, float]
    duration: float
    ramp: float
    settle: float
    per_visit: int
    timeout: float


@dataclass
class Result:
    app: str
    replicas: int
    sessions: int
    think: str
    duration: float
    questions: int
    throughput: float
    p50_ms: float
    p95_ms: float
    max_ms: float
    errors: int
    error_kinds: dict
    page_loads: int
    page_load_p95_ms: float
    server_cpu_ms_per_question: float | None
    server_cores: float | None
    cores_per_process: str
    rss_per_session_mb: float | None
    rss_after_mb: float | None
    bench_cores: float
    other_cores: float | None
    load_avg: str


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


async def drive(url: str, pids: list[int], level: Level, questions: list[str], app: str,
                replicas: int) -> Result:
    """Run `level.sessions` visitors against `url` and measure one window."""
    answered: list[tuple[float, float]] = []  # (finished at, seconds)
    loads: list[tuple[float, float]] = []
    failures: list[tuple[float, str]] = []
    stop = asyncio.Event()
    low, high = level.think

    async def think() -> None:
        await asyncio.sleep(random.uniform(low, high) if high > 0 else 0)

    async def visitor() -> None:
        await asyncio.sleep(random.uniform(0, level.ramp))
        next_question = random.randrange(len(questions))
        while not stop.is_set():
            try:
                async with visit(url, level.timeout) as tab:
                    began = time.monotonic()
                    await tab.load()
                    loads.append((time.monotonic(), time.monotonic() - began))
                    for _ in range(level.per_visit):
                        await think()
                        if stop.is_set():
                            return
                        question = questions[next_question % len(questions)]
                        next_question += 1
                        began = time.monotonic()
                        await tab.ask(question)
                        answered.append((time.monotonic(), time.monotonic() - began))
            except TimeoutError:
                failures.append((time.monotonic(), "timeout"))
            except ServerError as problem:
                failures.append((time.monotonic(), str(problem)[:80]))
            except (OSError, WebSocketException) as problem:
                failures.append((time.monotonic(), type(problem).__name__))
            else:
                continue
            await asyncio.sleep(1)  # a visitor who got an error comes back a little later

    roots = process_tree(pids) if pids else []
    before = Usage.now(roots)
    tasks = [asyncio.create_task(visitor()) for _ in range(level.sessions)]
    try:
        await asyncio.sleep(level.ramp + level.settle)
        load_start = os.getloadavg()[0]
        start = Usage.now(roots)
        await asyncio.sleep(level.duration)
        end = Usage.now(roots)
        load_end = os.getloadavg()[0]
    finally:
        stop.set()
        for task in tasks:
            task.cancel()
        await asyncio.wait(tasks, timeout=30)

    def within(records):
        return [value for at, value in records if start.at <= at <= end.at]

    latencies, page_loads, errors = within(answered), within(loads), within(failures)
    seconds = end.at - start.at
    server_cpu = end.server_cpu - start.server_cpu
    bench_cpu = end.bench_cpu - start.bench_cpu
    measured = bool(roots)
    return Result(
        app=app, replicas=replicas, sessions=level.sessions,
        think="0" if level.think[1] == 0 else f"{low:g}-{high:g}",
        duration=round(seconds, 1), questions=len(latencies),
        throughput=round(len(latencies) / seconds, 2),
        p50_ms=round(percentile(latencies, 0.5) * 1000, 1),
        p95_ms=round(percentile(latencies, 0.95) * 1000, 1),
        max_ms=round(max(latencies, default=0) * 1000, 1),
        errors=len(errors), error_kinds=dict(Counter(errors)),
        page_loads=len(page_loads),
        page_load_p95_ms=round(percentile(page_loads, 0.95) * 1000, 1),
        server_cpu_ms_per_question=(round(server_cpu * 1000 / len(latencies), 2)
                                    if measured and latencies else None),
        server_cores=round(server_cpu / seconds, 2) if measured else None,
        cores_per_process=" ".join(
            f"{_name(pid)}:{(end.per_process[pid] - start.per_process[pid]) / seconds:.2f}"
            for pid in roots),
        rss_per_session_mb=(round((end.server_rss - before.server_rss) / MB / level.sessions, 3)
                            if measured else None),
        rss_after_mb=round(end.server_rss / MB, 1) if measured else None,
        bench_cores=round(bench_cpu / seconds, 2),
        other_cores=(round((end.machine_cpu - start.machine_cpu - server_cpu - bench_cpu)
                           / seconds, 2) if measured else None),
        load_avg=f"{load_start:.2f}->{load_end:.2f}",
    )


async def warm_up(url: str, visitors: int, timeout: float, questions: list[str]) -> None:
    """Build the caches (engine, imports) before measuring: a page load and two questions in
    each of `visitors` tabs held open together, so a balancer spreads them over its replicas."""
    async with contextlib.AsyncExitStack() as stack:
        tabs = [await stack.enter_async_context(visit(url, timeout)) for _ in range(visitors)]
        for tab in tabs:
            await tab.load()
            for question in questions[:2]:
                await tab.ask(question)


# --- the servers the bench starts ------------------------------------------------------------

def free_ports(count: int) -> int:
    """A port P such that P .. P+count-1 are free on loopback now."""
    for _ in range(100):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            first = probe.getsockname()[1]
        if first + count > 65535:
            continue
        try:
            with contextlib.ExitStack() as stack:
                for port in range(first, first + count):
                    sock = stack.enter_context(socket.socket())
                    sock.bind(("127.0.0.1", port))
            return first
        except OSError:
            continue
    raise RuntimeError(f"no {count} consecutive free ports found")


def _stop(process: subprocess.Popen, group: bool = False) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            if group:
                os.killpg(process.pid, signal.SIGKILL)
            else:
                process.kill()
            process.wait()


@contextlib.contextmanager
def served(app: str, replicas: int, folder: Path) -> Iterator[tuple[str, list[int]]]:
    """A fresh server for `app` with its own store; yields (url, pids to measure).

    replicas 0: one `streamlit run` process. replicas N >= 1: scripts/serve.sh, N processes
    behind nginx, and the pids of nginx and every replica."""
    env = dict(os.environ, ASSISTANT_DB=str(folder / "bench.db"), PYTHON=sys.executable)
    log = folder / "server.log"
    if replicas == 0:
        port = free_ports(1)
        command = [sys.executable, "-m", "streamlit", "run", app, "--server.port", str(port),
                   "--server.headless", "true"]
        group = False
    else:
        port = free_ports(replicas + 1)
        pid_file = folder / "pids"
        command = ["bash", str(SERVE), "--replicas", str(replicas), "--port", str(port),
                   "--app", app, "--pid-file", str(pid_file)]
        group = True
    with open(log, "wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=group)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_healthy(url, process, log, timeout=120)
        if replicas == 0:
            pids = [process.pid]
        else:
            deadline = time.monotonic() + 60
            while not pid_file.exists() or not pid_file.read_text().endswith("\n"):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"serve.sh did not start:\n{log.read_text()}")
                time.sleep(0.1)
            pids = [int(line) for line in pid_file.read_text().split()]
        yield url, pids
    finally:
        _stop(process, group)


# --- the command line ------------------------------------------------------------------------

def load_questions(path: Path) -> list[str]:
    """Questions from a YAML set (cases: [{q: ...}]) or a text file (one a line)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix in (".yaml", ".yml"):
        data = yaml.safe_load(text)
        cases = data.get("cases", []) if isinstance(data, dict) else data
        found = [case["q"] if isinstance(case, dict) else str(case) for case in cases or []]
    else:
        found = [line.strip() for line in text.splitlines() if line.strip()]
    if not found:
        raise SystemExit(f"no questions in {path}")
    return found


def parse_think(text: str) -> tuple[float, float]:
    low, _, high = text.partition("-")
    try:
        bounds = (float(low), float(high or low))
    except ValueError:
        raise argparse.ArgumentTypeError(f"--think is seconds or a range like 5-15, "
                                         f"got {text!r}") from None
    if bounds[0] < 0 or bounds[1] < bounds[0]:
        raise argparse.ArgumentTypeError(f"--think needs 0 <= low <= high, got {text!r}")
    return bounds


def parse_counts(text: str) -> list[int]:
    try:
        counts = [int(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected numbers like 10,20,40, got {text!r}") from None
    if any(count < 1 for count in counts):
        raise argparse.ArgumentTypeError(f"session counts must be at least 1, got {text!r}")
    return counts


COLUMNS = (("app", "app", 8), ("replicas", "proc", 4), ("sessions", "sessions", 8),
           ("think", "think", 5), ("questions", "answered", 8), ("throughput", "q/s", 6),
           ("p50_ms", "p50 ms", 7), ("p95_ms", "p95 ms", 7), ("max_ms", "max ms", 8),
           ("errors", "errors", 6), ("server_cpu_ms_per_question", "cpu ms/q", 8),
           ("server_cores", "srv cores", 9), ("rss_per_session_mb", "MB/sess", 7),
           ("bench_cores", "bench", 5), ("other_cores", "other", 5), ("load_avg", "load", 11))


def row(values: dict) -> str:
    return " ".join(f"{'-' if values[key] is None else values[key]!s:>{width}}"
                    for key, _, width in COLUMNS)


def header() -> str:
    return " ".join(f"{title:>{width}}" for _, title, width in COLUMNS)


def summary(results: list[Result]) -> list[str]:
    """Medians over repeats, per (app, replicas, sessions, think), and the floor ratio."""
    groups: dict[tuple, list[Result]] = {}
    for result in results:
        groups.setdefault((result.app, result.replicas, result.sessions, result.think),
                          []).append(result)
    lines, medians = ["medians over repeats:", header()], {}
    for key, group in groups.items():
        merged = dict(zip(("app", "replicas", "sessions", "think"), key, strict=True))
        for name, _, _ in COLUMNS:
            values = [getattr(result, name) for result in group]
            if name in merged:
                continue
            if name == "load_avg":
                merged[name] = f"{len(values)} runs"
            elif all(isinstance(value, int | float) for value in values):
                merged[name] = round(statistics.median(values), 2)
            else:
                merged[name] = values[0]
        medians[key] = merged
        lines.append(row(merged))
    for (app, replicas, sessions, think), merged in medians.items():
        floor = medians.get(("floor", replicas, sessions, think))
        if app != "floor" and floor and merged["server_cpu_ms_per_question"] and \
                floor["server_cpu_ms_per_question"]:
            ratio = merged["server_cpu_ms_per_question"] / floor["server_cpu_ms_per_question"]
            lines.append(f"{app} vs floor at {sessions} sessions, think {think}: CPU per question "
                         f"{merged['server_cpu_ms_per_question']} ms vs "
                         f"{floor['server_cpu_ms_per_question']} ms = {ratio:.2f}x")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=parse_counts, default=[20],
                        help="simulated visitors at once; a list (10,20,40) runs each in turn")
    parser.add_argument("--think", type=parse_think, default=(0.0, 0.0),
                        help="seconds between a visitor's questions: 0 (closed loop) or 5-15")
    parser.add_argument("--duration", type=float, default=60, help="measured seconds per level")
    parser.add_argument("--ramp", type=float, default=None,
                        help="seconds over which visitors arrive (default: 2 closed loop; paced: "
                             "the longest think time, or longer so at most 20 arrive a second)")
    parser.add_argument("--settle", type=float, default=None,
                        help="seconds between the ramp and the window (default: 3 closed loop, "
                             "the longest think time paced)")
    parser.add_argument("--per-visit", type=int, default=10,
                        help="questions per visit before the visitor leaves and a new one comes")
    parser.add_argument("--timeout", type=float, default=60,
                        help="seconds to wait for a page run before counting an error")
    parser.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS,
                        help="questions to cycle through: YAML (cases: [{q: ...}]) or text lines")
    parser.add_argument("--url", help="an already running server (no server is started)")
    parser.add_argument("--pids", default="",
                        help="with --url: the server's process ids (comma separated) to measure")
    parser.add_argument("--app", default=APP, help="the app to start (default app.py)")
    parser.add_argument("--replicas", type=int, default=0,
                        help="start N app processes behind nginx with scripts/serve.sh "
                             "(default: one process, no proxy)")
    parser.add_argument("--compare-floor", action="store_true",
                        help="run each level against bench/floor_app.py too, and compare")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each level; medians shown")
    parser.add_argument("--json", type=Path, help="append each result to this file (JSON lines)")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args(argv)
    if args.url and (args.compare_floor or args.replicas):
        parser.error("--url measures a running server: no --compare-floor or --replicas")
    if args.replicas < 0 or args.repeat < 1 or args.per_visit < 1 or args.duration <= 0:
        parser.error("--replicas >= 0, --repeat >= 1, --per-visit >= 1 and --duration > 0")
    random.seed(args.seed)
    questions = load_questions(args.questions)
    pids = [int(pid) for pid in args.pids.split(",") if pid.strip()]
    apps = [args.app] + ([FLOOR_APP] if args.compare_floor else [])
    # Many sessions need many sockets; a browser-like client holds one per visitor.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # stop servers on SIGTERM too

    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; "
          f"{len(questions)} questions from {args.questions}", flush=True)
    print(header(), flush=True)
    results: list[Result] = []
    for _ in range(args.repeat):
        for sessions in args.sessions:
            low, high = args.think
            paced = high > 0
            level = Level(
                sessions=sessions, think=args.think, duration=args.duration,
                ramp=args.ramp if args.ramp is not None else (
                    max(high, sessions / 20) if paced else 2.0),
                settle=args.settle if args.settle is not None else (high if paced else 3.0),
                per_visit=args.per_visit, timeout=args.timeout)
            for app in apps:
                label = "floor" if app == FLOOR_APP else Path(app).stem
                if args.url:
                    asyncio.run(warm_up(args.url, 1, args.timeout, questions))
                    result = asyncio.run(drive(args.url, pids, level, questions, label,
                                               len(pids)))
                else:
                    with tempfile.TemporaryDirectory(prefix="load-bench-") as tmp, \
                            served(app, args.replicas, Path(tmp)) as (url, server_pids):
                        asyncio.run(warm_up(url, max(1, args.replicas), args.timeout,
                                            questions))
                        result = asyncio.run(drive(url, server_pids, level, questions, label,
                                                   max(1, args.replicas)))
                results.append(result)
                print(row(asdict(result)), flush=True)
                if result.replicas > 1:
                    print(f"    cores per process: {result.cores_per_process}", flush=True)
                if result.error_kinds:
                    print(f"    errors: {result.error_kinds}", flush=True)
                if args.json:
                    with open(args.json, "a", encoding="utf-8") as out:
                        out.write(json.dumps(asdict(result)) + "\n")
    print()
    print("\n".join(summary(results)))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\ninterrupted: every server the bench started is stopped", file=sys.stderr)
        sys.exit(130)
