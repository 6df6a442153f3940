"""§2 of docs/performance.md, the gateway: its goal rows, section, profile, limits and ideas.

Reads bench/out/gateway.json as bench/gateway.py writes it.
"""

from __future__ import annotations

from typing import Any

from benchkit import OTHERS
from reportkit import (
    component_rows,
    flag,
    incl,
    inclusive_rows,
    met,
    ms,
    n,
    pct,
    share,
    table,
    threads_line,
    top_rows,
)

OVERHEAD_GOAL_MS = 3.0  # gateway p50 over direct gRPC
# Field resolutions of the benchmark query: institutions, edges, then per edge node/id/name/beds, then
# per bed id/label/type/status.
FIELDS_RESOLVED = 2 + 50 * 4 + 50 * 40 * 4


def goal_rows(gateway: dict[str, Any]) -> list[list[Any]]:
    """The gateway's rows of the goals table: the overhead at concurrency 1 and 32."""
    rows = []
    for c in ("c1", "c32"):
        over = gateway["overhead_p50_ms"][c]
        rows.append(
            [
                f"Gateway overhead p50 over direct gRPC, concurrency {c[1:]}",
                f"≤ {OVERHEAD_GOAL_MS:g} ms",
                f"{ms(over)} ms ({ms(gateway['phases'][f'gateway_{c}']['p50_ms'])} − "
                f"{ms(gateway['phases'][f'direct_{c}']['p50_ms'])})"
                + "".join(
                    flag(
                        gateway["phases"][f"{path}_{c}"]["cpu_s"],
                        gateway["phases"][f"{path}_{c}"]["wall_s"],
                    )
                    for path in ("gateway", "direct")
                )
                + ("; both paths queue behind eldercare, see §2" if c == "c32" else ""),
                # At 32 both paths wait on the same saturated service: the difference measures
                # queueing, not the gateway, so it neither meets nor misses the goal.
                "**not comparable**" if c == "c32" else met(over <= OVERHEAD_GOAL_MS),
            ]
        )
    return rows


