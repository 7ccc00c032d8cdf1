-- Task lists show the child's name and risk level beside each due item. Both are copied into
-- case_tasks when the rows are rewritten on a case write, so a task list reads the
-- case_tasks_owner index and never the case documents.
ALTER TABLE case_tasks ADD COLUMN child_name TEXT;
ALTER TABLE case_tasks ADD COLUMN risk_level TEXT;
