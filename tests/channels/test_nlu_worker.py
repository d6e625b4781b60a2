"""The NLU worker (channels.nlu_worker) and the server's side of it (channels.nlu_client),
with the real model: the worker reads as the server itself would, refuses bad requests and
goes on, and stops when the server that started it is gone; the server reads a message
itself whenever the worker can't answer, never as an empty intent."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from channels import nlu_client
from tests.conftest import ROOT

PYTHON = ROOT / ".venv" / "bin" / "python"
MODEL = ROOT / "models" / "clinic.tar.gz"
MESSAGES = [
    "what's the difference between facet and trigger point injections?",
    "how much does an epidural cost",
    "my face is drooping on one side and my arm went weak just now",
    "I want to book an appointment",
    "/greet",
    "🙂",
    "",
]


def request(socket: str, method: str, path: str, body: bytes = b"") -> tuple[int, dict]:
    """One HTTP request over the worker's Unix socket: (status, JSON body)."""
    import aiohttp

    async def go():
        connector = aiohttp.UnixConnector(path=socket)
        async with aiohttp.ClientSession(connector=connector) as session:
            headers = {"Content-Type": "application/json"}
            async with session.request(method, f"http://worker{path}", data=body,
                                       headers=headers) as reply:  # fmt: skip
                return reply.status, await reply.json(content_type=None)

    return asyncio.run(go())


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"


@pytest.fixture(scope="module")
def agent():
    from rasa.core.agent import Agent

    return Agent.load(str(MODEL))


@pytest.fixture(scope="module")
def worker(tmp_path_factory):
    """A worker started by a shell that stands for the server (its --parent)."""
    socket = str(tmp_path_factory.mktemp("nlu") / "nlu.sock")
    command = (f"{PYTHON} -m channels.nlu_worker --model {MODEL} --socket {socket} "
               "--parent $$ & echo $! ; wait")  # fmt: skip
    shell = subprocess.Popen(["bash", "-c", command], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    pid = int(shell.stdout.readline())
    deadline = time.monotonic() + 180
    while not os.path.exists(socket) or not ready(socket):
        assert alive(pid) and time.monotonic() < deadline, "the NLU worker did not come up"
        time.sleep(0.5)
    yield {"socket": socket, "pid": pid, "shell": shell}
    if alive(pid):
        os.kill(pid, signal.SIGKILL)
    shell.kill()


def ready(socket: str) -> bool:
    try:
        return request(socket, "GET", "/health")[0] == 200
    except OSError:
        return False


def parse_here(agent, text: str) -> dict:
    """Rasa's own parse in this process, as JSON has it (token spans become lists)."""
    return as_json(asyncio.run(agent.parse_message(text)))


def as_json(data: dict) -> dict:
    return json.loads(json.dumps(data))


@pytest.mark.parametrize("text", MESSAGES)
def test_the_worker_reads_a_message_as_rasa_does_in_the_server(worker, agent, text):
    status, data = request(worker["socket"], "POST", "/parse", json.dumps({"text": text}).encode())
    assert status == 200
    assert data == parse_here(agent, text)


def test_what_the_worker_reads_is_the_clinics_model(worker):
    def intent(text: str) -> str:
        body = json.dumps({"text": text}).encode()
        return request(worker["socket"], "POST", "/parse", body)[1]["intent"]["name"]

    assert intent(MESSAGES[0]) == "ask_compare"
    assert intent(MESSAGES[2]) == "red_flag"
    assert intent(MESSAGES[4]) == "greet"


@pytest.mark.parametrize(
    "body", [b"", b"not json", b"\xff\xfe\x00", b'{"message": "hi"}', b'{"text": 42}', b"[1]"]
)
def test_a_bad_request_is_refused_and_the_worker_goes_on(worker, body):
    status, data = request(worker["socket"], "POST", "/parse", body)
    assert status == 400 and "bad request" in data["error"]
    status, health = request(worker["socket"], "GET", "/health")
    assert status == 200 and health["status"] == "ok"


def test_only_its_user_can_open_the_socket(worker):
    assert os.stat(worker["socket"]).st_mode & 0o077 == 0


class TestTheServersSide:
    """nlu_client.WorkerInterpreter: the worker's reading, or the server's own."""

    def parse(self, agent, socket: str, text: str) -> dict:
        from rasa.core.channels.channel import UserMessage

        interpreter = nlu_client.WorkerInterpreter(socket, agent.processor)

        async def go():
            try:
                return await interpreter.parse(UserMessage(text, sender_id="patient"))
            finally:
                await interpreter.close()

        return asyncio.run(go())

    @pytest.mark.parametrize("text", MESSAGES[:3])
    def test_by_the_worker(self, worker, agent, text):
        assert as_json(self.parse(agent, worker["socket"], text)) == parse_here(agent, text)

    @pytest.mark.parametrize("text", MESSAGES[:3])
    def test_by_the_server_itself_when_there_is_no_worker(self, agent, tmp_path, text):
        data = as_json(self.parse(agent, str(tmp_path / "nobody.sock"), text))
        assert data == parse_here(agent, text) and data["intent"]["name"]

    def test_by_the_server_itself_when_the_worker_answers_wrong(self, agent, tmp_path):
        """A stand-in for a broken worker: another model, then a parse of another message,
        then an error."""
        from aiohttp import web

        socket = str(tmp_path / "wrong.sock")
        ours = agent.processor.model_metadata.model_id
        models = ["another-model", ours, ours]
        parses = [web.json_response({"text": "hello", "intent": {"name": "greet"}}),
                  web.json_response({"error": "boom"}, status=500)]  # fmt: skip

        async def go():
            from rasa.core.channels.channel import UserMessage

            app = web.Application()
            app.router.add_get("/health", lambda _: web.json_response({"model_id": models.pop(0)}))
            app.router.add_post("/parse", lambda _: parses.pop(0))
            runner = web.AppRunner(app)
            await runner.setup()
            await web.UnixSite(runner, socket).start()
            interpreter = nlu_client.WorkerInterpreter(socket, agent.processor)
            read = []
            try:
                for _ in range(3):
                    read.append(await interpreter.parse(UserMessage(MESSAGES[0])))
                    interpreter._retry_at = 0  # ask the worker again at once
                return read
            finally:
                await interpreter.close()
                await runner.cleanup()

        read = asyncio.run(go())
        assert not models and not parses  # every wrong answer was asked for
        assert all(as_json(data) == parse_here(agent, MESSAGES[0]) for data in read)

    def test_the_worker_runs_the_servers_model(self, worker, agent):
        assert request(worker["socket"], "GET", "/health")[1]["model_id"] == (
            agent.processor.model_metadata.model_id
        )


def test_the_worker_stops_when_the_server_that_started_it_is_gone(worker):
    """Last in this file: it ends the module's worker."""
    worker["shell"].send_signal(signal.SIGKILL)
    worker["shell"].wait(10)
    deadline = time.monotonic() + 30
    while alive(worker["pid"]) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not alive(worker["pid"])
    # A server killed outright can't remove the worker's socket and directory: the worker does
    assert not os.path.exists(os.path.dirname(worker["socket"]))


def test_the_switch(monkeypatch):
    for value, expected in [("", True), ("on", True), ("OFF", False), ("0", False)]:
        monkeypatch.setenv(nlu_client.ENV, value)
        assert nlu_client.enabled() is expected
    monkeypatch.setenv(nlu_client.ENV, "maybe")
    with pytest.raises(SystemExit, match="on or off"):
        nlu_client.enabled()
