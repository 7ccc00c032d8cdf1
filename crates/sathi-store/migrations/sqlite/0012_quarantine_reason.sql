-- Why a mutation was kept aside for a supervisor: `account_disabled` (its user was disabled when
-- it arrived) or `not_owner_since` (its user lost the case through an accepted transfer before
-- it arrived). Rows kept before this column existed were all of the first kind.
ALTER TABLE sync_quarantine ADD COLUMN reason TEXT NOT NULL DEFAULT 'account_disabled';
