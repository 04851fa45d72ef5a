-- Grain: product. The share of each product's doses that may be wasted (ref.wastage_allowance) and its names.
SELECT p.code AS product_code, p.name, p.doses_per_vial, w.allowed_rate::float8 AS allowed_rate, w.source
FROM ref.product p LEFT JOIN ref.wastage_allowance w ON w.product_code = p.code
WHERE :scope_province IS NULL OR :scope_province IS NOT NULL  -- the same for every scope
ORDER BY p.code
