-- Dates that dashboards and reports count by, kept beside the JSON document like the other
-- indexed columns and rewritten from it on every case write (IndexedColumns).
ALTER TABLE cases ADD COLUMN closure_date DATE;
ALTER TABLE cases ADD COLUMN assessment_completed_on DATE;
ALTER TABLE cases ADD COLUMN case_plan_approved_on DATE;

-- Existing cases take the values of their documents. Only a real calendar date written
-- YYYY-MM-DD is kept; anything else becomes NULL instead of failing the migration.
CREATE FUNCTION pg_temp.sathi_calendar_date(value TEXT) RETURNS DATE AS $$
BEGIN
    IF value !~ '^\d{4}-\d{2}-\d{2}$' THEN
        RETURN NULL;
    END IF;
    RETURN value::date;
EXCEPTION WHEN others THEN
    RETURN NULL;
END;
$$ LANGUAGE plpgsql IMMUTABLE;

UPDATE cases SET
    closure_date = pg_temp.sathi_calendar_date(data ->> 'closure_date'),
    assessment_completed_on = pg_temp.sathi_calendar_date(data ->> 'assessment_completed_on'),
    case_plan_approved_on = pg_temp.sathi_calendar_date(data ->> 'case_plan_approved_on')
WHERE data ?| ARRAY['closure_date', 'assessment_completed_on', 'case_plan_approved_on'];

-- An agency manager's dashboard counts the agency's cases by sex, age, registration month and
-- closure month. These indexes let each count read index entries only.
CREATE INDEX cases_agency_sex ON cases (owner_agency_id, status, enabled, sex);
CREATE INDEX cases_agency_dob ON cases (owner_agency_id, status, enabled, date_of_birth);
CREATE INDEX cases_agency_registration ON cases (owner_agency_id, registration_date, enabled, assessment_completed_on, case_plan_approved_on);
CREATE INDEX cases_agency_closure ON cases (owner_agency_id, closure_date, enabled);
CREATE INDEX cases_closure ON cases (closure_date);
