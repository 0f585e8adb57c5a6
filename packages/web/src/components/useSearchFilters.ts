import { useCallback } from 'react';
import { useSearchParams } from 'react-router-dom';

/** A change to the page's filters: a value sets the parameter, an empty one removes it. */
export type FilterChanges = Record<string, string | null | undefined>;

/**
 * A list page's filters live in its URL, so a filtered view can be bookmarked and shared. `update`
 * replaces the history entry rather than pushing one per keystroke: « Retour » leaves the page.
 */
export function useSearchFilters(): [URLSearchParams, (changes: FilterChanges) => void] {
  const [params, setParams] = useSearchParams();
  const update = useCallback(
    (changes: FilterChanges) =>
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          for (const [key, value] of Object.entries(changes)) {
            if (value) next.set(key, value);
            else next.delete(key);
          }
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  return [params, update];
}
