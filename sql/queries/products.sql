-- Grain: product. The vaccines (reference; the same for every scope).
SELECT code, name, primary_doses FROM ref.product WHERE :scope_province IS NULL OR :scope_province IS NOT NULL
ORDER BY code
