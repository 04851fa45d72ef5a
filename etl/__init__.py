"""ETL, database plumbing and the platform simulator of the vaccination steering dashboard."""
