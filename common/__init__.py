"""What etl and dashboard share: settings, database connections and the campaign's vocabulary."""
