import type { FeedbackItem, Manifest } from 'sync-server/contract';
import { versionName } from '../model/version-name';
import type { SentEntry } from './sent-db';

/** Where one of your answers is now. */
export type AnswerState =
  | { kind: 'waiting' }
  | { kind: 'refused'; reason: string }
  | { kind: 'sent' }
  | { kind: 'used'; version: string; name: string };

export interface AnswerRow {
  item: FeedbackItem;
  state: AnswerState;
}

export interface AnswerSources {
  waiting: FeedbackItem[];
  refused: { item: FeedbackItem; reason: string }[];
  sent: SentEntry[];
  /** The last manifest seen (null offline on a first visit): which versions used which subsets. */
  manifest: Manifest | null;
}

/** The first version (oldest) that trained on each subset. */
function firstUse(manifest: Manifest | null): Map<number, string> {
  const uses = new Map<number, string>();
  const versions = [...(manifest?.versions ?? [])].sort((a, b) =>
    a.version.localeCompare(b.version),
  );
  for (const v of versions)
    for (const s of v.trainedOn.subsets) if (!uses.has(s)) uses.set(s, v.version);
  return uses;
}

/**
 * The subsets the live model learned from: its own and its ancestors' (each retrain fine-tunes
 * its parent, so what a parent learned stays in).
 */
export function liveSubsets(manifest: Manifest | null): Set<number> {
  const byVersion = new Map(manifest?.versions.map((v) => [v.version, v]));
  const subsets = new Set<number>();
  let at = manifest ? byVersion.get(manifest.current) : undefined;
  const seen = new Set<string>();
  while (at && !seen.has(at.version)) {
    seen.add(at.version);
    for (const s of at.trainedOn.subsets) subsets.add(s);
    at = at.parent ? byVersion.get(at.parent) : undefined;
  }
  return subsets;
}

/** Your answers newest first, each with its state; and how many the live model learned from. */
export function answerList(sources: AnswerSources): { rows: AnswerRow[]; inLive: number } {
  const uses = firstUse(sources.manifest);
  const live = liveSubsets(sources.manifest);
  const sentState = (e: SentEntry): AnswerState => {
    const version = e.subset === null ? undefined : uses.get(e.subset);
    if (!version || !sources.manifest) return { kind: 'sent' };
    return { kind: 'used', version, name: versionName(sources.manifest, version) };
  };
  const rows: AnswerRow[] = [
    ...sources.waiting.map((item) => ({ item, state: { kind: 'waiting' } as const })),
    ...sources.refused.map(({ item, reason }) => ({
      item,
      state: { kind: 'refused', reason } as const,
    })),
    ...sources.sent.map((e) => ({ item: e.item, state: sentState(e) })),
  ];
  rows.sort((a, b) => b.item.createdAt.localeCompare(a.item.createdAt));
  const inLive = sources.sent.filter((e) => e.subset !== null && live.has(e.subset)).length;
  return { rows, inLive };
}

/** The state in words. */
export function stateText(state: AnswerState): string {
  switch (state.kind) {
    case 'waiting':
      return 'Waiting on this device';
    case 'refused':
      return `Refused by the server: ${state.reason}`;
    case 'sent':
      return 'Sent, not used in a model yet';
    case 'used':
      return `Used in ${state.name}`;
  }
}
