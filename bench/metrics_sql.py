"""The 766 dossier metrics recomputed by one SQL query over the raw rows: on PostgreSQL, and with DuckDB over a
Parquet export of the same rows (the baselines of issue 6 for `bench_metrics.py`).

Six relations feed the query, each named the same in both engines, instants as epoch microseconds:

- `dossiers`: accepted dossiers with their handling unit, channel, status, outcome, acceptance and finish,
  and their procedure version's traits (full-online eligible, issues a result, certification field);
- `events`: every event with its due time (`data.due_at`) and, for apologies, the due time it replaced;
- `components` (filed, reused), `fees` (amount, paid, method), `documents` (results and certified
  copies), `synced` (codes whose national-portal sync was delivered).

The query applies the rules of `timeliness.classify` to each dossier as of its finish (finished in the
window) or the window end (still open): more than one supplement request → late; inside a pause the
clock stands at the pause's start against the due time it had then; otherwise the due time in force,
before any apology. It covers what the generated workload contains (an apology is never followed by a
payment pause there, so the pre-apology due time is not shifted; see `dossier_timeline._shifted_before`).
Its counts are compared with the maintained aggregates' in the benchmark (`identical_counts`).
"""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path
from typing import Any

# Base relations on PostgreSQL, from the raw tables (the Parquet export writes exactly these).
PG_RELATIONS = {
    "dossiers": """
        SELECT d.id, d.code, d.handling_unit_id AS unit_id, d.channel, d.status, d.outcome,
               (extract(epoch FROM d.accepted_at) * 1000000)::bigint AS accepted,
               (extract(epoch FROM d.finished_at) * 1000000)::bigint AS finished,
               v.online_level = 'full' AS full_online,
               EXISTS (SELECT 1 FROM catalog_resulttype r WHERE r.version_id = v.id) AS has_result,
               COALESCE(f.name_folded LIKE '%%chung thuc%%', false) AS certification
        FROM dossiers_dossier d
        JOIN catalog_procedureversion v ON v.id = d.procedure_version_id
        LEFT JOIN catalog_field f ON f.id = v.field_id
        WHERE d.accepted_at IS NOT NULL""",
    "events": """
        SELECT dossier_id, sequence, action, (extract(epoch FROM at) * 1000000)::bigint AS at,
               (extract(epoch FROM (data->>'due_at')::timestamptz) * 1000000)::bigint AS due_at,
               (extract(epoch FROM (data->>'old_due_at')::timestamptz) * 1000000)::bigint AS old_due_at
        FROM dossiers_dossierevent""",
    "components": """
        SELECT dossier_id, (jsonb_array_length(files) > 0 OR vault_document IS NOT NULL OR digitized) AS filed,
               (reused OR vault_document IS NOT NULL) AS reused
        FROM dossiers_dossiercomponent""",
    "fees": "SELECT dossier_id, amount::double precision AS amount, paid_at IS NOT NULL AS paid, method "
    "FROM dossiers_feeline",
    "documents": "SELECT dossier_code, kind, signed FROM documents_document "
    "WHERE dossier_code IS NOT NULL AND NOT revoked AND kind IN ('result', 'certified_copy')",
    "synced": "SELECT DISTINCT reference FROM integrations_outboxmessage "
    "WHERE kind = 'dvcqg_sync' AND delivered_at IS NOT NULL",
}

DUCKDB_TYPES = {
    "dossiers": {
        "id": "BIGINT",
        "code": "VARCHAR",
        "unit_id": "BIGINT",
        "channel": "INTEGER",
        "status": "VARCHAR",
        "outcome": "VARCHAR",
        "accepted": "BIGINT",
        "finished": "BIGINT",
        "full_online": "BOOLEAN",
        "has_result": "BOOLEAN",
        "certification": "BOOLEAN",
    },
    "events": {
        "dossier_id": "BIGINT",
        "sequence": "INTEGER",
        "action": "VARCHAR",
        "at": "BIGINT",
        "due_at": "BIGINT",
        "old_due_at": "BIGINT",
    },
    "components": {"dossier_id": "BIGINT", "filed": "BOOLEAN", "reused": "BOOLEAN"},
    "fees": {"dossier_id": "BIGINT", "amount": "DOUBLE", "paid": "BOOLEAN", "method": "VARCHAR"},
    "documents": {"dossier_code": "VARCHAR", "kind": "VARCHAR", "signed": "BOOLEAN"},
    "synced": {"reference": "VARCHAR"},
}

