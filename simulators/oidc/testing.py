"""Start the OIDC simulator on a free port for a test, on a background thread (real HTTP)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx

from simulators.oidc.server import serve


@dataclass
class RunningProvider:
    url: str

    def control(self, mode: str = "normal", delay: float = 0) -> None:
        httpx.post(f"{self.url}/_control", json={"mode": mode, "delay": delay}, timeout=5).raise_for_status()


@contextmanager
def running_provider() -> Iterator[RunningProvider]:
    server = serve("127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield RunningProvider(url=f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()
