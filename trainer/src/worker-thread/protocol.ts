/** What a worker posts back for each request it `serve`s, in the order they came. */
export type Reply<T> = { ok: true; value: T } | { ok: false; error: string };
