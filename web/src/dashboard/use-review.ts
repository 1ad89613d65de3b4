import { onBeforeUnmount, ref, shallowRef } from 'vue';
import type { ReviewItem, ReviewRequest, ReviewState, ReviewVerdict } from 'sync-server/contract';
import { decideReview, fetchReviewImage, fetchReviewPage } from './review-api';
import { afterDecision } from './review-grid';

type Load = 'idle' | 'loading' | 'done' | 'error';

/**
 * The review queue as the Review tab shows it: one state at a time, paged by the server's
 * cursor, thumbnails fetched behind the admin token (object URLs, revoked when dropped).
 */
export function useReview(token: () => string) {
  const shown = ref<ReviewState>('pending');
  const items = shallowRef<ReviewItem[]>([]);
  const next = ref<string | null>(null);
  const pending = ref<number | null>(null);
  const load = ref<Load>('idle');
  const message = ref<string | null>(null);
  const images = ref<Record<string, string>>({});
  let generation = 0;

  function dropImages(): void {
    for (const url of Object.values(images.value)) URL.revokeObjectURL(url);
    images.value = {};
  }

  async function loadImages(batch: ReviewItem[], gen: number): Promise<void> {
    await Promise.all(
      batch.map(async (item) => {
        const url = await fetchReviewImage(token(), item.id);
        if (!url) return;
        // A filter switched meanwhile: this picture belongs to a list no longer shown.
        if (gen !== generation) return URL.revokeObjectURL(url);
        images.value = { ...images.value, [item.id]: url };
      }),
    );
  }

  /** Loads the first page of `state` (or the next page of the one shown, with `more`). */
  async function open(state: ReviewState, more = false): Promise<void> {
    if (!more) {
      generation++;
      shown.value = state;
      items.value = [];
      next.value = null;
      dropImages();
    }
    const gen = generation;
    load.value = 'loading';
    const result = await fetchReviewPage(token(), state, more ? next.value : null);
    if (gen !== generation) return;
    if (!result.ok) {
      load.value = 'error';
      message.value = result.message;
      return;
    }
    load.value = 'done';
    items.value = [...items.value, ...result.value.items];
    next.value = result.value.next;
    pending.value = result.value.pending;
    void loadImages(result.value.items, gen);
  }

  /** Records a decision; true when the server has it on disk and the list was updated. */
  async function decide(request: ReviewRequest, decided: ReviewItem[]): Promise<boolean> {
    const result = await decideReview(token(), request);
    if (!result.ok) {
      message.value = result.message;
      return false;
    }
    const ids = new Set(decided.map((i) => i.id.toLowerCase()));
    items.value = afterDecision(items.value, ids, request.decision, shown.value);
    pending.value = result.value.pending;
    message.value = `${VERB[request.decision]} ${result.value.decided} ${
      result.value.decided === 1 ? 'answer' : 'answers'
    }.`;
    return true;
  }

  const decideOne = (item: ReviewItem, decision: ReviewVerdict) =>
    decide({ ids: [item.id], decision }, [item]);

  /** Rejects everything the item's client sent, listed here or not. */
  const rejectClient = (clientId: string) =>
    decide(
      { clientId, decision: 'reject' },
      items.value.filter((i) => i.clientId === clientId),
    );

  onBeforeUnmount(dropImages);
  return { shown, items, next, pending, load, message, images, open, decideOne, rejectClient };
}

const VERB: Record<ReviewVerdict, string> = { accept: 'Accepted', reject: 'Rejected' };
