"""The sign-in page (a plain Flask route with a Flask-WTF form: CSRF token, Vietnamese with an English
switch), sign-out, and a health check that tells nothing about the data."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import flask
import sqlalchemy as sa
from flask_login import login_user, logout_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from dashboard.auth import current_account, throttle, users
from dashboard.auth.audit import audit, client_address
from dashboard.data import DataUnavailable
from dashboard.i18n import norm_lang, t

bp = flask.Blueprint("auth", __name__, template_folder="templates")
SESSION_LIFETIME = timedelta(hours=10)  # a working day; then sign in again


class SignInForm(FlaskForm):
    username = StringField(validators=[DataRequired(), Length(max=64)])
    password = PasswordField(validators=[DataRequired(), Length(max=256)])
    next = HiddenField()
    lang = HiddenField()


class SignOutForm(FlaskForm):
    lang = HiddenField()


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path of this site only (never another host: no open redirect)."""
    target = (target or "").strip()
    parts = urlsplit(target)
    if (not target.startswith("/") or target.startswith(("//", "/\\")) or parts.scheme or parts.netloc
            or parts.path in ("/login", "/logout")):
        return "/"
    return target


def _lang() -> str:
    """The form's language: its own `lang`, else the language of the page it was opened for."""
    values = flask.request.values
    asked = values.get("lang") or (parse_qs(urlsplit(values.get("next") or "").query).get("lang") or [None])[0]
    return norm_lang(asked)


def _page(form: SignInForm, lang: str, error: str | None = None, note: str | None = None, status: int = 200):
    other = "en" if lang != "en" else "vi"
    switch = "/login?" + urlencode({"lang": other, **({"next": form.next.data} if form.next.data else {})})
    html = flask.render_template("login.html", form=form, lang=lang, t=lambda key: t(key, lang), error=error,
                                 note=note, switch=switch, switch_label=t("language", lang))
    response = flask.make_response(html, status)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/login", methods=["GET", "POST"])
def login():
    lang = _lang()
    form = SignInForm()
    if flask.request.method == "GET":
        form.next.data = safe_next(flask.request.args.get("next")) if flask.request.args.get("next") else ""
        form.lang.data = lang
        if current_account() is not None:
            return flask.redirect(safe_next(form.next.data))
        note = t("signed_out", lang) if flask.request.args.get("signed_out") else None
        return _page(form, lang, note=note)
    if not form.validate_on_submit():  # a missing or stale CSRF token, or an empty field
        status = 400 if form.errors.get("csrf_token") else 401
        return _page(form, lang, t("form_expired" if status == 400 else "sign_in_failed", lang), status=status)
    username = users.normalise_username(form.username.data)
    engine = flask.current_app.config["DATA"].engine
    try:
        if throttle.refused(engine, username, client_address(), flask.current_app.config["AUTH_LIMITS"]):
            audit("sign_in_failed", {"reason": "throttled"}, username=username)
            return _page(form, lang, t("sign_in_throttled", lang), status=429)
        user = users.check(engine, username, form.password.data)
        if user is None:
            audit("sign_in_failed", {"reason": "wrong username or password, or disabled"}, username=username)
            return _page(form, lang, t("sign_in_failed", lang), status=401)
        flask.session.clear()  # nothing from before the sign-in carries over
        login_user(user)
        flask.session.permanent = True
        # The sign-out form's CSRF secret, made now: made later, by the first of the page's concurrent
        # callbacks, each would make its own and the session cookie written last would void the others' forms.
        generate_csrf()
        audit("sign_in", {"role": user.role})
    except (sa.exc.OperationalError, sa.exc.InterfaceError, DataUnavailable):
        return _page(form, lang, t("db_down", lang), status=503)
    return flask.redirect(safe_next(form.next.data))


@bp.route("/logout", methods=["POST"])
def logout():
    form = SignOutForm()
    lang = norm_lang(form.lang.data)
    done = flask.redirect("/login?signed_out=1" + ("&lang=en" if lang == "en" else ""))
    if current_account() is None:  # the session had ended already (expired, disabled): nothing to do
        flask.session.clear()
        return done
    if not form.validate_on_submit():  # another site's form cannot sign anyone out
        flask.abort(400)
    try:
        audit("sign_out")
    except (sa.exc.OperationalError, sa.exc.InterfaceError, DataUnavailable):
        pass  # signing out must work even when the log cannot be written
    logout_user()
    flask.session.clear()
    return done


@bp.route("/healthz")
def healthz():
    return {"status": "ok"}
