"""ETL, migrations and the platform simulator of the vaccination steering dashboard."""
