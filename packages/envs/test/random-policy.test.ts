/** Uniformly random actions give returns in the ranges known for these tasks. */
import { infoNumber, makeEnv, type EpisodeSummary } from '../src/index';
import { Rng } from '@mbrl-ts/rng';

async function randomEpisodes(
  id: string,
  episodes: number,
  maxEpisodeSteps?: number,
): Promise<EpisodeSummary[]> {
  const env = await makeEnv(id, { episodeStatistics: true, maxEpisodeSteps });
  const rng = new Rng(11);
  const out: EpisodeSummary[] = [];
  env.reset({ seed: 11 });
  while (out.length < episodes) {
    const s = env.step(env.actionSpace.sample(rng));
    if (s.info.episode !== undefined) {
      out.push(s.info.episode);
      env.reset();
    }
  }
  env.close();
  return out;
}

describe('random policy returns', () => {
  test('HalfCheetah-v4: a 1000-step episode returns about -300 (control cost ~0.2/step, no forward progress)', async () => {
    const [episode] = await randomEpisodes('HalfCheetah-v4', 1);
    expect(episode.length).toBe(1000);
    expect(episode.return).toBeGreaterThan(-600);
    expect(episode.return).toBeLessThan(0);
  });

  test('Hopper-v4 and Walker2d-v4: random episodes fall within tens of steps', async () => {
    for (const id of ['Hopper-v4', 'Walker2d-v4']) {
      const episodes = await randomEpisodes(id, 10);
      const mean = episodes.reduce((s, e) => s + e.return, 0) / episodes.length;
      expect(mean).toBeGreaterThan(-20);
      expect(mean).toBeLessThan(100);
      for (const e of episodes) expect(e.length).toBeLessThan(300);
    }
  });

  test('InvertedPendulum-v4: random actions keep the pole up for a few steps only', async () => {
    const episodes = await randomEpisodes('InvertedPendulum-v4', 20);
    for (const e of episodes) {
      expect(e.return).toBe(e.length); // reward 1 per step
      expect(e.length).toBeLessThan(100);
    }
  });

  test('Pendulum-v1: a 200-step episode costs between 0 and 2000', async () => {
    const [episode] = await randomEpisodes('Pendulum-v1', 1);
    expect(episode.length).toBe(200);
    expect(episode.return).toBeLessThan(0);
    expect(episode.return).toBeGreaterThan(-2000);
  });

  test('info carries the reward terms', async () => {
    const env = await makeEnv('Walker2d-v4');
    env.reset({ seed: 0 });
    const s = env.step([0, 0, 0, 0, 0, 0]);
    const sum =
      infoNumber(s.info, 'reward_forward') +
      infoNumber(s.info, 'reward_healthy') +
      infoNumber(s.info, 'reward_ctrl');
    expect(s.reward).toBeCloseTo(sum, 12);
    env.close();
  });
});
