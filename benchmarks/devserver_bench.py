"""Local server benchmark: the ``atakora dev`` HTTP server in front of one CrudApi on SQLite.

The server runs in its own process; each client is a separate process with one keep-alive
connection (``http.client``), so clients do not share the server's interpreter lock.

* GET of one item, one client: requests/s (target >= 1,000)
* POST of new items, one client: requests/s (target >= 300)
* GET of one item, 16 clients at once: total requests/s and p50/p99 latency (target p99 < 20 ms)

Each case also shows the server's CPU time per request (Linux, from /proc) and the run ends with the
machine's load average: on a 2-core machine other work shows up directly in p99.

    python benchmarks/devserver_bench.py [--seconds 3]
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

SERVER = """
import sys
from atakora.cli.devhttp import make_server
from atakora.runtime import CrudSpec, LocalHost, SqliteStore, crud_blueprint

spec = CrudSpec("UserApi", "User", "users", {"name": {"type": "string", "required": True}, "age": "number"})
store = SqliteStore()
server = make_server(LocalHost(crud_blueprint(spec, store_factory=lambda: store, )), port=0)
print(server.server_address[1], flush=True)
server.serve_forever()
"""


def _client(port: int, method: str, seconds: float, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    connection = http.client.HTTPConnection("127.0.0.1", port)
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        if method == "GET":
            connection.request("GET", "/api/users/ann")
        else:
            body = json.dumps({"id": uuid.uuid4().hex, "name": "N", "age": 3})
            connection.request("POST", "/api/users", body, {"Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        if response.status >= 300:
            raise SystemExit(f"unexpected status {response.status}")
        latencies.append(time.perf_counter() - started)
    connection.close()
    queue.put(latencies)


def _cpu_seconds(pid: int) -> float:
    """User plus system CPU seconds of process ``pid`` (NaN where /proc is missing)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _run(port: int, method: str, clients: int, seconds: float) -> tuple[float, float, float]:
    queue: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    workers = [multiprocessing.Process(target=_client, args=(port, method, seconds, queue)) for _ in range(clients)]
    for worker in workers:
        worker.start()
    latencies = sorted(value for _ in workers for value in queue.get())
    for worker in workers:
        worker.join()
    rate = len(latencies) / seconds
    return rate, latencies[len(latencies) // 2] * 1000, latencies[int(len(latencies) * 0.99)] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    server = subprocess.Popen([sys.executable, "-c", SERVER], stdout=subprocess.PIPE, env=env, text=True)
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        seed = http.client.HTTPConnection("127.0.0.1", port)
        seed.request("POST", "/api/users", json.dumps({"id": "ann", "name": "Ann", "age": 30}))
        seed.getresponse().read()
        seed.close()
        print(f"{'case':<28} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'CPU us/req':>11}")
        for label, method, clients in (("GET one item, 1 client", "GET", 1), ("POST, 1 client", "POST", 1),
                                       ("GET one item, 16 clients", "GET", 16)):
            before = _cpu_seconds(server.pid)
            rate, p50, p99 = _run(port, method, clients, args.seconds)
            cpu = (_cpu_seconds(server.pid) - before) / (rate * args.seconds) * 1e6
            print(f"{label:<28} {rate:>8.0f} {p50:>8.2f} {p99:>8.2f} {cpu:>11.0f}")
        print("load average (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
