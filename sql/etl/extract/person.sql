-- Only to move the person watermark: which people changed (their doses are re-read with them).
SELECT id::bigint, updated_at FROM platform.person WHERE updated_at > %(since)s
