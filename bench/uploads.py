"""Benchmark upload requests: the worst server time per request an attacker (or a phone) can cause.

Usage: .venv/bin/python bench/uploads.py [--repeat 3]

Posts photo forms (step 4 of an idea) and the expense form (a receipt) through the Flask
test client against a temporary SQLite database, and prints the slowest of ``--repeat``
runs of each request, plus the peak memory the process reached. The cases: pixel bombs
(a 5 KB PNG that claims 6,324 x 6,324 pixels), many files in one request, the largest
photos that are accepted (50-megapixel JPEG, 8.3-megapixel PNG and WebP, 10 MB of noise),
and receipts. The target is under 1 second for every request.
"""

from __future__ import annotations

import argparse
import io
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]


def make_app(folder: str):
    """Return the app on a temporary SQLite file (test settings)."""
    from buurtbegroting import create_app
    from config import TestConfig

    config = type(
        "BenchConfig",
        (TestConfig,),
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db", "UPLOAD_FOLDER": folder},
    )
    return create_app(config)


def _png(size, mode="P") -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new(mode, size, 0).save(out, "PNG", optimize=True)
    return out.getvalue()


def _noise(size, fmt: str, **options) -> bytes:
    import numpy as np
    from PIL import Image

    pixels = np.random.default_rng(1).integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, fmt, **options)
    return out.getvalue()


def _flat(size, fmt: str, **options) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (90, 140, 60)).save(out, fmt, **options)
    return out.getvalue()


def _pdf(pages: int) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def cases() -> list[tuple[str, str, list[bytes]]]:
    """Return (label, form, files) for every request to time."""
    bomb = _png((6324, 6324))
    photo_12mp = _noise((4000, 3000), "JPEG", quality=80)
    return [
        ("1 pixel bomb (PNG 6324x6324, 5 KB)", "photos", [bomb]),
        ("5 pixel bombs", "photos", [bomb] * 5),
        ("10 pixel bombs (more than 5 photos)", "photos", [bomb] * 10),
        ("90 tiny files", "photos", [b"GIF89a"] * 90),
        (
            f"5 JPEG photos of 12 MP (noise, {len(photo_12mp) // 1024} KB each)",
            "photos",
            [photo_12mp] * 5,
        ),
        ("5 JPEG photos of 50 MP (8160x6120)", "photos", [_flat((8160, 6120), "JPEG")] * 5),
        ("5 PNG of 8.3 MP palette (the limit, 3840x2160)", "photos", [_png((3840, 2160))] * 5),
        ("5 PNG of 8.3 MP RGB", "photos", [_png((3840, 2160), "RGB")] * 5),
        ("5 PNG of noise (1800x1800, 9 MB each)", "photos", [_noise((1800, 1800), "PNG")] * 5),
        ("5 WebP of 8.3 MP", "photos", [_flat((3840, 2160), "WEBP")] * 5),
        ("5 WebP of noise (3840x2160, the limit)", "photos", [_noise((3840, 2160), "WEBP")] * 5),
        (
            "5 WebP of noise (2000x1600, over the request budget)",
            "photos",
            [_noise((2000, 1600), "WEBP")] * 5,
        ),
        ("1 WebP of noise (3840x2160)", "photos", [_noise((3840, 2160), "WEBP")]),
        ("2 WebP of noise (2000x1600)", "photos", [_noise((2000, 1600), "WEBP")] * 2),
        ("5 WebP screenshots (1290x2796)", "photos", [_flat((1290, 2796), "WEBP")] * 5),
        ("5 PNG screenshots (1290x2796)", "photos", [_png((1290, 2796), "RGB")] * 5),
        ("receipt: pixel bomb", "receipt", [bomb]),
        ("receipt: JPEG of 50 MP", "receipt", [_flat((8160, 6120), "JPEG")]),
        ("receipt: PDF of 2,000 pages", "receipt", [_pdf(2000)]),
    ]


def run(repeat: int) -> None:
    """Print the slowest time of each upload request."""
    from buurtbegroting.accountability.services import fund_idea
    from buurtbegroting.extensions import db
    from buurtbegroting.models import Area, FundingSource, Idea, IdeaStatus, User

    with tempfile.TemporaryDirectory() as folder:
        app = make_app(folder)
        with app.app_context():
            db.create_all()
            area = Area(code="BU1", name="Buurt", level="neighbourhood")
            user = User(email="a@example.nl", display_name="Anna", password_hash="x", area=area)
            draft = Idea(
                area=area,
                author=user,
                title="Bank",
                summary="s",
                description="d",
                status=IdeaStatus.DRAFT,
            )
            funded = Idea(
                area=area,
                author=user,
                title="Tuin",
                summary="s",
                description="d",
                status=IdeaStatus.ACCEPTED,
            )
            db.session.add_all([area, user, draft, funded])
            db.session.flush()
            fund_idea(funded, source=FundingSource.ROUND, amount_cents=100_000, actor=None)
            db.session.commit()
            user_id, draft_id, funded_id = user.get_id(), draft.id, funded.id
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = user_id  # "<id>:<session version>"
            session["_fresh"] = True
        worst = worst_cpu = 0.0
        # Wall time, and CPU time of this process (steadier on a busy machine).
        print(f"{'request':55} {'status':>6} {'worst s':>8} {'cpu s':>7}")
        for label, form, files in cases():
            slowest = slowest_cpu = 0.0
            status = None
            for _ in range(repeat):
                if form == "photos":
                    url = f"/ideeen/{draft_id}/stap/4"
                    data = {"photos": [(io.BytesIO(f), f"{i}.png") for i, f in enumerate(files)]}
                else:
                    url = f"/verantwoording/idee/{funded_id}/uitgaven"
                    data = {
                        "description": "Verf",
                        "amount": "12,50",
                        "spent_on": "2026-03-01",
                        "receipt": (io.BytesIO(files[0]), "bon"),
                    }
                with app.app_context():
                    start, cpu = time.perf_counter(), time.process_time()
                    response = client.post(url, data=data, content_type="multipart/form-data")
                    took = time.perf_counter() - start
                    slowest_cpu = max(slowest_cpu, time.process_time() - cpu)
                status = response.status_code
                if "/inloggen" in response.headers.get("Location", ""):
                    raise SystemExit("not logged in: the bench would time a redirect")
                response.close()
                slowest = max(slowest, took)
                # Start each run from an idea without photos.
                if form == "photos" and status == 302:
                    with app.app_context():
                        db.session.get(Idea, draft_id).photos = []
                        db.session.commit()
            worst, worst_cpu = max(worst, slowest), max(worst_cpu, slowest_cpu)
            print(f"{label:55} {status:>6} {slowest:8.3f} {slowest_cpu:7.3f}")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"\nworst request: {worst:.3f} s, {worst_cpu:.3f} s CPU (target < 1 s); "
            f"peak memory of the process {peak:.0f} MB"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    run(parser.parse_args().repeat)


if __name__ == "__main__":
    main()
