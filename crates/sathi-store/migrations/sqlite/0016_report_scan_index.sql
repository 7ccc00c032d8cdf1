-- One index that holds every column a report groups or filters by, so that a count across all
-- agencies (a pivot table, the monthly report, the coordination snapshot) reads this index
-- instead of the case rows, which carry the whole JSON document. It ends with the id, so the
-- join to case_concerns needs no row either.
-- Measured on 1,000,000 synthetic cases on 2 shared virtual CPUs, camp by sex over all cases:
-- SQLite 3.9-5.6 s without it and 0.1-0.4 s with it; PostgreSQL 0.8-0.9 s and 0.4-0.5 s.
-- Open cases by concern and agency: SQLite 9 s and 3 s; PostgreSQL 1.4-1.7 s and 1.0-1.1 s.
CREATE INDEX cases_report ON cases (enabled, location_code, sex, status, owner_agency_id, risk_level,
    date_of_birth, registration_date, closure_date, assessment_completed_on, case_plan_approved_on, id);
