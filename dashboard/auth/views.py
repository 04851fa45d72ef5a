"""The sign-in page (a plain Flask route with a Flask-WTF form: CSRF token, Vietnamese with an English
switch), sign-out, and a health check that tells nothing about the data."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import flask
import sqlalchemy as sa
from flask_login import login_user, logout_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError, generate_csrf
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from dashboard.auth import current_account, throttle, users
from dashboard.auth.audit import audit, client_address
from dashboard.data import DataUnavailable
from dashboard.i18n import norm_lang, t

bp = flask.Blueprint("auth", __name__, template_folder="templates")
SESSION_LIFETIME = timedelta(hours=10)  # a working day; then sign in again
USERNAME_MAX, PASSWORD_MAX, NEXT_MAX = 64, 256, 2000  # longer is refused, and never echoed back


class SignInForm(FlaskForm):
    username = StringField(validators=[DataRequired(), Length(max=USERNAME_MAX)])
    password = PasswordField(validators=[DataRequired(), Length(max=PASSWORD_MAX)])
    next = HiddenField(validators=[Length(max=NEXT_MAX)])
    lang = HiddenField()


class SignOutForm(FlaskForm):
    lang = HiddenField()


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path of this site only (never another host: no open redirect)."""
    target = (target or "").strip()
    if any(ord(c) < 32 or ord(c) == 127 for c in target):  # a header split, not a path
        return "/"
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
    # An oversized field is not written back into the page (the password never is).
    for field, limit in ((form.username, USERNAME_MAX), (form.next, NEXT_MAX)):
        if len(field.data or "") > limit:
            field.data = ""
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
        seconds = throttle.wait(engine, username, client_address(), flask.current_app.config["AUTH_LIMITS"])
        if seconds:
            audit("sign_in_failed", {"reason": throttle.THROTTLED}, username=username)
            response = _page(form, lang, t("sign_in_throttled", lang, seconds=seconds), status=429)
            response.headers["Retry-After"] = str(seconds)
            return response
        user = users.check(engine, username, form.password.data)
        if user is None:
            audit("sign_in_failed", {"reason": "wrong username or password, or disabled"}, username=username)
            return _page(form, lang, t("sign_in_failed", lang), status=401)
        user = users.open_session(engine, user, int(SESSION_LIFETIME.total_seconds()))
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


@bp.get("/logout")
def logout_page():
    """Signing out is a POST with its token; a GET (a bookmark, a typed URL) only goes where it belongs."""
    return flask.redirect("/" if current_account() else "/login?signed_out=1")


@bp.route("/logout", methods=["POST"])
def logout():
    form = SignOutForm()
    lang = norm_lang(form.lang.data)
    done = flask.redirect("/login?signed_out=1" + ("&lang=en" if lang == "en" else ""))
    user = current_account()
    if user is None:  # the session had ended already (expired, disabled): nothing to do
        flask.session.clear()
        return done
    if not form.validate_on_submit():  # another site's form cannot sign anyone out
        flask.abort(400)
    try:
        users.end_session(flask.current_app.config["DATA"].engine, user.session)
        audit("sign_out")
    except (sa.exc.OperationalError, sa.exc.InterfaceError, DataUnavailable):
        pass  # signing out must work even when the database cannot be written (the cookie is dropped below)
    logout_user()
    flask.session.clear()
    return done


@bp.app_errorhandler(CSRFError)
def csrf_refused(error: CSRFError):
    """A state-changing request without this session's CSRF token (CSRFProtect checks every one of them):
    the sign-in form says it expired, a sign-out of an ended session goes to the sign-in page as before, and
    anything else (Dash's callbacks, the report jobs) answers 400 without having done anything."""
    path = flask.request.path
    if path == "/login":
        form = SignInForm()
        return _page(form, _lang(), t("form_expired", _lang()), status=400)
    if path == "/logout" and current_account() is None:
        flask.session.clear()
        return flask.redirect("/login?signed_out=1")
    return flask.jsonify(error="CSRF token missing or invalid: send this session's token in X-CSRFToken"), 400


@bp.get("/csrf-token")
def csrf_token():
    """This session's CSRF token, for scripts (send it as X-CSRFToken with each POST); signed-in only (the
    gate). Another site's page cannot read it: the answer is JSON of this origin."""
    response = flask.jsonify(csrf_token=generate_csrf())
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/healthz")
def healthz():
    return {"status": "ok"}
