"""Benchmark making cheque codes: 50,000 cheques generated, hashed, inserted and written as CSV.

Usage: .venv/bin/python bench/cheques.py [--count 50000] [--sheets]

Times ``flask cheques generate`` end to end (through Click, so the progress bar is
included) and the parts separately: generating and hashing the codes, inserting the
rows, writing the CSV. SQLite always runs (a temporary file); PostgreSQL runs when
TEST_DATABASE_URL is set, in a database ``bench_cheques`` that is dropped at the end.
The target is under 30 seconds for 50,000 cheques. --sheets also times print sheets
with QR codes (not part of the target; the mailing house usually prints from the CSV).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]


def make_app(url: str):
    """Return the app on a database URL (test settings)."""
    from buurtbegroting import create_app
    from config import TestConfig

    config = type("BenchConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url})
    return create_app(config)


def _campaign(count: int):
    from buurtbegroting.extensions import db
    from buurtbegroting.models import ChequeCampaign

    campaign = ChequeCampaign(
        name="Bench",
        value_cents=750,
        activation_starts_on=date.today(),
        activation_ends_on=date.today() + timedelta(weeks=6),
        whole_municipality=True,
        cheque_count=count,
    )
    db.session.add(campaign)
    db.session.commit()
    return campaign.id


def run(url: str, label: str, count: int, sheets: bool) -> None:
    """Print the timings on one database."""
    from buurtbegroting.cheques import export, services
    from buurtbegroting.domain.codes import code_hash, generate_code
    from buurtbegroting.extensions import db
    from buurtbegroting.keys import code_hash_key
    from buurtbegroting.models import ChequeCampaign

    app = make_app(url)
    with app.app_context(), tempfile.TemporaryDirectory() as tmp:
        db.create_all()
        campaign_id = _campaign(count)
        out = Path(tmp) / "codes.csv"
        runner = app.test_cli_runner()
        start = time.perf_counter()
        result = runner.invoke(args=["cheques", "generate", str(campaign_id), "--out", str(out)])
        total = time.perf_counter() - start
        if result.exit_code != 0:
            raise SystemExit(result.output)
        lines = sum(1 for _ in out.open(encoding="utf-8")) - 1
        print(f"{label}: flask cheques generate, {lines:,} cheques: {total:.2f} s (target < 30 s)")

        # The parts, on a second campaign.
        key = code_hash_key()
        t0 = time.perf_counter()
        codes = [generate_code() for _ in range(count)]
        hashes = [code_hash(c, key, "cheque") for c in codes]
        t1 = time.perf_counter()
        campaign = db.session.get(ChequeCampaign, _campaign(count))
        made = services.generate_cheques(campaign, None, lambda c: f"http://x/?code={c}")
        db.session.commit()
        t2 = time.perf_counter()
        with open(Path(tmp) / "b.csv", "w", encoding="utf-8") as fh:
            export.write_csv(fh, campaign, made)
        t3 = time.perf_counter()
        print(f"  generate + hash only: {t1 - t0:.2f} s ({len(hashes):,} codes)")
        print(f"  generate + hash + insert (service): {t2 - t1:.2f} s")
        print(f"  write CSV: {t3 - t2:.2f} s")
        if sheets:
            text = export.SheetText("Buurtcheque", "€ 7,50", "Geldig", "Scan", "Code", "QR", "nl")
            t4 = time.perf_counter()
            for start_at in range(0, len(made), export.SHEET_SIZE):
                export.sheet_html(
                    campaign, made[start_at : start_at + export.SHEET_SIZE], text, "€ 7,50"
                )
            print(f"  print sheets with QR codes: {time.perf_counter() - t4:.2f} s")
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def main() -> None:
    """Run the benchmark on SQLite and, when configured, PostgreSQL."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=50_000)
    parser.add_argument("--sheets", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{tmp}/bench.db", "SQLite", args.count, args.sheets)
    on_postgres("bench_cheques", lambda url: run(url, "PostgreSQL", args.count, args.sheets))


def on_postgres(name: str, run_on) -> None:
    """Run ``run_on(url)`` on a new PostgreSQL database ``name`` when TEST_DATABASE_URL is
    set (next to the one it names); the database is dropped afterwards."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        return
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(base)
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False
    )
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        pg = url.set(drivername="postgresql+psycopg", database=name)
        run_on(pg.render_as_string(hide_password=False))
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
