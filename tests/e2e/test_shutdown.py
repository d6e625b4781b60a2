"""Ctrl-C stops ./run and both servers (last of the end-to-end tests: it ends the run)."""

from __future__ import annotations

import os
import signal
import time

from tests.e2e.conftest import port_open


def test_ctrl_c_stops_both_servers(server):
    process = server["process"]
    os.killpg(process.pid, signal.SIGINT)
    assert process.wait(timeout=60) == 0
    time.sleep(1)
    assert not port_open("http://localhost:5005/")
    assert not port_open("http://localhost:5055/health")
