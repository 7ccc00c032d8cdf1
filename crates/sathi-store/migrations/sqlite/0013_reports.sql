-- Dates that dashboards and reports count by, kept beside the JSON document like the other
-- indexed columns and rewritten from it on every case write (IndexedColumns).
ALTER TABLE cases ADD COLUMN closure_date TEXT;
ALTER TABLE cases ADD COLUMN assessment_completed_on TEXT;
ALTER TABLE cases ADD COLUMN case_plan_approved_on TEXT;

-- Existing cases take the values of their documents. Only a real calendar date written
-- YYYY-MM-DD is kept: SQLite's date() normalises an impossible date such as 2026-02-30, so it
-- no longer equals the text.
UPDATE cases SET
    closure_date = CASE
        WHEN json_extract(data, '$.closure_date') GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
             AND date(json_extract(data, '$.closure_date')) = json_extract(data, '$.closure_date')
        THEN json_extract(data, '$.closure_date') END,
    assessment_completed_on = CASE
        WHEN json_extract(data, '$.assessment_completed_on') GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
             AND date(json_extract(data, '$.assessment_completed_on')) = json_extract(data, '$.assessment_completed_on')
        THEN json_extract(data, '$.assessment_completed_on') END,
    case_plan_approved_on = CASE
        WHEN json_extract(data, '$.case_plan_approved_on') GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
             AND date(json_extract(data, '$.case_plan_approved_on')) = json_extract(data, '$.case_plan_approved_on')
        THEN json_extract(data, '$.case_plan_approved_on') END;

-- An agency manager's dashboard counts the agency's cases by sex, age, registration month and
-- closure month. These indexes let each count read index entries only.
CREATE INDEX cases_agency_sex ON cases (owner_agency_id, status, enabled, sex);
CREATE INDEX cases_agency_dob ON cases (owner_agency_id, status, enabled, date_of_birth);
CREATE INDEX cases_agency_registration ON cases (owner_agency_id, registration_date, enabled, assessment_completed_on, case_plan_approved_on);
CREATE INDEX cases_agency_closure ON cases (owner_agency_id, closure_date, enabled);
CREATE INDEX cases_closure ON cases (closure_date);