QUERY = """
WITH d AS (
    SELECT * FROM dossiers
    WHERE unit_id IN ({units}) AND accepted < {end} AND (finished IS NULL OR finished >= {start})
),
clock AS (
    SELECT d.id,
        count(*) FILTER (WHERE x.action = 'request_supplement' AND x.at <= d.t) AS supplements,
        max(x.at) FILTER (WHERE x.action IN ('request_supplement', 'request_payment') AND x.at <= d.t) AS paused,
        max(x.at) FILTER (WHERE x.action IN ('submit_supplement', 'confirm_payment') AND x.at <= d.t) AS resumed,
        {last_due} AS due,
        {pause_due} AS pause_due,
        {apology_due} AS before_apology
    FROM (SELECT id, CASE WHEN finished < {end} THEN finished ELSE {end} END AS t FROM d) d
    JOIN events x ON x.dossier_id = d.id
    GROUP BY d.id, d.t
),
judged AS (
    SELECT c.id, c.supplements > 1 OR CASE
        WHEN c.paused IS NOT NULL AND (c.resumed IS NULL OR c.resumed < c.paused) THEN c.paused > c.pause_due
        ELSE (CASE WHEN d.finished < {end} THEN d.finished ELSE {end} END) > COALESCE(c.before_apology, c.due)
    END AS late
    FROM clock c JOIN d ON d.id = c.id
),
parts AS (
    SELECT dossier_id, bool_and(filed) AS all_filed, bool_or(reused) AS reused FROM components GROUP BY dossier_id
),
money AS (
    SELECT dossier_id, bool_or(amount > 0) AS due,
        bool_or(amount > 0 AND paid AND method IN ('dvcqg', 'online')) AS online
    FROM fees GROUP BY dossier_id
),
papers AS (
    SELECT dossier_code,
        bool_or(kind = 'result') AS result,
        bool_or(kind = 'result' AND signed) AS e_result,
        bool_or(kind = 'certified_copy' AND signed) AS e_copy
    FROM documents GROUP BY dossier_code
),
facts AS (
    SELECT d.*, j.late,
        d.accepted >= {start} AS received,
        d.finished IS NOT NULL AND d.finished < {end} AS finished_in,
        d.status IN ('resolved', 'returned') AS decided,
        s.reference IS NOT NULL AS synced,
        COALESCE(p.all_filed, false) AS all_filed, COALESCE(p.reused, false) AS reused,
        COALESCE(m.due, false) AS fee_due, COALESCE(m.online, false) AS paid_online,
        COALESCE(r.result, false) AS result, COALESCE(r.e_result, false) AS e_result,
        COALESCE(r.e_copy, false) AS e_copy
    FROM d
    JOIN judged j ON j.id = d.id
    LEFT JOIN parts p ON p.dossier_id = d.id
    LEFT JOIN money m ON m.dossier_id = d.id
    LEFT JOIN papers r ON r.dossier_code = d.code
    LEFT JOIN synced s ON s.reference = d.code
)
SELECT
    count(*) FILTER (WHERE received) AS received,
    count(*) FILTER (WHERE received AND synced) AS n_1_4,
    count(*) FILTER (WHERE NOT late) AS n_2_1,
    count(*) AS d_2_1,
    count(*) FILTER (WHERE received AND full_online AND channel = 2 AND (e_result OR NOT has_result)) AS n_3_3,
    count(*) FILTER (WHERE received AND full_online) AS d_3_3,
    count(*) FILTER (WHERE received AND fee_due AND paid_online) AS n_3_6,
    count(*) FILTER (WHERE received AND fee_due) AS d_3_6,
    count(*) FILTER (WHERE finished_in AND decided AND has_result AND outcome <> 'denied' AND e_result) AS n_4_1,
    count(*) FILTER (WHERE finished_in AND decided AND has_result AND outcome <> 'denied') AS d_4_1,
    count(*) FILTER (WHERE finished_in AND decided AND all_filed AND result) AS n_4_2,
    count(*) FILTER (WHERE finished_in AND decided) AS d_4_2,
    count(*) FILTER (WHERE received AND certification AND e_copy) AS n_4_2b,
    count(*) FILTER (WHERE received AND certification) AS d_4_2b,
    count(*) FILTER (WHERE received AND reused) AS n_4_3
FROM facts
"""

