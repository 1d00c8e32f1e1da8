import { ReplayBuffer, ReplayConfigError } from '../src';
import { ACT_DIM, OBS_DIM, addEpisodes, makeBuffer, transition } from './fixtures';

describe('ReplayBuffer storage', () => {
  it('preallocates the columns from the config and starts empty', () => {
    const buffer = makeBuffer(5);
    expect(buffer.capacity).toBe(5);
    expect(buffer.size).toBe(0);
    expect(buffer.isFull).toBe(false);
    expect(buffer.storage.observation.length).toBe(5 * OBS_DIM);
    expect(buffer.storage.action.length).toBe(5 * ACT_DIM);
    expect(buffer.storage.observation).toBeInstanceOf(Float32Array);
    expect(buffer.storage.reward.length).toBe(5);
  });

  it('stores number[], Float32Array and Float64Array inputs as Float32 rows', () => {
    const buffer = makeBuffer(4);
    buffer.add({
      observation: [0.1, 2, 3],
      action: new Float64Array([0.25, -1 / 3]),
      reward: 1.5,
      nextObservation: new Float32Array([4, 5, 6]),
      terminated: true,
    });
    const c = buffer.storage;
    expect(Array.from(c.observation.subarray(0, 3))).toEqual([Math.fround(0.1), 2, 3]);
    expect(Array.from(c.action.subarray(0, 2))).toEqual([0.25, Math.fround(-1 / 3)]);
    expect(Array.from(c.nextObservation.subarray(0, 3))).toEqual([4, 5, 6]);
    expect(c.reward[0]).toBe(1.5);
    expect(c.terminated[0]).toBe(1);
    expect(c.truncated[0]).toBe(0);
  });

  it('wraps around: the write head returns to slot 0 and overwrites the oldest transition', () => {
    const buffer = makeBuffer(4);
    addEpisodes(buffer, [{ length: 6, end: 'open' }]); // global steps 0..5
    expect(buffer.size).toBe(4);
    expect(buffer.isFull).toBe(true);
    expect(buffer.writeHead).toBe(2);
    expect(buffer.oldestSlot).toBe(2);
    expect(buffer.totalAdded).toBe(6);
    // Slots 0, 1 hold steps 4, 5; slots 2, 3 still hold steps 2, 3.
    const firstObs = [0, 1, 2, 3].map((slot) => buffer.storage.observation[slot * OBS_DIM]);
    expect(firstObs).toEqual([4, 5, 2, 3]);
  });

  it('counts episodeStep within an episode and restarts it after terminated, truncated and endEpisode()', () => {
    const buffer = makeBuffer(10);
    addEpisodes(buffer, [
      { length: 3, end: 'terminated' },
      { length: 2, end: 'truncated' },
      { length: 2, end: 'open' },
    ]);
    buffer.endEpisode();
    buffer.add(transition(7, 3, 0, null));
    expect(Array.from(buffer.storage.episodeStep.subarray(0, 8))).toEqual([0, 1, 2, 0, 1, 0, 1, 0]);
    expect(Array.from(buffer.storage.terminated.subarray(0, 8))).toEqual([0, 0, 1, 0, 0, 0, 0, 0]);
    expect(Array.from(buffer.storage.truncated.subarray(0, 8))).toEqual([0, 0, 0, 0, 1, 0, 0, 0]);
  });

  it.each([
    [{ capacity: 0, observationDim: 3, actionDim: 1 }, /capacity must be a positive integer, got 0/],
    [{ capacity: 10.5, observationDim: 3, actionDim: 1 }, /capacity must be a positive integer/],
    [{ capacity: 10, observationDim: -1, actionDim: 1 }, /observationDim must be a positive integer/],
    [{ capacity: 10, observationDim: 3, actionDim: Number.NaN }, /actionDim must be a positive integer/],
  ])('rejects the config %j', (config, message) => {
    expect(() => new ReplayBuffer(config)).toThrow(ReplayConfigError);
    expect(() => new ReplayBuffer(config)).toThrow(message);
  });

  it('reports a failed allocation as a ReplayConfigError that names the size', () => {
    const huge = { capacity: 2 ** 40, observationDim: 376, actionDim: 17 };
    expect(() => new ReplayBuffer(huge)).toThrow(ReplayConfigError);
    expect(() => new ReplayBuffer(huge)).toThrow(/Could not allocate observation .*Lower the capacity/);
  });
});
