-- The protection concerns of a case as one value, for counting an agency's cases by concern
-- from an index: reading `case_concerns` once for each of 50,000 open cases took 50 to 260 ms
-- (1,000,000 synthetic cases, SQLite and PostgreSQL). IndexedColumns::concern_list writes it;
-- `case_concerns` stays the table that filters read.
ALTER TABLE cases ADD COLUMN concern_list TEXT;

UPDATE cases SET concern_list = (
    SELECT group_concat(concern, ',')
    FROM (SELECT k.concern FROM case_concerns k WHERE k.case_id = cases.id ORDER BY k.concern)
);

CREATE INDEX cases_agency_concerns ON cases (owner_agency_id, status, enabled, concern_list, id);
