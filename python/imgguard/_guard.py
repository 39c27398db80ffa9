"""One long-lived `imgguard check` process for many files, and the functions built on it."""
import atexit
import base64
import json
import os
import queue
import subprocess
import tempfile
import threading
from typing import Any, Dict, Iterable, Iterator, List, Optional, Tuple

from ._cli import find_cli
from ._result import Result, Results, rejection

__all__ = ["Guard", "check", "iter_check", "filter_ok", "safe_open"]

# A usage error (a bad budget or decoder): restarting would fail the same way.
_EXIT_USAGE = 64
_END = object()


def _budget_args(budget, decoder) -> List[str]:
    args = []
    if budget is not None:
        args += ["--budget", str(budget)]
    if decoder is not None:
        args += ["--decoder", str(decoder)]
    return args


def _raw(path) -> bytes:
    """The bytes the operating system knows the path by (absolute, so a later os.chdir is harmless)."""
    return os.path.abspath(os.fsencode(path))


def _local(path, code: str, message: str, status: str = "error") -> Result:
    return Result(path=path, status=status, reason=message, error={"code": code, "message": message})


def _same_name(data: Dict[str, Any], raw: bytes) -> bool:
    if "pathBytes" in data:
        return base64.b64decode(data["pathBytes"]) == raw
    return data.get("path") == raw.decode("utf-8", "replace")


def _walked_path(original, data: Dict[str, Any]):
    """A path found by the CLI under a directory the caller named, in the caller's type."""
    raw = base64.b64decode(data["pathBytes"]) if "pathBytes" in data else data["path"].encode("utf-8")
    return raw if isinstance(original, bytes) else os.fsdecode(raw)


