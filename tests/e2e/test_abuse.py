"""End to end: 10,000 generated bad inputs over REST, socket.io and SMS (tests/e2e/abuse.py).

No 5xx, a 4xx with a reason for every malformed request, a reply to every bad message,
no traceback in the servers' logs, and the assistant still answering a patient after.
"""

from __future__ import annotations

import random
import time
import uuid
import xml.etree.ElementTree as ElementTree
from concurrent.futures import ThreadPoolExecutor

import requests
from twilio.request_validator import RequestValidator

from tests.e2e import abuse
from tests.e2e.conftest import RATE_LIMIT, REST, TWILIO_TOKEN, Patient
from tests.e2e.test_sms import URL as SMS_URL

SEED = 20261128
PER_SENDER = int(RATE_LIMIT.split("/")[0]) // 2  # senders change well before the limit
COUNTS = {"rest_malformed": 6800, "rest_texts": 1600, "sms": 900, "socket": 700}


def senders(prefix: str):
    """Sender ids, each used PER_SENDER times."""
    run = uuid.uuid4().hex[:6]
    n = 0
    while True:
        yield f"{prefix}-{run}-{n // PER_SENDER}"
        n += 1


def in_parallel(function, items, workers: int = 8) -> list:
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(function, items))


def rest_malformed(request: abuse.Request) -> tuple[str, int, str]:
    headers = {"Content-Type": request.content_type} if request.content_type else {}
    response = requests.post(REST, data=request.body, headers=headers, timeout=60)
    error = response.json().get("error", "") if response.status_code < 500 else response.text
    return request.kind, response.status_code, error


def rest_text(pair: tuple[str, abuse.Item]) -> tuple[str, int, list]:
    sender, item = pair
    response = requests.post(REST, json={"sender": sender, "message": item.text}, timeout=120)
    return item.kind, response.status_code, response.json() if response.ok else response.text


def test_ten_thousand_bad_inputs(server):
    rng = random.Random(SEED)
    log = server["log"]
    log.flush()
    log.seek(0, 2)
    log_start = log.tell()
    started = time.monotonic()

    malformed = in_parallel(rest_malformed, abuse.malformed_requests(rng, COUNTS["rest_malformed"]))
    for kind, status, error in malformed:
        assert 400 <= status < 500 and error, (kind, status, error)

    names = senders("abuse-rest")
    pairs = [(next(names), item) for item in abuse.texts(rng, COUNTS["rest_texts"], huge=20)]
    # One sender's messages in order, as a patient would send them; senders in parallel.
    by_sender: dict[str, list] = {}
    for pair in pairs:
        by_sender.setdefault(pair[0], []).append(pair)
    answered = in_parallel(lambda group: [rest_text(p) for p in group], list(by_sender.values()))
    for kind, status, replies in (reply for group in answered for reply in group):
        assert status == 200, (kind, status, replies)
        assert replies and all(r.get("text") or r.get("buttons") for r in replies), kind

    print(f"REST: {len(malformed) + len(pairs)} in {time.monotonic() - started:.0f} s")
    sms_sent = send_sms(rng, COUNTS["sms"])
    print(f"SMS: {sms_sent}, {time.monotonic() - started:.0f} s in all")
    socket_sent = send_socket(rng, COUNTS["socket"])
    total = len(malformed) + len(pairs) + sms_sent + socket_sent
    assert total >= 10_000

    assert server["process"].poll() is None, "./run died"
    assert "spinal facet joint" in Patient().text("what is a facet injection")
    log.seek(log_start)
    written = log.read()
    assert "Traceback" not in written, written[written.find("Traceback") - 2000 :][:6000]
    print(f"{total} bad inputs in {time.monotonic() - started:.0f} s")


def send_sms(rng: random.Random, count: int) -> int:
    validator = RequestValidator(TWILIO_TOKEN)
    names = (f"+1469000{n // PER_SENDER:04d}" for n in range(count))
    cases = []
    for item in abuse.texts(rng, count, huge=0):
        sender = next(names)
        body = item.text[:1600].encode("utf-8", "replace").decode()  # HTTP carries UTF-8 only
        params = {"From": sender, "Body": body, "To": "+19725550000",
                  "MessageSid": "SM" + uuid.uuid4().hex}  # fmt: skip
        roll = rng.random()
        if roll < 0.1:
            cases.append((item.kind, params, "forged", 403))
        elif roll < 0.17:
            cases.append((item.kind, {**params, "From": ""}, validator, 400))
        elif roll < 0.2:
            cases.append((item.kind, params, "json", 403))
        else:
            cases.append((item.kind, params, validator, 200))

    def send(case) -> None:
        kind, params, signer, expected = case
        if signer == "json":
            response = requests.post(SMS_URL, json=params, timeout=120)
        else:
            token = signer if signer == "forged" else None
            signature = (
                RequestValidator("forged").compute_signature(SMS_URL, params)
                if token
                else signer.compute_signature(SMS_URL, params)
            )
            response = requests.post(
                SMS_URL, data=params, headers={"X-Twilio-Signature": signature}, timeout=120
            )
        assert response.status_code == expected, (kind, response.status_code, response.text)
        if expected == 200:
            messages = list(ElementTree.fromstring(response.text).iter("Message"))
            assert messages and all(m.text for m in messages), (kind, response.text)

    in_parallel(send, cases, workers=4)
    return len(cases)


def send_socket(rng: random.Random, count: int) -> int:
    """`count` bad messages over socket.io, PER_SENDER per socket, as the widget sends them."""
    items = abuse.texts(rng, count, huge=5)
    batches = [items[i : i + PER_SENDER] for i in range(0, len(items), PER_SENDER)]
    for batch in batches:
        datas = []
        session = f"abuse-sio-{uuid.uuid4().hex[:8]}"
        for item in batch:
            roll = rng.random()
            if roll < 0.05:
                datas.append(rng.choice(["text", 42, None, [], {"message": "no session"}]))
            elif roll < 0.1:
                bad = rng.choice([None, 42, ["a"], {"b": 1}])
                datas.append({"message": bad, "session_id": session})
            else:
                datas.append({"message": item.text, "session_id": session})
        socket_batch(session, datas)
    return count


def socket_batch(session: str, datas: list) -> None:
    import socketio

    client = socketio.Client(reconnection=False)
    received: list[dict] = []
    confirmed: list[str] = []
    client.on("bot_uttered", received.append)
    client.on("session_confirm", confirmed.append)
    client.connect("http://localhost:5005", socketio_path="/socket.io", transports=["polling"])
    try:
        client.emit("session_request", {"session_id": session})
        deadline = time.monotonic() + 30
        while not confirmed:
            assert time.monotonic() < deadline, "no session_confirm"
            time.sleep(0.1)
        for data in datas:
            client.call("user_uttered", data, timeout=120)
        deadline = time.monotonic() + 30
        while len(received) < len(datas):  # every message, even a malformed one, gets a reply
            assert time.monotonic() < deadline, (len(received), datas)
            time.sleep(0.2)
    finally:
        client.disconnect()
