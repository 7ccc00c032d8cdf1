-- The cap on parked mutations per user counts them by user on every parked arrival.
CREATE INDEX sync_parked_user ON sync_parked (user_id);
