"""The application factory: configuration, extensions, blueprints, errors, CLI."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, g, request, session
from flask_babel import get_locale
from flask_login import current_user

from buurtbegroting import permissions, templating
from buurtbegroting.dbpool import ping_when_idle
from buurtbegroting.domain import languages
from buurtbegroting.extensions import babel, csrf, db, limiter, login_manager, migrate
from buurtbegroting.sessions import SessionInterface

ROOT = Path(__file__).resolve().parent.parent

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def select_locale() -> str:
    """Pick the language: the user's setting, then the cookie, then the browser, then Dutch."""
    from flask import current_app, has_request_context

    if not has_request_context():
        # Commands and background jobs: the default language (mail uses force_locale).
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = session.get("lang") or request.cookies.get("lang")
    if chosen in languages:
        return chosen
    return (
        request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def build_app(config_class=None) -> Flask:
    """Create and configure the application."""
    from config import ProductionConfig, config_from_env

    config_class = config_class or config_from_env()
    if isinstance(config_class, type) and issubclass(config_class, ProductionConfig):
        config_class.check()

    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    app.jinja_environment = templating.Environment  # before anything makes app.jinja_env
    app.config.from_object(config_class)
    trust_proxies(app)

    app.session_interface = SessionInterface()
    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name != "sqlite":  # a file has no link to lose
            ping_when_idle(db.engine, app.config["DB_PING_AFTER_IDLE_SECONDS"])
    migrate.init_app(
        app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True
    )
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    babel.init_app(app, locale_selector=select_locale)
    from buurtbegroting.uploads import raise_limit_for_uploads

    # Registered before CSRFProtect, whose check reads the form.
    app.before_request(raise_limit_for_uploads)
    csrf.init_app(app)
    limiter.init_app(app)

    from buurtbegroting import models  # noqa: F401  (registers every table)

    @login_manager.user_loader
    def load_user(user_id: str):
        # "<id>:<session version>": a session made before logout, a password change
        # or blocking carries an old version and is no longer accepted.
        uid, _, version = str(user_id).partition(":")
        if not (uid.isdigit() and version.isdigit()):
            return None
        user = db.session.get(models.User, int(uid))
        if user is None or not user.is_active or user.session_version != int(version):
            return None
        return user

    from buurtbegroting.accountability import bp as accountability_bp
    from buurtbegroting.admin import bp as admin_bp
    from buurtbegroting.api import bp as api_bp
    from buurtbegroting.arguments import bp as arguments_bp
    from buurtbegroting.auth import bp as auth_bp
    from buurtbegroting.cheques import bp as cheques_bp
    from buurtbegroting.follows import bp as follows_bp
    from buurtbegroting.groups import bp as groups_bp
    from buurtbegroting.ideas import bp as ideas_bp
    from buurtbegroting.jobs import bp as jobs_bp
    from buurtbegroting.jobs import init_app as init_jobs
    from buurtbegroting.public import bp as public_bp
    from buurtbegroting.review import bp as review_bp
    from buurtbegroting.rounds import bp as rounds_bp
    from buurtbegroting.rounds.admin import bp as rounds_admin_bp
    from buurtbegroting.rounds.codes import bp as round_codes_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(ideas_bp)
    app.register_blueprint(groups_bp)
    app.register_blueprint(admin_bp, url_prefix="/beheer")
    app.register_blueprint(review_bp, url_prefix="/beheer/beoordelen")
    app.register_blueprint(round_codes_bp, url_prefix="/beheer/rondes")
    app.register_blueprint(rounds_bp)
    app.register_blueprint(rounds_admin_bp, url_prefix="/beheer/rondes")
    app.register_blueprint(accountability_bp)
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(cheques_bp)
    app.register_blueprint(follows_bp)
    app.register_blueprint(arguments_bp)
    app.register_blueprint(jobs_bp, url_prefix="/beheer/taken")
    init_jobs(app)

    from buurtbegroting import errors
    from buurtbegroting.cli import register_cli

    errors.register(app)
    templating.register(app)
    register_cli(app)

    app.jinja_env.globals.update(permissions.template_functions())
    app.jinja_env.globals.update(text_direction=languages.direction, language_name=languages.name)

    @app.context_processor
    def inject_globals():
        locale = str(get_locale())
        return {
            "current_locale": locale,
            "current_dir": languages.direction(locale),
            "language_switch": languages.switch(app.config["LANGUAGES"]),
        }

    from buurtbegroting.maps.config import img_sources

    # The map's background tiles (MAP_TILE_URL) are the one kind of image from another host.
    csp = CSP.replace("img-src 'self' data:", f"img-src {img_sources(app.config)}")

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", csp)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        if app.config["HSTS_MAX_AGE"]:
            response.headers["Strict-Transport-Security"] = (
                f"max-age={app.config['HSTS_MAX_AGE']}; includeSubDomains"
            )
        if g.get("vary_cookie"):
            response.vary.add("Cookie")
        return response

    return app


def trust_proxies(app: Flask) -> None:
    """Believe X-Forwarded-For and -Proto from exactly PROXY_FIX_HOPS proxies (none by default).

    With one proxy (nginx), the client is the last address that proxy added; anything a
    client writes in the header itself stays to the left of it and is ignored. The host is
    never taken from the request: absolute URLs come from BASE_URL (buurtbegroting.urls).
    """
    hops = int(app.config.get("PROXY_FIX_HOPS") or 0)
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0, x_prefix=0)
