export * from './module';
export * from './orthogonal';
export * from './linear';
export * from './layer-norm';
export * from './activation';
export * from './sequential';
export * from './mlp';
