"""Dossier intake benchmark (issue 3, item 11): counter intake through the HTTP API on PostgreSQL
behind gunicorn, against the same server's `/api/v1/health` in the same run, and a raw SQL baseline
of the same writes.

    .venv/bin/python bench/bench_intake.py            # DATABASE_URL, default postgresql://postgres@127.0.0.1:5432/h_bench_intake
    .venv/bin/python bench/bench_intake.py --quick    # a tenth of the requests (smoke run)

Creates the database if missing (`createdb`), migrates, seeds the demo province, starts gunicorn
(4 sync workers, DEBUG off) on a free 127.0.0.1 port and drives it from worker processes, each
running client threads with keep-alive `http.client` connections (gunicorn's sync workers close
after each response, so every request pays a connect, as in production with sync workers). Each
client sends a fixed number of requests at 1, 8 and 32 concurrent clients:

* `health`: GET /api/v1/health, the ceiling of the server stack;
* `intake`: POST /api/v1/dossiers by `demo-counter` (one unit, one code prefix per day), a unique
  Idempotency-Key and applicant per request;
* `intake_8_units`: the same spread over the counter officers of eight communes (eight prefixes);
* `sql_baseline`: psycopg, the rows a counter intake writes (dossier, components, fee lines, the
  daily sequence upsert, two events, two steps, three outbox messages, the idempotency key) in one
  transaction per dossier, same concurrency, its own code prefix.

Writes bench/results/intake.json. Only talks to 127.0.0.1; stops gunicorn on exit.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import multiprocessing
import os
import platform
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from contextlib import closing, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
RESULT_FILE = ROOT / "bench" / "results" / "intake.json"
LOG_FILE = ROOT / "var" / "bench_intake_gunicorn.log"
DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/h_bench_intake"
LOCAL_HOSTS = {"127.0.0.1", "localhost", ""}
LEVELS = (1, 8, 32)
# Requests per client, per scenario and concurrency: enough for stable percentiles, a few minutes in all.
PER_CLIENT = {
    "health": {1: 2000, 8: 400, 32: 120},
    "intake": {1: 150, 8: 40, 32: 15},
    "intake_8_units": {1: 150, 8: 40, 32: 15},
    "sql_baseline": {1: 600, 8: 150, 32: 50},
}
PROCEDURE = "2.000815"  # certified copy from the original: the commonest counter intake
COUNTER_USERS = ("demo-counter", *(f"canbo{n:02d}" for n in range(1, 8)))  # eight communes
SQL_PREFIX = "000.00.99.H99"  # the baseline's own prefix: never collides with real codes
TARGETS = {"share_of_health_ceiling": 0.40, "dossiers_per_second": 200, "p95_ms_at_32": 100}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the requests")
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="wait up to this long for the 1-minute load average to fall below half the CPUs (shared machines)",
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    _require_local(url)
    scale = 0.1 if args.quick else 1.0
    _database_ready(url)
    env = _server_env(url)
    tokens = {user: _token(user, env) for user in COUNTER_USERS}
    _wait_quiet(args.wait_quiet)
    load = {"before": round(os.getloadavg()[0], 2)}
    in_process = _in_process_profile(env)
    port = _free_port()
    server = _gunicorn_start(port, env)
    try:
        _wait_healthy(port)
        results = _run_all(port, tokens, url, scale)
    finally:
        _gunicorn_stop(server)
    load["after"] = round(os.getloadavg()[0], 2)
    report = _report(results, in_process, url, scale, load)
    RESULT_FILE.parent.mkdir(parents=True, exist_ok=True)
    RESULT_FILE.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps({"results": report["results"], "targets_met": report["targets_met"]}, indent=2))
    return 0


# Setup ------------------------------------------------------------------------------------------


def _require_local(url: str) -> None:
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres") or (parts.hostname or "") not in LOCAL_HOSTS:
        raise SystemExit(f"bench_intake needs a local PostgreSQL DATABASE_URL, got {url!r}")


def _database_ready(url: str) -> None:
    """Create the database if missing, migrate, seed the demo province (all idempotent)."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with closing(psycopg.connect(admin, autocommit=True)) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    if not exists:
        host, user = parts.hostname or "127.0.0.1", parts.username or "postgres"
        subprocess.run(["createdb", "-h", host, "-U", user, name], check=True)
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": url}
    # System checks are CI's job; a benchmark only needs the schema and the demo data.
    for command in (["migrate", "--no-input", "-v", "0", "--skip-checks"], ["seed_demo", "--skip-checks"]):
        subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def _wait_quiet(seconds: float) -> None:
    """Other work on the machine skews every number: give it a chance to finish first."""
    deadline = time.monotonic() + seconds
    quiet = (os.cpu_count() or 1) * 0.5
    while time.monotonic() < deadline and os.getloadavg()[0] >= quiet:
        time.sleep(5)


