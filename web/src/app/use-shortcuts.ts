import { onBeforeUnmount, onMounted, type Ref } from 'vue';

export interface ShortcutActions {
  digit: (d: number) => void;
  confirm: () => void;
  clear: () => void;
  /** Ctrl+Z: a stroke first, else the last answer. */
  undo: () => void;
}

// Keys typed into these belong to them, and Enter on these activates them.
const OWN_KEYS = 'input, textarea, select, [contenteditable="true"]';
const ACTIVATES = 'button, a, summary, label';

/**
 * The drawing page's keyboard: 0-9 answer, Enter confirms, Esc clears, Ctrl+Z undoes. Only
 * while `root` is shown (the view stays mounted behind other routes) and never while typing.
 */
export function useShortcuts(root: Ref<HTMLElement | null>, actions: ShortcutActions): void {
  function onKey(event: KeyboardEvent): void {
    const target = event.target instanceof Element ? event.target : null;
    if (event.defaultPrevented || !root.value?.offsetParent || target?.closest(OWN_KEYS)) return;
    const command = event.ctrlKey || event.metaKey;
    if (command && !event.altKey && event.key.toLowerCase() === 'z') {
      event.preventDefault();
      actions.undo();
      return;
    }
    if (command || event.altKey) return;
    if (/^[0-9]$/.test(event.key)) actions.digit(Number(event.key));
    else if (event.key === 'Enter' && !target?.closest(ACTIVATES)) actions.confirm();
    else if (event.key === 'Escape') actions.clear();
    else return;
    event.preventDefault();
  }
  onMounted(() => addEventListener('keydown', onKey));
  onBeforeUnmount(() => removeEventListener('keydown', onKey));
}
