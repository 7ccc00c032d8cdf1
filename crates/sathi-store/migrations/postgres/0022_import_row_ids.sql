-- An import job asks, batch by batch, which earlier rows of its file named the same case or
-- external id, instead of keeping every id of the file in memory.
CREATE INDEX import_rows_case ON import_rows (import_id, case_id);
CREATE INDEX import_rows_external ON import_rows (import_id, external_id);