def _server_env(url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "bench-intake-" + uuid.uuid4().hex,
        "ALLOWED_HOSTS": "127.0.0.1",
        "CONN_MAX_AGE": "60",
        "DATABASE_URL": url,
    }


def _token(user: str, env: dict[str, str]) -> str:
    out = subprocess.run(
        [PYTHON, "manage.py", "create_api_token", user, "--name", "bench-intake", "--skip-checks"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.split()[-1]


_PROFILE_SNIPPET = """
import json, time, uuid
from django.db import connection
from django.test.utils import CaptureQueriesContext
from motcua.accounts.models import User
from motcua.dossiers.services.intake import ApplicantInput, ComponentInput, IntakeInput, dossier_intake
from motcua.catalog.models import Procedure
user = User.objects.get(username="demo-counter")
codes = Procedure.objects.get(code=%(procedure)r).current_version.components.values_list("code", flat=True)
def data(n):
    applicant = ApplicantInput(full_name="Phạm Thị Lan", id_number="0011%%02d%%06d" %% (90, n), phone="0987654321")
    return IntakeInput(procedure=%(procedure)r, channel="direct",
                       applicant=applicant, components=[ComponentInput(code=c, originals=1) for c in codes])
seed = int(time.time()) %% 900000
for n in range(5):
    dossier_intake(caller=user, data=data(seed + n), idempotency_key=str(uuid.uuid4()))
with CaptureQueriesContext(connection) as captured:
    dossier_intake(caller=user, data=data(seed + 10), idempotency_key=str(uuid.uuid4()))
start = time.perf_counter()
for n in range(40):
    dossier_intake(caller=user, data=data(seed + 20 + n), idempotency_key=str(uuid.uuid4()))
ms = (time.perf_counter() - start) / 40 * 1000
print(json.dumps({"queries_per_intake": len(captured.captured_queries), "service_ms_per_intake": round(ms, 2)}))
"""


def _in_process_profile(env: dict[str, str]) -> dict[str, Any]:
    """One intake's SQL statements and the service's serial time, without HTTP (DEBUG off)."""
    snippet = _PROFILE_SNIPPET % {"procedure": PROCEDURE}
    out = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", snippet], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _gunicorn_start(port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    LOG_FILE.parent.mkdir(exist_ok=True)
    # A long worker timeout: on a busy shared machine importing Django alone can take over gunicorn's 30 s,
    # and the arbiter would kill the workers while they boot.
    command = [
        *(GUNICORN, "config.wsgi", "--workers", "4", "--threads", "1", "--timeout", "180"),
        *("--bind", f"127.0.0.1:{port}"),
    ]
    log = LOG_FILE.open("wb")
    # Its own process group, so stopping it never touches anything else.
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True)


def _wait_healthy(port: int, timeout: float = 240.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with suppress(OSError, http.client.HTTPException):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/v1/health")
            if conn.getresponse().status == 200:
                return
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer on 127.0.0.1:{port}; see {LOG_FILE}")


def _gunicorn_stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)  # graceful: the master stops its workers
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=5)


# Load generation -------------------------------------------------------------------------------


def _run_all(port: int, tokens: dict[str, str], url: str, scale: float) -> dict[str, dict[str, Any]]:
    components = _components(port, tokens["demo-counter"])
    ids = _sql_ids(url)
    _warm_up(port, tokens, components)
    results: dict[str, dict[str, Any]] = {name: {} for name in PER_CLIENT}
    for clients in LEVELS:
        for name in PER_CLIENT:
            count = max(1, round(PER_CLIENT[name][clients] * scale))
            job = {"name": name, "port": port, "tokens": tokens, "components": components, "url": url, "ids": ids}
            results[name][str(clients)] = _drive(job, clients, count)
            summary = results[name][str(clients)]
            print(
                f"{name:15} {clients:3} clients: {summary['per_second']:8.1f}/s  p95 {summary['p95_ms']} ms", flush=True
            )
    return results


