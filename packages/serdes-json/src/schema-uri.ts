// Relative names resolve against one another the way URLs do; this base stands in for "no base".
const RELATIVE_BASE = 'http://relative.invalid/';

/**
 * `ref` resolved against `base` the way `$ref`s resolve, without its fragment; either may be relative
 * (a reference registered as `address.json`), and so is the result then. Text that is no URI at all
 * comes back as it is.
 */
export function resolveUri(ref: string, base: string): string {
  if (!URL.canParse(base, RELATIVE_BASE)) return ref;
  const baseUrl = new URL(base, RELATIVE_BASE);
  if (!URL.canParse(ref, baseUrl.href)) return ref;
  const url = new URL(ref, baseUrl);
  url.hash = '';
  return url.href.startsWith(RELATIVE_BASE) ? url.href.slice(RELATIVE_BASE.length) : url.href;
}