class Guard:
    """Keeps one `imgguard check --files-from - -0 --ndjson` process and checks paths through it.

    Each path written gets its result back as soon as it is checked. A bad path gets an `error`
    result; a process that dies is restarted (the file it died on gets an `error` result);
    the process is closed on exit from a `with` block or by close().
    """

    def __init__(self, budget=None, decoder=None, cli: Optional[List[str]] = None, args: Iterable[str] = ()):
        self._cmd = list(cli) if cli else find_cli()
        self._args = _budget_args(budget, decoder) + list(args)
        self._proc: Optional[subprocess.Popen] = None
        self._stderr = None
        self._lock = threading.Lock()
        self._owner = os.getpid()
        self.restarts = 0

    # process -----------------------------------------------------------------------------
    def _argv(self) -> List[str]:
        # One file at a time, no ignore patterns from a config file: one result per path written.
        return [*self._cmd, "check", "--files-from", "-", "-0", "--ndjson", "-q", "--concurrency", "1"] + [
            "--ignore",
            "",
            *self._args,
        ]

    def _alive(self) -> subprocess.Popen:
        if self._owner != os.getpid():
            # A forked child (a DataLoader worker) must not share its parent's process: it starts its own.
            self._owner, self._proc, self._stderr = os.getpid(), None, None
        if self._proc is not None and self._proc.poll() is None:
            return self._proc
        if self._proc is not None:
            self._reap()
            self.restarts += 1
        self._stderr = tempfile.TemporaryFile()
        self._proc = subprocess.Popen(
            self._argv(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr
        )
        return self._proc

    def _reap(self) -> Tuple[int, str]:
        proc, self._proc = self._proc, None
        if proc is None:
            return 0, ""
        for stream in (proc.stdin, proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
        try:
            code = proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = proc.wait()
        text = ""
        if self._stderr is not None:
            self._stderr.seek(0)
            text = self._stderr.read()[-4000:].decode("utf-8", "replace").strip()
            self._stderr.close()
            self._stderr = None
        return code, text

    def close(self) -> None:
        """Ends the process (standard input closed, then waited for)."""
        with self._lock:
            self._reap()

    def __enter__(self) -> "Guard":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self._reap()
        except Exception:
            pass

    @property
    def pid(self) -> Optional[int]:
        """The process id of the running imgguard, or None before the first check."""
        return self._proc.pid if self._proc is not None and self._proc.poll() is None else None

    # checking ----------------------------------------------------------------------------
    def check(self, path) -> Result:
        """The verdict on one file (str, bytes or os.PathLike); `.path` is `path` itself."""
        for r in self.iter_check([path]):
            return r
        raise AssertionError("unreachable")

    def iter_check(self, paths: Iterable) -> Iterator[Result]:
        """Verdicts for `paths` in order, each as soon as it is known (paths are written ahead
        by a thread, so the process never waits for this generator's consumer to ask)."""
        with self._lock:
            yield from self._iter(iter(paths))

    def _classify(self, path):
        try:
            raw = _raw(path)
        except (TypeError, ValueError) as e:
            return ("local", _local(path, "E_BAD_PATH", f"not a path: {e}"))
        if b"\0" in raw:
            return ("local", _local(path, "E_BAD_PATH", "a path cannot contain a NUL byte"))
        if os.path.isdir(raw):
            return ("dir", path, raw)
        return ("path", path, raw)

    def _iter(self, it: Iterator) -> Iterator[Result]:
        while True:
            proc = self._alive()
            pending: "queue.Queue" = queue.Queue(maxsize=4096)
            stop = threading.Event()
            rest: List[Any] = []

            # Paths are written in batches (one pipe write for many paths); whoever needs an answer
            # for a path not yet written flushes: the reader when it waits, the writer at the end.
            batch: List[bytes] = []
            sent = [0, 0]  # paths queued, paths written
            write_lock = threading.Lock()

            def flush(wait: bool) -> None:
                if not write_lock.acquire(blocking=wait):
                    return  # the writer is writing: everything queued so far is in that write
                try:
                    if batch:
                        n = len(batch)
                        proc.stdin.write(b"".join(batch))
                        proc.stdin.flush()
                        batch.clear()
                        sent[1] += n
                finally:
                    write_lock.release()

            def feed() -> None:
                try:
                    for path in it:
                        entry = self._classify(path)
                        if entry[0] == "path":
                            with write_lock:
                                batch.append(entry[2] + b"\0")
                                sent[0] += 1
                                entry = (*entry, sent[0])
                        pending.put(entry)
                        if len(batch) >= 256:
                            flush(True)
                        if stop.is_set():
                            break
                    flush(True)
                except (BrokenPipeError, OSError, ValueError):
                    pass  # the process died: the reader restarts it
                finally:
                    pending.put(_END)

            writer = threading.Thread(target=feed, name="imgguard-feed", daemon=True)
            writer.start()
            died = None
            finished = False
            try:
                while True:
                    entry = pending.get()
                    if entry is _END:
                        finished = True
                        return
                    if entry[0] == "local":
                        yield entry[1]
                        continue
                    if entry[0] == "dir":
                        yield from _walk(self._cmd, self._args, entry[1])
                        continue
                    if entry[3] > sent[1]:
                        try:
                            flush(False)
                        except (BrokenPipeError, OSError, ValueError):
                            pass  # the process died: seen as the end of its output
                    line = proc.stdout.readline()
                    if not line:
                        died = entry
                        break
                    yield Result.from_json(entry[1], json.loads(line))
            finally:
                if died is None and not finished:
                    # Abandoned midway: stop feeding and read what was sent, so the next call starts clean.
                    stop.set()
                    self._drain(proc, pending)
                    writer.join()
            # The process died: the file it was on gets an error result; the rest go to a new one.
            stop.set()
            while True:
                entry = pending.get()
                if entry is _END:
                    break
                rest.append(entry[1] if entry[0] != "local" else entry[1].path)
            writer.join()
            code, text = self._reap()
            if code == _EXIT_USAGE:
                raise ValueError(f"imgguard refused the options {self._args}: {text}")
            why = f"imgguard exited ({code}) while checking this file. {text}".strip()
            yield _local(died[1], "E_CHECKER_DIED", why)
            it = _chain(rest, it)

    def _drain(self, proc, pending) -> None:
        alive = True
        while True:
            entry = pending.get()
            if entry is _END:
                return
            if alive and entry[0] == "path" and not proc.stdout.readline():
                alive = False
                self._reap()


def _chain(first: List[Any], then: Iterator) -> Iterator:
    yield from first
    yield from then


def _walk(cmd: List[str], args: List[str], original) -> Iterator[Result]:
    """A directory: walked by the CLI itself (its rules: sorted, hidden names skipped, ...)."""
    for data in _run_once([*cmd, "check", "--ndjson", "-q", *args, "--", os.fsencode(original)]):
        yield Result.from_json(_walked_path(original, data), data)


def _run_once(argv: List[Any], stdin: Optional[List[bytes]] = None) -> Iterator[Dict[str, Any]]:
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err)

        def feed() -> None:
            try:
                for raw in stdin or []:
                    proc.stdin.write(raw + b"\0")
                proc.stdin.close()
            except OSError:
                pass

        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
        try:
            for line in proc.stdout:
                yield json.loads(line)
        finally:
            writer.join()
            proc.stdout.close()
            code = proc.wait()
        if code == _EXIT_USAGE:
            err.seek(0)
            raise ValueError(f"imgguard: {err.read().decode('utf-8', 'replace').strip()}")


# module-level helpers on shared Guards ---------------------------------------------------
_shared: Dict[Tuple, Guard] = {}
_shared_lock = threading.Lock()


def _guard_for(budget, decoder, args: Tuple[str, ...] = ()) -> Guard:
    cmd = find_cli()
    key = (tuple(cmd), str(budget), str(decoder), args)
    with _shared_lock:
        g = _shared.get(key)
        if g is None:
            g = _shared[key] = Guard(budget=budget, decoder=decoder, cli=cmd, args=args)
        return g


@atexit.register
def _close_shared() -> None:
    for g in list(_shared.values()):
        g.close()
    _shared.clear()


def _as_list(paths_or_dir) -> List[Any]:
    if isinstance(paths_or_dir, (str, bytes, os.PathLike)):
        return [paths_or_dir]
    return paths_or_dir


def iter_check(paths_or_dir, budget=None, decoder=None, verify: bool = False) -> Iterator[Result]:
    """Verdicts as they come for a path, a directory (walked) or an iterable of paths.

    `budget`: bytes (int) or a size like "2GiB" or "auto"; `decoder`: "sharp" (default), "pillow",
    "numpy"; `verify`: also decode every image within budget (a separate process per call)."""
    paths = _as_list(paths_or_dir)
    if not verify:
        yield from _guard_for(budget, decoder).iter_check(paths)
        return
    args = _budget_args(budget, decoder) + ["--verify"]
    cmd = find_cli()
    originals = list(paths)
    files = []
    for p in originals:
        raw = _raw(p)
        if os.path.isdir(raw):
            yield from _walk(cmd, args, p)
        else:
            files.append((p, raw))
    if files:
        argv = [*cmd, "check", "--files-from", "-", "-0", "--ndjson", "-q", "--ignore", "", *args]
        queue_ = list(files)
        at = 0
        for data in _run_once(argv, [raw for _, raw in files]):
            while at < len(queue_) - 1 and not _same_name(data, queue_[at][1]):
                yield _local(queue_[at][0], "E_SKIPPED", "skipped by imgguard (a directory?)")
                at += 1
            yield Result.from_json(queue_[at][0], data)
            at += 1


def check(paths_or_dir, budget=None, decoder=None, verify: bool = False) -> Results:
    """The verdicts for a path, a directory (walked) or an iterable of paths, as a Results list."""
    return Results(iter_check(paths_or_dir, budget=budget, decoder=decoder, verify=verify))


def filter_ok(paths, budget=None, decoder=None) -> Iterator:
    """The paths whose image decodes within the budget, as they are checked (same objects as given)."""
    for r in iter_check(paths, budget=budget, decoder=decoder):
        if r.ok:
            yield r.path


_pillow_decoder_cache: Dict[Tuple, str] = {}


def pillow_decoder() -> str:
    """`pillow@X.Y` for the installed Pillow when the CLI knows that form, else `pillow`."""
    import PIL

    version = ".".join(PIL.__version__.split(".")[:2])
    cmd = find_cli()
    key = (tuple(cmd), version)
    if key not in _pillow_decoder_cache:
        done = subprocess.run(
            [*cmd, "check", "--decoder", f"pillow@{version}", "--ndjson", "-q", "--", os.devnull],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=60,
        )
        _pillow_decoder_cache[key] = f"pillow@{version}" if done.returncode != _EXIT_USAGE else "pillow"
    return _pillow_decoder_cache[key]


def _bomb_limit(max_image_pixels) -> Tuple[str, ...]:
    """Pillow's own DecompressionBombError level (2 × Image.MAX_IMAGE_PIXELS) as a limit."""
    if max_image_pixels is None:
        return ()
    if max_image_pixels == 89478485:  # Pillow's default
        return ("--pillow-compat",)
    return ("--max-pixels", str(2 * int(max_image_pixels)))


def safe_open(path, budget="auto", decoder: Optional[str] = None, **open_kwargs):
    """`PIL.Image.open(path)` when imgguard's verdict for the installed Pillow is ok; otherwise
    raises OverBudget, CorruptImage, UnsupportedImage or CheckFailed (all ImageRejected, with
    `.result`). Keep the returned image's decoded size in mind: it is `result.decoded_bytes`."""
    from PIL import Image

    result = _guard_for(budget, decoder or pillow_decoder(), _bomb_limit(Image.MAX_IMAGE_PIXELS)).check(path)
    if not result.ok:
        raise rejection(result)
    try:
        return Image.open(path, **open_kwargs)
    except Image.UnidentifiedImageError as e:
        # A format imgguard sizes but this Pillow cannot open (SVG; AVIF and HEIF without plugins).
        import PIL

        result.status, result.reason = "unsupported", f"Pillow {PIL.__version__} cannot open it: {e}"
        raise rejection(result) from None