PG_LAST = "(array_agg({value} ORDER BY x.sequence DESC) FILTER (WHERE {condition}))[1]"
DUCKDB_LAST = "arg_max({value}, x.sequence) FILTER (WHERE {condition})"
DUE_ACTIONS = "x.action IN ('accept', 'submit_supplement', 'confirm_payment') AND x.at <= d.t"
PAUSE_ACTIONS = "x.action IN ('request_supplement', 'request_payment') AND x.at <= d.t"
APOLOGY = "x.action = 'apologize' AND x.at <= d.t"


def micros(instant: datetime) -> int:
    return int(instant.timestamp()) * 1_000_000 + instant.microsecond


def query(*, units: list[int], start: datetime, end: datetime, engine: str) -> str:
    last = PG_LAST if engine == "postgresql" else DUCKDB_LAST
    return QUERY.format(
        units=", ".join(str(int(u)) for u in units) or "NULL",
        start=micros(start),
        end=micros(end),
        last_due=last.format(value="x.due_at", condition=DUE_ACTIONS),
        pause_due=last.format(value="x.due_at", condition=PAUSE_ACTIONS),
        apology_due=last.format(value="x.old_due_at", condition=APOLOGY),
    )


def pg_query(*, units: list[int], start: datetime, end: datetime) -> str:
    """The query with the base relations as CTEs over the raw tables."""
    body = query(units=units, start=start, end=end, engine="postgresql").strip()
    relations = ",\n".join(f"{name} AS ({sql})" for name, sql in PG_RELATIONS.items())
    return body.replace("WITH d AS (", f"WITH {relations},\nd AS (", 1)


COLUMNS = (
    "received",
    "n_1_4",
    "n_2_1",
    "d_2_1",
    "n_3_3",
    "d_3_3",
    "n_3_6",
    "d_3_6",
    "n_4_1",
    "d_4_1",
    "n_4_2",
    "d_4_2",
    "n_4_2b",
    "d_4_2b",
    "n_4_3",
)


def as_counts(row: tuple[Any, ...]) -> dict[str, tuple[int, int]]:
    """The SQL row as {metric: (numerator, denominator)}, like the index's counts."""
    v = dict(zip(COLUMNS, (int(x or 0) for x in row), strict=True))
    return {
        "1.4": (v["n_1_4"], v["received"]),
        "2.1": (v["n_2_1"], v["d_2_1"]),
        "3.3": (v["n_3_3"], v["d_3_3"]),
        "3.6": (v["n_3_6"], v["d_3_6"]),
        "4.1": (v["n_4_1"], v["d_4_1"]),
        "4.2": (v["n_4_2"], v["d_4_2"]),
        "4.2b": (v["n_4_2b"], v["d_4_2b"]),
        "4.3": (v["n_4_3"], v["received"]),
    }


def export_parquet(connection: Any, folder: Path) -> dict[str, Any]:
    """Each base relation from PostgreSQL to CSV (COPY) and on to Parquet (DuckDB): sizes and seconds."""
    import duckdb

    folder.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {}
    started = time.perf_counter()
    duck = duckdb.connect()
    for name, sql in PG_RELATIONS.items():
        csv = folder / f"{name}.csv"
        with connection.cursor() as cursor, csv.open("wb") as handle:
            sql_text = sql.replace("%%", "%")
            with cursor.copy(f"COPY ({sql_text}) TO STDOUT (FORMAT csv)") as copy:
                for block in copy:
                    handle.write(block)
        parquet = folder / f"{name}.parquet"
        columns = "{" + ", ".join(f"'{c}': '{t}'" for c, t in DUCKDB_TYPES[name].items()) + "}"
        source = f"read_csv('{csv}', header = false, columns = {columns})"
        duck.execute(f"COPY (SELECT * FROM {source}) TO '{parquet}' (FORMAT parquet)")  # noqa: S608 - our names
        csv.unlink()
        report[name] = {"bytes": parquet.stat().st_size}
    duck.close()
    report["seconds"] = round(time.perf_counter() - started, 1)
    return report


def duckdb_connect(folder: Path) -> Any:
    """A DuckDB connection with one view per base relation over its Parquet file (read on every query)."""
    import duckdb

    duck = duckdb.connect()
    for name in PG_RELATIONS:
        path = folder / f"{name}.parquet"
        duck.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{path}')")  # noqa: S608 - our own names
    return duck