def gateway_section(g: dict[str, Any]) -> list[str]:
    """§2: the method, the latency table, the overhead, errors and GraphQL alone."""
    d = g["data"]
    out = [
        "## 2. Gateway latency",
        "",
        "`bench/gateway.py` starts nats-server, every service the launcher runs ("
        + ", ".join(f"`python -m services.{name}`" for name in d.get("services", ["eldercare"]))
        + f", each on SQLite; eldercare answers the query, the others idle) and the gateway "
        "(`python -m gateway`, uvicorn) as separate processes, "
        "configured through the environment as the launcher does (default log level; spans are made but "
        "no trace exporter is set, the default). "
        f"It loads {d['institutions']} institutions × {d['beds_per_institution']} beds over gRPC "
        f"({d['occupied_per_institution']} beds of each occupied) and then, with a {d['token']} token, "
        "fetches the same data two ways from the benchmark process:",
        "",
        f"- **gateway:** `POST /graphql` `{g['query']}` with httpx (answer {n(g['gateway_response_bytes'])} "
        "bytes of JSON; every answer is checked for status 200, no errors, 2,000 beds);",
        "- **direct gRPC:** `ListInstitutions` (page of 50) then one `ListBeds` for the 50 ids — the two "
        f"calls the gateway itself makes (answers {n(g['grpc_response_bytes'])} bytes of protobuf).",
        "",
        "Latency is per request, failed requests included; CPU is each process's CPU time during the",
        "phase divided by the requests served. *Other processes' CPU* is the machine's busy time not",
        "used by the benchmark's own processes (100 % = one core): work from outside that shared the CPUs.",
        "",
    ]
    rows = []
    for key, p in g["phases"].items():
        path, conc = key.split("_c")
        cpu = p["cpu_ms_per_request"]
        rows.append(
            [
                path,
                conc,
                p["requests"],
                ms(p["p50_ms"]),
                ms(p["p90_ms"]),
                ms(p["p99_ms"]),
                f"{p['rps']:.1f}",
                p["errors"],
                ms(cpu.get("gateway", 0.0)),
                ms(cpu.get("eldercare", 0.0)),
                ms(cpu.get("client (this process)", 0.0)),
                pct(p["cpu_s"].get(OTHERS, 0.0), p["wall_s"]),
            ]
        )
    out += table(
        [
            "path",
            "concurrency",
            "requests",
            "p50 ms",
            "p90 ms",
            "p99 ms",
            "req/s",
            "errors",
            "gateway CPU ms/req",
            "eldercare CPU ms/req",
            "client CPU ms/req",
            "other processes' CPU",
        ],
        rows,
    )
    over, over99 = g["overhead_p50_ms"], g["overhead_p99_ms"]
    out += [
        f"**Gateway overhead** (gateway p50 − direct p50): **{ms(over['c1'])} ms** at concurrency 1, "
        f"{ms(over['c32'])} ms at concurrency 32 (p99 differences: {ms(over99['c1'])} ms and "
        f"{ms(over99['c32'])} ms). At concurrency 32 both paths queue behind eldercare (see *What limits "
        "the gateway*), so the difference there is not a per-request overhead either way.",
        "",
    ]
    errors = {k: p for k, p in g["phases"].items() if p["errors"]}
    if errors:
        out += ["**Errors** (each counted once per failed request):", ""]
        for key, p in errors.items():
            for kind, count in p["error_kinds"].items():
                out.append(f"- {key.replace('_c', ', concurrency ')}: {count} × `{kind}`")
        out.append("")
    alone = g.get("graphql_alone")
    if g.get("graphql_alone_error"):
        out += [f"The in-process GraphQL run failed: `{g['graphql_alone_error']}`.", ""]
    if alone:
        out += [
            "**GraphQL alone, in-process** (the gateway's schema executing the query over the service's",
            f"own replies, canned: no HTTP, no gRPC, {alone['rounds']} rounds): `schema.execute` p50 "
            f"**{ms(alone['execute_p50_ms'])} ms**, `json.dumps` of the result p50 "
            f"{ms(alone['json_encode_p50_ms'])} ms; the protobuf → Strawberry object conversion on its own "
            f"(`Institution.from_pb` + 2,000 × `Bed.from_pb`) p50 {ms(alone['from_pb_p50_ms'])} ms.",
            "",
        ]
    out += gateway_profile(g)
    out += gateway_limits(g)
    return out


def gateway_profile(g: dict[str, Any]) -> list[str]:
    """py-spy's view of the gateway and eldercare under load."""
    prof = g.get("profile")
    if not prof or "gateway" not in prof:
        return ["### Profile", "", "Skipped: py-spy is not installed (see *How to run*).", ""]
    out = [
        "### Profile",
        "",
        f"py-spy sampled the gateway and eldercare processes for {prof['seconds']:.0f} s while the gateway "
        f"served the query at concurrency {prof['concurrency']} ({prof['requests']} requests, "
        f"{prof['failed']} failed). *Self* charges each sample to the library of the innermost matching "
        "frame; *under* counts samples whose stack holds the call (graphql-core runs resolvers in tasks of",
        "their own and SQLAlchemy runs ORM code in greenlets, so wrappers of a whole request do not show up",
        "under their callers and are left out).",
        "",
    ]
    for name in ("gateway", "eldercare"):
        p = prof[name]
        out += [f"**{name}** — {p['samples']} samples ({threads_line(p)}):", ""]
        out += table(["self: library on the CPU", "share"], component_rows(p, 10))
        out += table(["under this call", "share"], inclusive_rows(p))
        out += table(["busiest functions (self)", "share"], top_rows(p, 10))
    return out


