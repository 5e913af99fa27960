import { useCallback, useEffect, useState } from 'react';

/**
 * What an officer types about a case (disposition, reason, note), kept in the tab's session
 * storage until the action succeeds: an error, a conflict, a reload or an expired session never
 * loses it.
 */
export interface CaseDraft {
  readonly disposition: string;
  readonly reason: string;
  readonly note: string;
  readonly rejectReason: string;
}

const EMPTY: CaseDraft = { disposition: '', reason: '', note: '', rejectReason: '' };
const keyOf = (caseId: string) => `treasury-compliance-console:draft:${caseId}`;

function read(caseId: string): CaseDraft {
  try {
    const stored = window.sessionStorage.getItem(keyOf(caseId));
    return stored ? { ...EMPTY, ...(JSON.parse(stored) as Partial<CaseDraft>) } : EMPTY;
  } catch {
    return EMPTY;
  }
}

export function useCaseDraft(caseId: string) {
  const [draft, setDraft] = useState<CaseDraft>(() => read(caseId));
  useEffect(() => setDraft(read(caseId)), [caseId]);
  const update = useCallback(
    (patch: Partial<CaseDraft>) =>
      setDraft((current) => {
        const next = { ...current, ...patch };
        window.sessionStorage.setItem(keyOf(caseId), JSON.stringify(next));
        return next;
      }),
    [caseId],
  );
  const clear = useCallback(
    (fields: readonly (keyof CaseDraft)[]) => update(Object.fromEntries(fields.map((field) => [field, ''])) as Partial<CaseDraft>),
    [update],
  );
  return { draft, update, clear };
}
