import type { Manifest } from 'sync-server/contract';

const DAY = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });

/**
 * Every version this manifest knows was published, oldest first: the kept versions plus the
 * published attempts in the history, so numbers stay put when an old folder is pruned.
 */
export function publishedVersions(manifest: Manifest): string[] {
  const names = new Set(manifest.versions.map((v) => v.version));
  for (const h of manifest.history)
    if (h.outcome === 'published' && h.version) names.add(h.version);
  return [...names].sort();
}

/** When a version was made, from its name (`2026-11-29T…` → a Date). */
function dateOf(version: string): Date {
  const [day = '', time = ''] = version.split('T');
  const [h, m, s, ms] = time.replace(/Z$/, '').split('-');
  return new Date(`${day}T${h}:${m}:${s}.${ms}Z`);
}

/** A name for people: "v3 · 29 Nov"; the raw id stays for details. */
export function versionName(manifest: Manifest, version: string): string {
  const index = publishedVersions(manifest).indexOf(version);
  const published = versionDay(version);
  const day = published ? ` · ${published}` : '';
  return index < 0 ? `model${day}` : `v${index + 1}${day}`;
}

/** The day a version was published ("29 Nov"), or '' when its name carries none. */
export function versionDay(version: string): string {
  const date = dateOf(version);
  return Number.isNaN(date.getTime()) ? '' : DAY.format(date);
}

/** The short number alone ("v3"), for chart axes. */
export function versionNumber(manifest: Manifest, version: string): string {
  const index = publishedVersions(manifest).indexOf(version);
  return index < 0 ? '?' : `v${index + 1}`;
}
