"""The steering dashboard (Dash). `create_app(settings)` builds it; `dashboard.wsgi:server` serves it."""