def gateway_limits(g: dict[str, Any]) -> list[str]:
    """What the figures and profiles say limits the gateway."""
    ph = g["phases"]
    over = g["overhead_p50_ms"]["c1"]
    gw_cpu = ph["gateway_c1"]["cpu_ms_per_request"].get("gateway", 0.0)
    ec_cpu = ph["direct_c1"]["cpu_ms_per_request"].get("eldercare", 0.0)
    alone = g.get("graphql_alone") or {}
    prof = (g.get("profile") or {}).get("gateway")
    out = [
        "### What limits the gateway",
        "",
        f"- **The overhead is CPU in the gateway process.** At concurrency 1 the gateway spent "
        f"{ms(gw_cpu)} ms of CPU per request against an overhead of {ms(over)} ms at p50"
        + (
            f"; the same query executed in-process over canned replies takes "
            f"{ms(alone['execute_p50_ms'])} ms (+ {ms(alone['json_encode_p50_ms'])} ms of JSON)"
            if alone
            else ""
        )
        + f". The answer has about {n(FIELDS_RESOLVED)} field resolutions (2,000 beds × 4 fields, plus "
        "the institutions), and graphql-core resolves, completes and wraps every one of them in Python, "
        "scalars included.",
    ]
    if prof:
        out.append(
            f"- **From the profile:** graphql-core {share(prof, 'graphql-core'):.1f} % self, Strawberry "
            f"{share(prof, 'strawberry'):.1f} %, the gateway's own code {share(prof, 'gateway code'):.1f} %; "
            f"under GraphQL execution {incl(prof, 'GraphQL execution'):.1f} % of all samples. Within it "
            f"`Bed.from_pb` {incl(prof, 'Bed.from_pb'):.1f} % (enum lookups and base64 global IDs per bed), "
            f"the DataLoader's batch function {incl(prof, 'DataLoader'):.1f} % (sorting 2,000 beds "
            f"into their institutions' lists), a `GraphQLResolveInfo` per field "
            f"{incl(prof, 'GraphQLResolveInfo'):.1f} %. JSON "
            f"encoding is {incl(prof, 'JSON encoding'):.1f} %, the gRPC client (with protobuf parsing) "
            f"{incl(prof, 'gRPC client'):.1f} %, uvicorn {share(prof, 'uvicorn'):.1f} %, OpenTelemetry "
            f"{share(prof, 'OpenTelemetry'):.1f} % and token checks {incl(prof, 'token'):.1f} % — HTTP, "
            "gRPC, tracing and auth are not where the time goes."
        )
    ec = (g.get("profile") or {}).get("eldercare")
    direct_c32 = ph["direct_c32"]
    ec_share = pct(direct_c32["cpu_s"].get("eldercare", 0.0), direct_c32["wall_s"])
    out.append(
        f"- **Direct gRPC is not cheap either:** eldercare spends {ms(ec_cpu)} ms of CPU per "
        f"`ListInstitutions` + `ListBeds` pair at concurrency 1. Its Python runs on one core at a time "
        f"(the GIL; only SQLite's own C code in the aiosqlite threads overlaps), so at concurrency 32 it "
        f"served {direct_c32['rps']:.1f} pairs/s using {ec_share} of a core, and requests queue: p50 "
        "becomes seconds."
        if ec_cpu
        else "- Direct gRPC: no CPU figure for eldercare."
    )
    if ec:
        sqlite_thread = next(
            (t["pct"] for t in ec.get("by_thread", []) if t["thread"].startswith("aiosqlite")), 0
        )
        rollback = incl(ec, "rollback")
        out.append(
            f"  Its profile: SQLAlchemy {incl(ec, 'SQLAlchemy, anywhere'):.1f} % of samples, of which "
            f"building ORM objects from rows {incl(ec, 'ORM'):.1f} %"
            + (
                f"; the rollback that closes every `Database.read()` session, expiring each loaded "
                f"object, {rollback:.1f} %"
                if rollback >= 2
                else ""
            )
            + f"; `bed_to_pb` {incl(ec, 'bed_to_pb'):.1f} %; the aiosqlite worker thread {sqlite_thread} % "
            "(SQLite executing the queries and handing rows over)."
        )
    gw32 = ph["gateway_c32"]
    deadline = sum(count for kind, count in gw32["error_kinds"].items() if "Deadline Exceeded" in kind)
    cpu_sum = sum(v for k, v in gw32["cpu_ms_per_request"].items() if k != OTHERS)
    gw_share = pct(gw32["cpu_s"].get("gateway", 0.0), gw32["wall_s"])
    ec32 = pct(gw32["cpu_s"].get("eldercare", 0.0), gw32["wall_s"])
    out.append(
        f"- **Concurrency 32:** a gateway request costs {ms(cpu_sum)} ms of CPU across all processes on "
        f"{g['machine']['nproc']} CPUs. Both paths served about the same rate (direct "
        f"{direct_c32['rps']:.1f} req/s, gateway {gw32['rps']:.1f} req/s). eldercare caps both near one "
        f"core's worth of its Python ({ec_share} of a core on the direct path); behind the gateway, "
        f"eldercare ({ec32}) and the gateway ({gw_share}) ran side by side on the two CPUs, keeping the "
        "machine nearly saturated. Latency is queueing: each "
        "request waits for the 31 ahead of it, so the p50 difference at concurrency 32 says how the queue "
        "in front of eldercare moved, not what the gateway costs per request."
        + (
            f" {deadline} of {gw32['requests']} requests failed when the gateway's gRPC deadline "
            "(`GATEWAY_GRPC_TIMEOUT_S`, 5 s by default) ran out while calls waited."
            if deadline
            else ""
        )
    )
    locked = sum(
        count for p in ph.values() for kind, count in p["error_kinds"].items() if "database is locked" in kind
    )
    if locked:
        out.append(
            f"- {locked} call(s) failed inside eldercare with `database is locked` (see *Errors*): "
            "`kit.db` starts every SQLite transaction with `BEGIN IMMEDIATE`, reads included, so "
            "concurrent reads queue for the single write lock, and one that waits past the 10 s busy "
            "timeout fails."
        )
    out.append("")
    return out


