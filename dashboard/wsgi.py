"""gunicorn entry point: `gunicorn dashboard.wsgi:server`."""

from dashboard.app import create_app


def _no_server_banner() -> None:
    """gunicorn writes `Server: gunicorn` on every response and has no setting to leave it out: the name it
    writes is a module global, read per response, so a neutral one is put in its place in each worker."""
    try:
        import gunicorn.http.wsgi
    except ImportError:  # served by something else
        return
    gunicorn.http.wsgi.SERVER = "web"


_no_server_banner()
server = create_app().server
