import { distance } from 'fastest-levenshtein';

/**
 * The candidate nearest `name` in edit distance, when near enough to be a likely typo (at most 2 edits,
 * or a quarter of the name for long ones); ties go to the first candidate.
 */
export function nearestName(name: string, candidates: Iterable<string>): string | undefined {
  const wanted = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const d = distance(wanted, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 4)) ? best : undefined;
}

/** ` (did you mean "x"?)` for the candidate nearest `name`, or '' when none is near. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const nearest = nearestName(name, candidates);
  return nearest === undefined || nearest === name ? '' : ` (did you mean ${JSON.stringify(nearest)}?)`;
}
