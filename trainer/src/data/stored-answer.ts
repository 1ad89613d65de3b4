/** One stored answer as the metadata describes it, without its pixels. */
export interface StoredAnswer {
  /** The client's UUID when the metadata has one, else the file name (original system). */
  id: string;
  subset: number;
  label: number;
  createdAt: number;
  /** The metadata's `source` (`web_feedback` for this system's answers). */
  source: string;
  clientId?: string;
  /** Why the server held the answer for review (`burst`, ...); absent when none. */
  flags?: string[];
}

/** One labeled feedback image, in the model's pixel format. */
export interface FeedbackSample extends StoredAnswer {
  /** 784 bytes, 28×28, ink = 255, as the model reads them. */
  pixels: Uint8Array;
}

/** What one `sub_set_N` folder holds, decoded. */
export interface DecodedSubset {
  /** Entries listed or found (readable or not): the size the seal rule counts. */
  size: number;
  samples: FeedbackSample[];
  /** Files or entries that could not be used, with why (missing PNG, no ink, ...). */
  skipped: string[];
}
