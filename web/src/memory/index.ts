export { BLEND_DEFAULTS, blend, normalize, type Blended, type BlendOptions } from './blend';
export { MEMORY_CAP, type MemoryEntry } from './memory-db';
export { indexedDbStore } from './memory-store';
export { PersonalMemory, type Embed, type MemoryStore } from './personal-memory';
export { clearPersonalMemory, usePersonalMemory } from './use-personal-memory';
