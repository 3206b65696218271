"""How many ballots a running server takes per second, and how long each one waits.

Against a gunicorn serving the project on PostgreSQL, this script creates a voting edition with
N fresh voting codes (or adds N codes to an edition in voting, with --edition), casts N ballots
through POST /api/v1/editions/{id}/ballots/ from C concurrent clients (asyncio, raw HTTP/1.1,
one connection per request as gunicorn's sync workers close them), then reads the edition
(GET /api/v1/editions/{id}/) and /healthz the same way, for comparison. It prints requests per
second and p50/p95/p99 latency for each, then checks the edition's ballot log and ballots
(``ballots_verify``) and that every code voted exactly once. Exit status 1 on any problem.

The script and the server must share DATABASE_URL and SECRET_KEY (codes are hashed with a key
derived from it). Every client connects from 127.0.0.1, so for the server they are one client
guessing codes, and the guessing limit counts the codes being checked at once: with more server
workers (or threads) than VOTING_GUESS_LIMIT, right codes racing from one address can lock it
out, as they would a crowd behind one NAT address. Hence VOTING_GUESS_LIMIT below.

    createdb -h 127.0.0.1 -U postgres juntos_bench
    export SECRET_KEY=bench-only DATABASE_URL=postgres://postgres@127.0.0.1:5432/juntos_bench
    .venv/bin/python manage.py migrate
    ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=false VOTING_GUESS_LIMIT=100000 \
        .venv/bin/gunicorn config.wsgi -w 4 -b 127.0.0.1:8765 &
    .venv/bin/python bench/ballots.py --url http://127.0.0.1:8765 --ballots 2000 --clients 32
"""

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402


class Result:
    __slots__ = ("body", "seconds", "status")

    def __init__(self, status: int, body: bytes, seconds: float):
        self.status, self.body, self.seconds = status, body, seconds


async def http(host: str, port: int, method: str, path: str, body=None) -> Result:
    """One request on a fresh connection; the latency includes connecting and queueing."""
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection(host, port)
    payload = json.dumps(body).encode() if body is not None else b""
    head = (
        f"{method} {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
        "Accept: application/json\r\nConnection: close\r\n"
    )
    if body is not None:
        head += f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n"
    writer.write(head.encode() + b"\r\n" + payload)
    await writer.drain()
    raw = await reader.read()  # the server closes the connection after the response
    writer.close()
    await writer.wait_closed()
    seconds = time.perf_counter() - started
    status_line, _, rest = raw.partition(b"\r\n")
    status = int(status_line.split(b" ", 2)[1]) if status_line else 0
    return Result(status, rest.partition(b"\r\n\r\n")[2], seconds)


async def run(base: str, requests: list[tuple[str, str, object]], clients: int):
    """Send ``requests`` (method, path, body) from ``clients`` concurrent clients."""
    url = urlsplit(base)
    host, port = url.hostname, url.port or 80
    queue: asyncio.Queue = asyncio.Queue()
    for item in requests:
        queue.put_nowait(item)
    results: list[Result] = []

    async def client() -> None:
        while not queue.empty():
            method, path, body = queue.get_nowait()
            try:
                results.append(await http(host, port, method, path, body))
            except OSError as exc:
                print(f"  connection failed: {exc}", file=sys.stderr)
                results.append(Result(0, b"", 0.0))

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return results, time.perf_counter() - started


def report(name: str, results: list[Result], seconds: float) -> None:
    latencies = sorted(r.seconds * 1000 for r in results if r.status)
    cuts = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else []
    p50, p95, p99 = (cuts[49], cuts[94], cuts[98]) if cuts else (0, 0, 0)
    statuses = ", ".join(f"{k}: {v}" for k, v in sorted(Counter(r.status for r in results).items()))
    print(
        f"{name:<34}{len(results) / seconds:>9.1f}/s {p50:>8.1f} {p95:>8.1f} {p99:>8.1f} ms"
        f"   [{statuses}]"
    )


def voting_edition_with_codes(edition_id: int | None, count: int):
    from budgeting.models import BudgetEdition
    from budgeting.services import voting_codes_generate
    from budgeting.services.codes import MAX_BATCH

    if edition_id is None:
        from tests.budgeting.factories import voting_edition
        from tests.cities.factories import CityFactory

        city = CityFactory(name="Benchville", slug="benchville")
        edition = voting_edition(
            city, projects=12, max_choices=3, title=f"Bench {time.strftime('%Y-%m-%d %H:%M:%S')}"
        )
    else:
        edition = BudgetEdition.objects.get(pk=edition_id)
        if not edition.is_voting_open:
            sys.exit(f"edition {edition_id} is not in its voting phase")
    codes: list[str] = []
    while len(codes) < count:
        size = min(MAX_BATCH, count - len(codes))
        codes += voting_codes_generate(edition=edition, count=size, label="bench")
    return edition, codes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8765", help="the running server")
    parser.add_argument("--ballots", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--edition", type=int, help="an edition in voting (default: a new one)")
    parser.add_argument("--reads", type=int, help="requests per read endpoint (default: ballots)")
    args = parser.parse_args()

    from django.db.migrations.executor import MigrationExecutor

    from budgeting.models import Participation
    from budgeting.selectors import ballots_verify
    from budgeting.services import ballot_options

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        sys.exit("the database has unapplied migrations: run manage.py migrate first")
    started = time.perf_counter()
    edition, codes = voting_edition_with_codes(args.edition, args.ballots)
    options = list(ballot_options(edition))
    most = min(edition.max_choices or len(options), len(options))
    voters_before = Participation.objects.filter(edition=edition).count()
    print(
        f"edition {edition.pk} ({edition.method}, {len(options)} options): {len(codes)} codes "
        f"in {time.perf_counter() - started:.1f} s; {connection.vendor}; "
        f"{args.clients} clients against {args.url}"
    )
    connection.close()  # the server does the work now; keep no idle transaction open

    rng = random.Random(2026)
    path = f"/api/v1/editions/{edition.pk}/ballots/"
    ballots = [
        ("POST", path, {"code": code, "choices": rng.sample(options, rng.randint(1, most))})
        for code in codes
    ]
    reads = args.reads or args.ballots
    print(f"{'':<34}{'rate':>11} {'p50':>8} {'p95':>8} {'p99':>8}")
    cast, seconds = asyncio.run(run(args.url, ballots, args.clients))
    report(f"POST {path}", cast, seconds)
    for read in (f"/api/v1/editions/{edition.pk}/", "/healthz"):
        results, seconds = asyncio.run(run(args.url, [("GET", read, None)] * reads, args.clients))
        report(f"GET {read}", results, seconds)

    problems = []
    accepted = sum(1 for r in cast if r.status == 201)
    if accepted != len(codes):
        sample = next((r.body[:200] for r in cast if r.status != 201), b"")
        problems.append(f"{len(codes) - accepted} ballots refused, e.g. {sample!r}")
    receipts = {json.loads(r.body)["receipt"] for r in cast if r.status == 201}
    if len(receipts) != accepted:
        problems.append("two ballots got the same receipt")
    voters = Participation.objects.filter(edition=edition).count() - voters_before
    if voters != accepted:
        problems.append(f"{accepted} ballots accepted but {voters} voters recorded")
    verified = ballots_verify(edition=edition)
    problems += verified.problems
    print(
        f"ballots_verify: {'ok' if verified.ok else 'FAILED'} "
        f"({verified.entries} log entries, {verified.ballots} ballots; log head "
        f"{edition.log_head[:12]}…)"
    )
    for problem in problems:
        print(f"PROBLEM: {problem}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
