-- One mutation is parked at most once: the same mutation id at a second seq could never apply
-- there, because its result is stored once, and would block its device.
CREATE UNIQUE INDEX sync_parked_mutation ON sync_parked (mutation_id);
