-- A random key per user that the server hands to the web client at each online login. The
-- client keeps its vault's data key wrapped under it as well as under the password, so a phone
-- can re-wrap its vault after an administrator resets the user's password.
ALTER TABLE users ADD COLUMN vault_key BYTEA;
