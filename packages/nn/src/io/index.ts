export * from './atomic-write';
export * from './tensor-file';
export * from './parameters';
