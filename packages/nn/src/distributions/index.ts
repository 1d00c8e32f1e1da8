export * from './noise';
export * from './diag-gaussian';
export * from './bounded-gaussian';
export * from './truncated-normal';