def _components(port: int, token: str) -> list[str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", f"/api/v1/procedures/{PROCEDURE}", headers={"Authorization": f"Bearer {token}"})
    detail = json.loads(conn.getresponse().read())
    return [c["code"] for c in detail["components"]]


def _warm_up(port: int, tokens: dict[str, str], components: list[str]) -> None:
    """Every worker process imports, connects and fills its caches before anything is measured."""
    job = {"name": "intake_8_units", "port": port, "tokens": tokens, "components": components}
    _drive({**job, "name": "health"}, 8, 25)
    _drive(job, 8, 5)


def _drive(job: dict[str, Any], clients: int, count: int) -> dict[str, Any]:
    """`clients` concurrent clients sending `count` requests each; spread over up to one process per CPU."""
    processes = max(1, min(clients, os.cpu_count() or 1))
    shares = [list(range(p, clients, processes)) for p in range(processes)]
    start_at = time.monotonic() + 0.5 + 0.1 * processes
    context = multiprocessing.get_context("fork")
    with context.Pool(processes) as pool:
        parts = pool.starmap(_process_run, [(job, share, count, start_at) for share in shares])
    samples = [s for part in parts for s in part["samples"]]
    began, ended = min(p["began"] for p in parts), max(p["ended"] for p in parts)
    return _summary(samples, ended - began, clients, count)


def _process_run(job: dict[str, Any], client_ids: list[int], count: int, start_at: float) -> dict[str, Any]:
    samples: list[tuple[float, int]] = []
    lock = threading.Lock()

    def client(index: int) -> None:
        run = _sql_client(job, index) if job["name"] == "sql_baseline" else _http_client(job, index)
        mine = [run(n) for n in range(count)]
        with lock:
            samples.extend(mine)

    threads = [threading.Thread(target=client, args=(i,)) for i in client_ids]
    time.sleep(max(0.0, start_at - time.monotonic()))
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"samples": samples, "began": began, "ended": time.monotonic()}


def _http_client(job: dict[str, Any], index: int) -> Callable[[int], tuple[float, int]]:
    conn = http.client.HTTPConnection("127.0.0.1", job["port"], timeout=60)
    name = job["name"]
    users = COUNTER_USERS if name == "intake_8_units" else COUNTER_USERS[:1]
    token = job["tokens"][users[index % len(users)]] if name != "health" else ""
    rng = random.Random(f"{os.getpid()}-{index}-{time.time_ns()}")
    components = [{"code": code, "originals": 1, "copies": 0, "files": []} for code in job.get("components", [])]

    def one(_n: int) -> tuple[float, int]:
        if name == "health":
            method, path, body, headers = "GET", "/api/v1/health", None, {}
        else:
            method, path = "POST", "/api/v1/dossiers"
            body = json.dumps(_intake_body(rng, components)).encode()
            headers = {
                "Authorization": f"Bearer {token}",
                "Content-Type": "application/json",
                "Idempotency-Key": str(uuid.uuid4()),
            }
        started = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            conn.close()
            status = 0
        return time.perf_counter() - started, status

    return one


def _intake_body(rng: random.Random, components: list[dict[str, Any]]) -> dict[str, Any]:
    # A different applicant each time, as at a real counter (and no same-day duplicate warnings).
    year = rng.randint(1950, 1999)
    gender = 1 if rng.random() < 0.5 else 0
    id_number = f"0{rng.randint(1, 96):02d}{gender}{year % 100:02d}{rng.randrange(10**6):06d}"
    return {
        "procedure": PROCEDURE,
        "channel": "direct",
        "return_method": "counter",
        "applicant": {
            "kind": "person",
            "full_name": "Phạm Thị Lan",
            "id_number": id_number,
            "date_of_birth": f"{year}-01-15",
            "address": "Số 1 đường Trần Phú",
            "phone": "0987654321",
            "email": "lan.pham@example.vn",
        },
        "components": components,
        "form_data": {},
    }


# The raw SQL baseline ----------------------------------------------------------------------------


