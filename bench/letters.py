"""Benchmark print-ready PDFs: voting letters and cheque sheets, with their CSV, in one ZIP.

Usage: .venv/bin/python bench/letters.py [--counts 5000,50000] [--kinds letters,cheques]
                                         [--modes job,writer] [--database-url URL]

Every run is a fresh process, so its peak memory (ru_maxrss) is its own:

- ``job``: through the job queue, as the codes page and the campaign page start it
  (huey in immediate mode, SQLite in a temporary folder, or PostgreSQL with
  ``--database-url``): codes or cheques are made and
  stored in steps, then the ZIP with the PDFs (PDF chosen) and the CSV is written.
- ``writer``: buurtbegroting.printing alone (codes made in memory, no database): what the
  PDFs themselves cost.

Printed per run: wall time, CPU time, pages per second, the ZIP, PDF and CSV sizes,
the memory after start-up and the peak. The target: under 60 s for 50,000, and a peak that
does not grow with the count (pages are streamed into parts of PRINT_PART_SIZE = 5,000).
The machine's load average is printed too: on a shared machine wall time follows it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]
BASE_URL = "https://oss.buurtbegroting.example"


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def make_app(tmp: Path, database_url: str | None = None):
    """Return the app on a fresh database, jobs run where they are started.

    The database is a temporary SQLite file, or with ``database_url`` (PostgreSQL) a
    database ``<its name>_letters_main`` made anew next to it (as the tests make theirs).
    """
    from buurtbegroting import create_app
    from config import TestConfig

    url = f"sqlite:///{tmp}/bench.db"
    if database_url:
        from tests.dbsupport import postgres_url_for

        os.environ["TEST_DATABASE_URL"] = database_url
        url = postgres_url_for("letters")
    settings = {
        "SQLALCHEMY_DATABASE_URI": url,
        "JOB_RESULT_FOLDER": str(tmp / "results"),
        "HUEY_IMMEDIATE": True,
        "BASE_URL": BASE_URL,
        "PRINT_PART_SIZE": 5_000,
        "JOB_CHUNK_SIZE": 5_000,
    }
    return create_app(type("BenchConfig", (TestConfig,), settings))


def _round_area(count: int):
    """Make a neighbourhood and a round before voting (the tests' factories); return its area."""
    from buurtbegroting.extensions import db
    from tests.factories import make_district, make_neighbourhood
    from tests.factories.rounds import make_round

    area = make_neighbourhood(make_district(name="Centrum"), postcodes=(), name="Centrum-Noord")
    round_ = make_round([(area, 10_000_000)], phase="review", name="Buurtbegroting 2027")
    db.session.commit()
    return round_.areas[0]


def _campaign(count: int):
    """Make a campaign of ``count`` cheques for the whole municipality (the tests' factory)."""
    from buurtbegroting.extensions import db
    from tests.factories.cheques import make_campaign

    campaign = make_campaign(count=count, name="Voorjaar 2027")
    db.session.commit()
    return campaign


def _admin():
    from buurtbegroting.extensions import db
    from buurtbegroting.models import Role
    from tests.factories import make_user

    user = make_user(role=Role.ADMIN, email="beheer@oss.example")
    db.session.commit()
    return user


def _through_job(kind: str, count: int) -> Path:
    """Start the job as the page does (PDF chosen); return its result ZIP."""
    from flask import current_app

    from buurtbegroting import jobs
    from buurtbegroting.jobs.kinds.codes import params_for

    admin = _admin()
    if kind == "letters":
        params = {**params_for(_round_area(count), count), "output": "pdf", "back_lang": None}
        job = jobs.start_job("voting_codes", params, admin)
    else:
        campaign = _campaign(count)
        job = jobs.start_job("cheques", {"campaign_id": campaign.id, "output": "pdf"}, admin)
    from buurtbegroting.extensions import db

    db.session.refresh(job)
    if job.result_file is None:
        raise SystemExit(f"the job did not finish: {job.status} {job.message} {job.error}")
    return Path(current_app.config["JOB_RESULT_FOLDER"]) / job.result_file


def _writer_only(kind: str, count: int, out: Path) -> Path:
    """Write the ZIP with buurtbegroting.printing alone, from codes made in memory."""
    from flask import current_app

    from buurtbegroting import printing
    from buurtbegroting.cheques.export import NewCheque
    from buurtbegroting.domain.codes import generate_code

    part_size = current_app.config["PRINT_PART_SIZE"]
    if kind == "letters":
        settings = printing.letter_settings(_round_area(count), current_app.config)
        codes = (generate_code() for _ in range(count))
        printing.write_letters_zip(codes, out, settings=settings, part_size=part_size)
    else:
        campaign = _campaign(count)
        settings = printing.cheque_settings(campaign, current_app.config)
        prefix = settings.redeem_url + "?code="
        cheques = (
            NewCheque(i, code, "BU08280101", "Centrum", prefix + code)
            for i, code in ((i, generate_code()) for i in range(1, count + 1))
        )
        printing.write_cheques_zip(
            cheques,
            out,
            campaign=campaign,
            settings=settings,
            part_size=part_size,
            base_name="cheques-1-voorjaar-2027",
        )
    return out


def child(kind: str, count: int, mode: str, database_url: str | None = None) -> None:
    """Run one measurement in this process and print it as one JSON line."""
    from buurtbegroting.extensions import db

    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        app = make_app(tmp, database_url if mode == "job" else None)
        with app.app_context():
            db.create_all()
            start_rss = _rss_mib()
            cpu, wall = _cpu(), time.perf_counter()
            if mode == "job":
                path = _through_job(kind, count)
            else:
                path = _writer_only(kind, count, tmp / "print.zip")
            wall, cpu = time.perf_counter() - wall, _cpu() - cpu
            with zipfile.ZipFile(path) as archive:
                infos = archive.infolist()
            pdfs = [i for i in infos if i.filename.endswith(".pdf")]
            pages = count * (1 if kind == "letters" else 1 / 8)
            print(
                json.dumps(
                    {
                        "kind": kind,
                        "mode": mode,
                        "count": count,
                        "wall": wall,
                        "cpu": cpu,
                        "pages": round(pages),
                        "parts": len(pdfs),
                        "zip_mib": path.stat().st_size / 2**20,
                        "pdf_mib": sum(i.file_size for i in pdfs) / 2**20,
                        "csv_mib": sum(i.file_size for i in infos if i.filename.endswith(".csv"))
                        / 2**20,
                        "start_rss": start_rss,
                        "peak_rss": _rss_mib(),
                    }
                )
            )


def main() -> None:
    """Run each measurement in a fresh process and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", default="5000,50000")
    parser.add_argument("--kinds", default="letters,cheques")
    parser.add_argument("--modes", default="job,writer")
    parser.add_argument(
        "--database-url",
        help="run the job on PostgreSQL (postgresql://user@host:port/name) instead of SQLite",
    )
    parser.add_argument("--child", nargs=3, metavar=("KIND", "COUNT", "MODE"))
    args = parser.parse_args()
    if args.child:
        kind, count, mode = args.child
        child(kind, int(count), mode, args.database_url)
        return
    database = ["--database-url", args.database_url] if args.database_url else []
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"database of the job: {'PostgreSQL' if database else 'SQLite'}")
    header = (
        f"{'what':<22}{'count':>8}{'wall s':>9}{'cpu s':>8}{'items/s':>9}{'pages/s':>9}{'parts':>6}"
        f"{'ZIP MiB':>9}{'PDF MiB':>9}{'CSV MiB':>9}{'RSS start':>10}{'RSS peak':>10}"
    )
    print(header)
    for kind in args.kinds.split(","):
        for mode in args.modes.split(","):
            for count in (int(c) for c in args.counts.split(",")):
                out = subprocess.run(
                    [sys.executable, __file__, "--child", kind, str(count), mode, *database],
                    capture_output=True,
                    text=True,
                    cwd=ROOT,
                )
                if out.returncode:
                    raise SystemExit(out.stderr)
                r = json.loads(out.stdout.strip().splitlines()[-1])
                print(
                    f"{kind + ' (' + mode + ')':<22}{count:>8,}{r['wall']:>9.1f}{r['cpu']:>8.1f}"
                    f"{count / r['wall']:>9.0f}{r['pages'] / r['wall']:>9.0f}{r['parts']:>6}"
                    f"{r['zip_mib']:>9.1f}"
                    f"{r['pdf_mib']:>9.1f}{r['csv_mib']:>9.1f}{r['start_rss']:>9.0f}M"
                    f"{r['peak_rss']:>9.0f}M",
                    flush=True,
                )
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
