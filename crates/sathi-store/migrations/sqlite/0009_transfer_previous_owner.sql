-- The owner a case had when a transfer or transfer request was accepted, so the former owner's
-- late writes can be answered with the time they stopped owning the case. Case data does not
-- hold previous owners, so this table is where they are kept.
ALTER TABLE transfers ADD COLUMN previous_owner_id BLOB REFERENCES users (id);
ALTER TABLE transfers ADD COLUMN previous_owner_agency_id TEXT;
CREATE INDEX transfers_previous_owner ON transfers (previous_owner_id, case_id);