def _sql_ids(url: str) -> dict[str, Any]:
    """The catalog, unit and user rows a counter intake of the procedure refers to."""
    with closing(psycopg.connect(url)) as conn:
        one = conn.execute
        version, procedure = one(
            "SELECT v.id, p.id FROM catalog_procedure p JOIN catalog_procedureversion v ON v.id = p.current_version_id "
            "WHERE p.code = %s",
            [PROCEDURE],
        ).fetchone()  # type: ignore[misc]
        unit, counter, user = one(
            "SELECT m.unit_id, m.counter_id, u.id FROM organizations_membership m "
            "JOIN accounts_user u ON u.id = m.user_id WHERE u.username = 'demo-counter' AND m.counter_id IS NOT NULL"
        ).fetchone()  # type: ignore[misc]
        components = [r[0] for r in one("SELECT id FROM catalog_component WHERE version_id = %s", [version])]
        fees = one("SELECT code, name, amount, kind, collected_at FROM catalog_fee WHERE version_id = %s", [version])
        return {
            "version": version,
            "procedure": procedure,
            "unit": unit,
            "counter": counter,
            "user": user,
            "components": components,
            "fees": [list(map(str, row)) for row in fees],
        }


_DOSSIER = (
    "INSERT INTO dossiers_dossier (created_at, updated_at, applicant_kind, applicant_name, applicant_id_number,"
    " applicant_address, applicant_phone, applicant_email, organization_name, organization_tax_code,"
    " organization_representative, channel, return_method, status, due_explanation, supplement_count, form_data,"
    " handling_unit_id, procedure_id, procedure_version_id, receiving_counter_id, receiving_unit_id, submitted_by_id)"
    " VALUES (now(), now(), 'person', %s, %s, 'Số 1 đường Trần Phú', '0987654321', 'lan.pham@example.vn', '', '',"
    " '', 1, 'counter', 'draft', '[]', 0, '{}', %s, %s, %s, %s, %s, %s) RETURNING id"
)
_SEQUENCE = (
    "INSERT INTO dossiers_dailysequence (prefix, day, last_number) VALUES (%s, current_date, 1)"
    " ON CONFLICT (prefix, day) DO UPDATE SET last_number = dossiers_dailysequence.last_number + 1"
    " RETURNING last_number"
)
_EVENT = (
    "INSERT INTO dossiers_dossierevent (dossier_id, sequence, action, from_status, to_status, actor_id, at, data,"
    " prev_hash, hash) VALUES (%s, %s, %s, %s, %s, %s, now(), %s, %s, %s)"
)
_STEP = (
    'INSERT INTO dossiers_dossierstep (dossier_id, "order", kind, name, unit_id, role, allotted_hours, started_at,'
    " due_at, finished_at, outcome, comment) VALUES (%s, %s, %s, %s, %s, %s, %s, now(), now(), %s, %s, '')"
)
_OUTBOX = (
    "INSERT INTO integrations_outboxmessage (kind, payload, idempotency_key, reference, created_at, attempts,"
    " next_attempt_at, last_error) VALUES (%s, %s, %s, %s, now(), 0, now(), '')"
)


def _sql_client(job: dict[str, Any], index: int) -> Callable[[int], tuple[float, int]]:
    conn = psycopg.connect(job["url"])
    ids = job["ids"]
    payload = json.dumps({"service": "DongBoHoSoMC", "data": [{"MaTTHC": PROCEDURE, "TaiLieuNop": ["x" * 200] * 3}]})

    def one(n: int) -> tuple[float, int]:
        token = f"{os.getpid()}-{index}-{n}-{time.time_ns()}"
        started = time.perf_counter()
        with conn.transaction(), conn.cursor() as cur:
            row = cur.execute(
                _DOSSIER,
                [
                    *("Phạm Thị Lan", "001190012345"),
                    *(ids["unit"], ids["procedure"], ids["version"], ids["counter"], ids["unit"], ids["user"]),
                ],
            ).fetchone()
            dossier = row[0] if row else 0
            cur.executemany(
                "INSERT INTO dossiers_dossiercomponent (dossier_id, component_id, originals, copies, files, reused,"
                " digitized) VALUES (%s, %s, 1, 0, '[]', false, false)",
                [(dossier, component) for component in ids["components"]],
            )
            cur.executemany(
                "INSERT INTO dossiers_feeline (dossier_id, code, name, amount, kind, collected_at, method)"
                " VALUES (%s, %s, %s, %s, %s, %s, '')",
                [(dossier, *fee) for fee in ids["fees"]],
            )
            number_row = cur.execute(_SEQUENCE, [SQL_PREFIX]).fetchone()
            code = f"{SQL_PREFIX}-{datetime.now(UTC):%y%m%d}-{number_row[0] if number_row else 0:04d}"
            cur.execute(
                "UPDATE dossiers_dossier SET code = %s, submitted_at = now(), status = 'submitted' WHERE id = %s",
                [code, dossier],
            )
            _sql_event(cur, dossier, 1, "submit", "draft", "submitted", ids["user"], token)
            cur.execute(_OUTBOX, ["dvcqg_sync", payload, f"dvcqg:{token}:1", code])
            cur.execute(
                "UPDATE dossiers_dossier SET status = 'processing', accepted_at = now(), due_at = now(),"
                " due_explanation = '[]', updated_at = now() WHERE id = %s",
                [dossier],
            )
            _sql_event(cur, dossier, 2, "accept", "submitted", "processing", ids["user"], token)
            cur.execute(
                _STEP, [dossier, 1, "reception", "Tiếp nhận", ids["unit"], "counter_officer", 0, "now", "accepted"]
            )
            cur.execute(_STEP, [dossier, 2, "processing", "Thẩm định", ids["unit"], "specialist", 6, None, ""])
            cur.execute(_OUTBOX, ["dvcqg_sync", payload, f"dvcqg:{token}:2", code])
            cur.execute(_OUTBOX, ["notify_email", payload, f"notify:{token}", code])
            cur.execute(
                "INSERT INTO dossiers_idempotencykey (key, request_hash, created_at, caller_id, dossier_id)"
                " VALUES (%s, %s, now(), %s, %s)",
                [token, "0" * 64, ids["user"], dossier],
            )
        return time.perf_counter() - started, 201

    return one


