import { onMounted, ref, shallowRef, watch } from 'vue';
import type { Manifest } from 'sync-server/contract';
import { rejectedEntries } from '../feedback/outbox';
import { openOutboxDb } from '../feedback/outbox-db';
import { useFeedback } from '../feedback/use-feedback';
import { errorMessage } from '../log';
import { readManifest } from '../model/manifest';
import { latestManifest } from '../model/manifest-poll';
import { answerList, type AnswerRow } from './answer-list';
import { openSentDb } from './sent-db';

export type AnswersState = 'loading' | 'ready' | 'error';

async function manifestOrNull(): Promise<Manifest | null> {
  if (latestManifest.value) return latestManifest.value;
  // Network first, the copy kept on this device second: the list reads offline too.
  return readManifest()
    .then((r) => r.manifest)
    .catch(() => null);
}

/** Your answers from this device's databases, refreshed when the outbox changes. */
export function useAnswers() {
  const state = ref<AnswersState>('loading');
  const error = ref<string | null>(null);
  const rows = shallowRef<AnswerRow[]>([]);
  const inLive = ref(0);
  const { pending, lastSync } = useFeedback();

  async function load(): Promise<void> {
    try {
      const [outbox, sent, manifest] = await Promise.all([
        openOutboxDb(),
        openSentDb(),
        manifestOrNull(),
      ]);
      const [waiting, refused, kept] = await Promise.all([
        outbox.getAll('outbox'),
        rejectedEntries(outbox),
        sent.getAll('sent'),
      ]);
      const list = answerList({
        waiting: waiting.map((e) => e.item),
        refused,
        sent: kept,
        manifest,
      });
      rows.value = list.rows;
      inLive.value = list.inLive;
      state.value = 'ready';
    } catch (err) {
      error.value = `Your answers could not be read on this device: ${errorMessage(err)}`;
      state.value = 'error';
    }
  }

  onMounted(() => void load());
  watch([pending, lastSync, latestManifest], () => void load());
  return { state, error, rows, inLive, reload: load };
}
