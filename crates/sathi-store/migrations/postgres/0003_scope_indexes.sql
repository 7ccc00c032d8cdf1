-- Indexes for case lists in a caller's scope. A list reads each branch of the scope (cases by
-- owner, cases by agency) from one of these indexes without reading the case rows: they carry
-- the list filters the server sends most (status, enabled, risk level, location), the default
-- sort column and the id, so the count and the choice of a page touch only index entries.
CREATE INDEX cases_owner_list ON cases (owner_id, status, enabled, risk_level, location_code, updated_at, id);
CREATE INDEX cases_agency_list ON cases (owner_agency_id, status, enabled, risk_level, location_code, updated_at, id);

-- A name search within a scope tests each reached case for the name word, so the words are
-- also indexed by case. This replaces the index on case_id alone.
CREATE INDEX case_name_tokens_case_token ON case_name_tokens (case_id, token);
DROP INDEX case_name_tokens_case;