def _sql_event(cur: Any, dossier: int, sequence: int, action: str, old: str, new: str, user: int, token: str) -> None:
    digest = hashlib.sha256(f"{token}:{sequence}".encode()).hexdigest()
    cur.execute(_EVENT, [dossier, sequence, action, old, new, user, "{}", "0" * 64, digest])


# Report ----------------------------------------------------------------------------------------


def _summary(samples: list[tuple[float, int]], wall: float, clients: int, count: int) -> dict[str, Any]:
    ok = sorted(latency for latency, status in samples if 200 <= status < 300)
    cuts = statistics.quantiles(ok, n=100, method="inclusive") if len(ok) >= 2 else [0.0] * 99
    return {
        "clients": clients,
        "requests_per_client": count,
        "requests": len(samples),
        "errors": len(samples) - len(ok),
        "seconds": round(wall, 3),
        "per_second": round(len(ok) / wall, 1) if wall else 0.0,
        "p50_ms": round(cuts[49] * 1000, 2),
        "p95_ms": round(cuts[94] * 1000, 2),
        "p99_ms": round(cuts[98] * 1000, 2),
    }


def _report(
    results: dict[str, Any], in_process: dict[str, Any], url: str, scale: float, load: dict[str, float]
) -> dict[str, Any]:
    with closing(psycopg.connect(url)) as conn:
        version_row = conn.execute("SHOW server_version").fetchone()
    ratios = {
        clients: round(results["intake"][clients]["per_second"] / results["health"][clients]["per_second"], 3)
        for clients in results["health"]
    }
    best = max(results["intake"][c]["per_second"] for c in results["intake"])
    met = {
        "share_of_health_ceiling": all(r >= TARGETS["share_of_health_ceiling"] for r in ratios.values()),
        "dossiers_per_second": best >= TARGETS["dossiers_per_second"],
        "p95_ms_at_32": results["intake"]["32"]["p95_ms"] < TARGETS["p95_ms_at_32"],
    }
    return {
        "benchmark": "dossier counter intake via POST /api/v1/dossiers (gunicorn, PostgreSQL) vs /api/v1/health "
        "in the same run, and a raw SQL baseline of the same writes",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "load_average_1min": load,
        "database": f"PostgreSQL {version_row[0] if version_row else '?'} on 127.0.0.1 (same machine)",
        "server": "gunicorn config.wsgi --workers 4 --threads 1 (sync), DEBUG=0, CONN_MAX_AGE=60",
        "load_generator": f"up to {os.cpu_count()} processes × threads, http.client, on the same machine",
        "procedure": PROCEDURE,
        "scale": scale,
        "targets": TARGETS,
        "results": results,
        "intake_over_health": ratios,
        "targets_met": met,
        "in_process": in_process,
        "notes": _notes(results, in_process),
    }


