export { inkStats, type Box, type InkStats } from './ink-stats';
export { screenDrawing, screenPhoto, type ScreenVerdict, type UnsureReason } from './screen-rule';
export { UNSURE_TEXT } from './unsure-text';
