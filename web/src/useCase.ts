// Whole cases for the screens that show or edit one. The `cases` list holds only what the case
// list needs, so a case's full record is read from the vault when its screen opens.

import { useEffect, useState } from 'preact/hooks';
import type { LocalCase } from './model';
import { cases, loadCase } from './sync';

/** Returns the whole case `id`: `undefined` while it is being read, `null` when this device has
 * no such case. It is read again whenever the case changes in `cases`. */
export function useCase(id: string | undefined): LocalCase | null | undefined {
  const summary = id === undefined ? undefined : cases.value.find((entry) => entry.id === id);
  const [loaded, setLoaded] = useState<{ id: string; record: LocalCase | undefined } | null>(null);

  useEffect(() => {
    if (!summary) return;
    let current = true;
    void loadCase(summary.id).then((record) => {
      if (current) setLoaded({ id: summary.id, record });
    });
    return () => {
      current = false;
    };
  }, [summary]);

  if (!summary) return null;
  // After a change the previous version stays shown until the new one has been read.
  if (loaded?.id !== summary.id) return undefined;
  return loaded.record ?? null;
}
