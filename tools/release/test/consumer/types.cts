// The same through the CommonJS declarations (index.d.cts).
import { makeEnv } from '@mbrl-ts/envs';
import { Adam } from '@mbrl-ts/nn';
import { train } from '@mbrl-ts/harness';

export const used = [makeEnv, Adam, train];
