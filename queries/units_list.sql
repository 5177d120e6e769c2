-- units_list: every unit with its kind and category, by unit_id.
-- Parameters: none.
-- Result columns: unit_id, name, kind ('department' | 'county'), category.
SELECT unit_id, name, kind, category FROM units ORDER BY unit_id
