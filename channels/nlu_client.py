"""The Rasa server's side of its NLU worker (channels.nlu_worker): starting it, keeping it
running, and asking it to read each message.

One Rasa process is bound by one core; with the NLU in a second process, the server runs
the conversations while the worker reads the next messages (bench/tuning.md). Whenever the
worker can't answer (starting, restarting, stopped, too slow, a bad reply), the server reads
the message itself with the same model, as `rasa run` does: a message is never read as
nothing, and a patient never waits on a broken worker. Nothing a patient wrote is logged.

CLINIC_NLU_WORKER=off keeps the NLU in the server's own process (one process, one core).
"""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

logger = logging.getLogger(__name__)
ENV = "CLINIC_NLU_WORKER"
TIMEOUT_S = 10  # a reply slower than this is read by the server itself
RETRY_AFTER_S = 2  # after a failure, the server reads messages itself this long
CHECK_EVERY_S = 2  # how often the server checks that the worker still runs
MAX_RESTART_DELAY_S = 60
READING = "The NLU worker reads the messages"  # logged when it starts answering


def enabled() -> bool:
    """Whether the server runs an NLU worker (CLINIC_NLU_WORKER, on unless "off")."""
    value = os.environ.get(ENV, "on").strip().lower()
    if value in ("", "on", "1", "true", "yes"):
        return True
    if value in ("off", "0", "false", "no"):
        return False
    raise SystemExit(f"{ENV} must be on or off, not {value!r}")


class WorkerProcess:
    """The worker process: started by the server's main process, started again if it stops
    (waiting longer each time it stops soon after starting), stopped with the server."""

    def __init__(self, model: str, debug: bool = False):
        self.directory = tempfile.mkdtemp(prefix="clinic-nlu-")  # only this user can enter
        self.socket = os.path.join(self.directory, "nlu.sock")
        self._owner = os.getpid()
        self._command = [
            sys.executable, "-m", "channels.nlu_worker", "--model", model,
            "--socket", self.socket, "--parent", str(self._owner), *(["--debug"] * debug),
        ]  # fmt: skip
        self._process: subprocess.Popen | None = None
        self._started_at = 0.0
        self._lock = threading.Lock()
        self._stopping = threading.Event()

    def start(self) -> None:
        with self._lock:
            self._spawn()
        threading.Thread(target=self._keep_running, name="nlu-worker-watch", daemon=True).start()
        atexit.register(self.stop)

    def _spawn(self) -> None:
        self._process = subprocess.Popen(self._command)
        self._started_at = time.monotonic()

    def _keep_running(self) -> None:
        delay = CHECK_EVERY_S
        while not self._stopping.wait(CHECK_EVERY_S):
            code = self._process.poll()
            if code is None:
                continue
            lived = time.monotonic() - self._started_at
            delay = min(delay * 2, MAX_RESTART_DELAY_S) if lived < 30 else CHECK_EVERY_S
            logger.warning(
                f"The NLU worker stopped (exit code {code}); the Rasa server reads messages "
                f"itself, and starts the worker again in {delay} s"
            )
            if self._stopping.wait(delay):
                return
            with self._lock:
                if not self._stopping.is_set():
                    self._spawn()

    def stop(self) -> None:
        """Stop the worker (only from the process that started it) and remove its socket."""
        if os.getpid() != self._owner or self._stopping.is_set():
            return
        with self._lock:
            self._stopping.set()
            process = self._process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(self.directory, ignore_errors=True)


class WorkerInterpreter:
    """Reads messages by the worker, for Rasa's MessageProcessor (its `http_interpreter`);
    by the processor itself whenever the worker can't answer."""

    def __init__(self, socket_path: str, processor):
        self._socket = socket_path
        self._processor = processor
        self._session = None
        self._retry_at = 0.0
        self._answering: bool | None = None  # None until the worker first answers or fails
        self._same_model = False  # checked on the first answer after every failure

    async def parse(self, message) -> dict:
        if time.monotonic() >= self._retry_at:
            data = await self._ask(message.text)
            if data is not None:
                return data
        return self._read_here(message)

    def _read_here(self, message) -> dict:
        from rasa.shared.core.trackers import DialogueStateTracker

        # As MessageProcessor.parse_message does without an interpreter; the NLU part of the
        # graph does not read the conversation.
        tracker = DialogueStateTracker.from_events(message.sender_id, [])
        return self._processor._parse_message_with_graph(message, tracker)

    async def _ask(self, text: str) -> dict | None:
        import aiohttp

        try:
            if self._session is None or self._session.closed:
                self._session = aiohttp.ClientSession(
                    connector=aiohttp.UnixConnector(path=self._socket),
                    timeout=aiohttp.ClientTimeout(total=TIMEOUT_S),
                )
            if not self._same_model:
                await self._check_model()
            async with self._session.post("http://nlu-worker/parse", json={"text": text}) as reply:
                if reply.status != 200:
                    raise ValueError(f"HTTP {reply.status}")
                data = await reply.json()
            if not isinstance(data, dict) or data.get("text") != text or "intent" not in data:
                raise ValueError("a reply that is not this message's parse")
        except (aiohttp.ClientError, OSError, TimeoutError, ValueError) as error:
            self._retry_at = time.monotonic() + RETRY_AFTER_S
            self._same_model = False
            # Only the error's kind, or one of this module's own messages: nothing a patient wrote
            reason = str(error) if type(error) is ValueError else type(error).__name__
            self._note(False, reason)
            return None
        self._note(True)
        return data

    async def _check_model(self) -> None:
        """The worker must run the server's own model (models/ may have changed since)."""
        async with self._session.get("http://nlu-worker/health") as reply:
            if reply.status != 200:
                raise ValueError(f"HTTP {reply.status}")
            theirs = (await reply.json()).get("model_id")
        ours = self._processor.model_metadata.model_id
        if theirs != ours:
            raise ValueError(f"the worker runs model {theirs}, this server {ours}")
        self._same_model = True

    def _note(self, answering: bool, reason: str = "") -> None:
        """Log when the worker starts or stops answering, not on every message."""
        if answering == self._answering:
            return
        if answering:
            logger.info(READING)
        elif self._answering is None:
            logger.info("The NLU worker is not ready yet: the server reads messages")
        else:
            logger.warning(f"The NLU worker did not answer ({reason}): the server reads messages")
        self._answering = answering

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()


def serve_with_worker(app, model: str, debug: bool = False) -> None:
    """Give the Sanic app's agent an NLU worker once the server is up (so the server answers
    from its first message, reading them itself until the worker is ready), and stop the
    worker with the server. Every Sanic worker process gets an NLU worker of its own."""

    async def start(app, _loop) -> None:
        agent = getattr(app.ctx, "agent", None)
        if agent is None or agent.processor is None:
            return
        worker = WorkerProcess(model, debug)
        worker.start()
        interpreter = WorkerInterpreter(worker.socket, agent.processor)
        agent.processor.http_interpreter = interpreter
        app.ctx.nlu_worker = (worker, interpreter)

    async def stop(app, _loop) -> None:
        running = getattr(app.ctx, "nlu_worker", None)
        if running is not None:
            worker, interpreter = running
            await interpreter.close()
            worker.stop()

    app.register_listener(start, "after_server_start")
    app.register_listener(stop, "before_server_stop")
