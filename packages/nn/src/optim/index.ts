export * from './selection';
export * from './clip';
export * from './adam';
export * from './target-update';
