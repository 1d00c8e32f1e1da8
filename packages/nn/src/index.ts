export { Rng, type RngState } from '@mbrl-ts/rng';