def gateway_ideas(gateway: dict[str, Any] | None) -> list[str]:
    """Ideas drawn from the gateway's and eldercare's profiles (≥ 2 % of the samples)."""
    gw: list[str] = []
    prof = ((gateway or {}).get("profile") or {}).get("gateway")
    ec = ((gateway or {}).get("profile") or {}).get("eldercare")
    if prof:
        gw.append(
            "- The per-field cost of graphql-core and Strawberry dominates "
            f"({incl(prof, 'GraphQL execution'):.1f} % under GraphQL execution): shrink the field count "
            "of big answers (smaller default and maximum"
            " page sizes, paginated beds), or serve the cockpit's list-heavy views from a purpose-built"
            " endpoint or a short-lived per-principal cache."
        )
        conv = incl(prof, "Bed.from_pb")
        loader = incl(prof, "DataLoader")
        if conv >= 2 or loader >= 2:
            gw.append(
                f"- Cheaper per-bed work in the gateway: `Bed.from_pb` {conv:.1f} % (enum lookups, base64 "
                f"global IDs), the DataLoader batch function {loader:.1f} % — precomputed enum maps, and "
                "grouping beds by institution id with plain strings."
            )
        gw.append(
            "- Scale out: more gateway worker processes (uvicorn `--workers`, or replicas); one event loop "
            "executes one request's resolvers at a time."
        )
    if ec and incl(ec, "ORM") >= 2:
        gw.append(
            f"- eldercare's list endpoints build an ORM object per row ({incl(ec, 'ORM'):.1f} % of its "
            "samples): Core rows (no identity map, nothing to expire) would do for read-only lists."
        )
    return gw
