-- The dashboard indexes of 0013 end with the case id, so that a count in an agency's scope
-- reads the index alone: the scope's queries select `c.id`, which is not the row id on SQLite.
-- Without it, SQLite without statistics chose one of these indexes for another dimension's
-- count and read every case row (measured on 1,000,000 synthetic cases: 0.5 s for one count).
DROP INDEX cases_agency_sex;
DROP INDEX cases_agency_dob;
DROP INDEX cases_agency_registration;
DROP INDEX cases_agency_closure;
CREATE INDEX cases_agency_sex ON cases (owner_agency_id, status, enabled, sex, id);
CREATE INDEX cases_agency_dob ON cases (owner_agency_id, status, enabled, date_of_birth, id);
CREATE INDEX cases_agency_registration
    ON cases (owner_agency_id, registration_date, enabled, assessment_completed_on, case_plan_approved_on, id);
CREATE INDEX cases_agency_closure ON cases (owner_agency_id, closure_date, enabled, id);
