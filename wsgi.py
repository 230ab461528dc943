"""Entry point for gunicorn: ``gunicorn wsgi:app``."""

from buurtbegroting import create_app

app = create_app()
