-- Reports across all agencies count protection concerns from cases.concern_list (0017), so the
-- report index of 0016 gets that column too, before the id, and a count by concern reads the
-- index alone instead of case_concerns once for every case.
DROP INDEX cases_report;
CREATE INDEX cases_report ON cases (enabled, location_code, sex, status, owner_agency_id, risk_level,
    date_of_birth, registration_date, closure_date, assessment_completed_on, case_plan_approved_on,
    concern_list, id);
