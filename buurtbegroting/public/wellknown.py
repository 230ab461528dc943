"""Files under /.well-known: security.txt (RFC 9116), from configuration."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import abort, current_app

from buurtbegroting.public import bp
from buurtbegroting.urls import external_url

SECURITY_LANGUAGES = ("nl", "en")


def security_txt_lines(config, now: datetime) -> list[str]:
    """Return the fields of security.txt; the URLs in it come from BASE_URL only."""
    expires = (now + timedelta(days=config["SECURITY_TXT_DAYS"])).replace(microsecond=0)
    lines = [f"Contact: {config['SECURITY_CONTACT']}"]
    lines.append(f"Expires: {expires.astimezone(UTC).isoformat().replace('+00:00', 'Z')}")
    if config.get("SECURITY_POLICY_URL"):
        lines.append(f"Policy: {config['SECURITY_POLICY_URL']}")
    # The languages a security report can be written in: those the municipality's team reads,
    # not every language of the site (LANGUAGES).
    lines.append(f"Preferred-Languages: {', '.join(SECURITY_LANGUAGES)}")
    lines.append(f"Canonical: {external_url('public.security_txt')}")
    return lines


@bp.route("/.well-known/security.txt")
def security_txt():
    """Say where to report a vulnerability; 404 while no contact is configured."""
    config = current_app.config
    if not config.get("SECURITY_CONTACT"):
        abort(404)
    body = "\n".join(security_txt_lines(config, datetime.now(UTC))) + "\n"
    response = current_app.response_class(body, mimetype="text/plain")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
