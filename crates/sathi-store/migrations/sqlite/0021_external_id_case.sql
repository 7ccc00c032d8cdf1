-- Imports compare external ids without regard to letter case: the importer upper-cases every
-- external id it reads, so `d-1` in one file and `D-1` in the next name the same case. This
-- upper-cases the ids imported before. An id is left as it is where another case of the same
-- source has an id that differs only in letter case, because both cannot hold the upper-case id.
--
-- NOTE: SQLite's upper() changes only ASCII letters, so a non-ASCII id stored before keeps its
-- lower-case letters, and importing that id again makes a second case.
UPDATE cases
SET external_id = upper(external_id)
WHERE external_id IS NOT NULL
  AND external_id <> upper(external_id)
  AND NOT EXISTS (
      SELECT 1 FROM cases AS other
      WHERE other.external_source = cases.external_source
        AND other.id <> cases.id
        AND upper(other.external_id) = upper(cases.external_id)
  );