def _notes(results: dict[str, Any], in_process: dict[str, Any]) -> list[str]:
    """Why the numbers are what they are, with this run's figures."""
    health, intake, spread, sql = (results[k] for k in ("health", "intake", "intake_8_units", "sql_baseline"))
    service = float(in_process.get("service_ms_per_intake") or 0)
    per_core = round(1000 / service, 1) if service else 0
    one, eight = intake["8"]["per_second"], spread["8"]["per_second"]
    if eight > 1.3 * one:
        lock = f"here it binds: {one}/s at 8 clients on one unit vs {eight}/s over 8 units."
    else:
        lock = (
            f"in this run the CPU binds first ({one}/s at 8 clients on one unit vs {eight}/s over 8 units), but the "
            "lock caps one unit at 1 / (hold time) once the per-intake work shrinks."
        )
    return [
        f"CPU: one intake costs {service} ms of serial service time in-process ({in_process.get('queries_per_intake')}"
        f" SQL statements through the ORM, no HTTP): about {per_core} intakes/s per core before HTTP. The machine "
        f"has {os.cpu_count()} CPUs shared by gunicorn's workers, PostgreSQL and the load generator, so the intake "
        "ceiling is a few dozen per second; 200/s would need about 10 ms of total CPU per dossier, ORM and "
        "PostgreSQL included.",
        "load_average_1min records other work on the machine during the run (it is shared with other "
        "engineers' test suites): runs differ by up to ±30 %, health and intake alike, so compare the ratios "
        "measured in the same run.",
        f"Health is the stack's ceiling: {max(health[c]['per_second'] for c in health)}/s at best; the intake "
        f"reaches {intake['1']['per_second']}/s with one client and {max(intake[c]['per_second'] for c in intake)}/s "
        "at best, a few per cent of it.",
        "Profile of the gunicorn workers under 8 intake clients (py-spy, 200 Hz, 20 s, 2026-11-22): ~46 % of "
        "request time waits on PostgreSQL (libpq send/receive: ~50 round trips per intake, PostgreSQL's own CPU "
        "on the same cores), ~33 % is the Django ORM building SQL and model instances, ~9 % psycopg adaptation, "
        "~6 % ninja/pydantic/gunicorn/stdlib and ~3 % MotCua's own code. The cost is the number of ORM round "
        "trips, not any one slow query: the slowest callers (dossier insert, outbox, calendar-override check, "
        "sync payload queries) each take about 1 % of the time.",
        "One unit, one lock: codes are gap-free per prefix per day (SPEC §4.1), so the DailySequence row stays "
        "locked from the number's upsert to COMMIT. The upsert comes right after the dossier, component and fee "
        "inserts (the status change needs the code: a registered dossier must have one), so the lock covers the "
        f"rest of the intake's statements; {lock}",
        "Latency at 32 clients is queueing: 32 closed-loop clients over 4 sync workers wait their turn, so "
        f"p50 ≈ clients / throughput ({intake['32']['p50_ms']} ms at {intake['32']['per_second']}/s). A p95 under "
        "100 ms at 32 clients needs more than ~350 intakes/s: the same wall as the throughput target.",
        f"The raw SQL baseline (the same rows in one transaction, ~16 statements, psycopg) does "
        f"{max(sql[c]['per_second'] for c in sql)}/s at best on one prefix: PostgreSQL itself is far from the "
        f"limit; at 32 clients its p95 ({sql['32']['p95_ms']} ms) shows the one-prefix lock queue.",
        "Round trips cut in the intake path (issue 3, 2026-11-22): the event chain's tail is kept on the new "
        "dossier instead of re-read before each event; the outbox messages of an intake go in one INSERT … ON "
        "CONFLICT DO NOTHING instead of one savepoint pair each; the reception step of a counter intake is "
        "inserted closed together with the first processing step (one INSERT instead of INSERT, UPDATE, "
        "INSERT); acceptance computes its due times on one calendar (one override check instead of three); the "
        "national-portal records of one intake read components, fees and supplements once; the procedure row "
        "is not fetched twice. A counter intake went from 46 to 27 statements in the service (test: "
        "motcua/dossiers/tests/test_intake_statements.py), an online one from 35 to 25.",
        "Next steps: resolve memberships, offerings and components in fewer queries; write the two status changes "
        "and two events of a counter intake as one UPDATE and one INSERT; defer the code upsert to the end of the "
        "transaction (events, steps and outbox payloads rendered after it); then more cores: the work is "
        "per-request CPU, so throughput scales with workers until PostgreSQL's cores fill.",
    ]


if __name__ == "__main__":
    sys.exit(main())
