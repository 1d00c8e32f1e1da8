/**
 * Bad input to mbrl-baselines: each case prints one line on stderr and exits with code 2, no stack
 * trace unless --verbose. Runs the CLI in-process (the same runCli the bin calls).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { runBaselines } from '../src/cli';

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      text += String(chunk);
      callback();
    },
  });
  return { stream, text: () => text };
}

async function run(...argv: string[]): Promise<Outcome> {
  const out = sink();
  const err = sink();
  const code = await runBaselines(argv, { stdout: out.stream, stderr: err.stream });
  return { code, stdout: out.text(), stderr: err.text() };
}

const dir = mkdtempSync(join(tmpdir(), 'baselines-cli-'));
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};

function expectUsageError(outcome: Outcome, pattern: RegExp): void {
  const lines = outcome.stderr.trimEnd().split('\n');
  expect(outcome.code).toBe(2);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^mbrl-baselines: error: /);
  expect(lines[0]).toMatch(pattern);
  expect(outcome.stderr).not.toMatch(/\n\s+at /);
}

describe('mbrl-baselines bad input', () => {
  it('unknown algorithm', async () => {
    expectUsageError(
      await run('train', '--algo', 'ppo', '--env', 'Pendulum-v1'),
      /unknown algorithm "ppo" \(known: sac, td3, sac-svg, svg1, mnm, redq, sac-avg, mbpo, mpc\)/,
    );
  });

  it('unknown env', async () => {
    expectUsageError(await run('train', '--algo', 'sac', '--env', 'Nope-v9'), /Nope-v9/);
  });

  it.each([
    '1.5',
    '-3',
    'abc',
    '',
    '0',
    '1e20',
    '99999999999999999999',
    '9007199254740993',
    '0x10',
    '1e3',
    ' 300 ',
    '100000001',
  ])('--steps %j', async (steps) => {
    expectUsageError(
      await run('train', '--algo', 'td3', '--env', 'Pendulum-v1', '--steps', steps),
      /--steps must be an integer from 1 to 100000000 in decimal digits, got /,
    );
  });

  it.each(['-1', '4294967296', '1e3', '0x10'])('--seed %j', async (seed) => {
    expectUsageError(
      await run('train', '--algo', 'td3', '--env', 'Pendulum-v1', '--seed', seed),
      /--seed must be an integer from 0 to 4294967295 in decimal digits/,
    );
  });

  it.each([
    ['batchSize=1e9', /"batchSize" must be an integer in decimal digits/],
    ['evalEpisodes=1e6', /"evalEpisodes" must be an integer in decimal digits from 1 to 1000/],
    ['evalEpisodes=1000000', /"evalEpisodes" must be <= 1000/],
    ['logEvery=1e30', /"logEvery" must be an integer in decimal digits/],
    ['warmupSteps= 10', /"warmupSteps" must be an integer in decimal digits/],
    ['__proto__=1', /--set: unknown key "__proto__" for sac/],
    ['toString=1', /--set: unknown key "toString" for sac/],
    ['constructor=1', /--set: unknown key "constructor" for sac/],
    ['hasOwnProperty=x', /--set: unknown key "hasOwnProperty" for sac/],
  ])('--set %s', async (setting, pattern) => {
    const out = join(dir, `never-${setting.replace(/\W/g, '_')}`);
    expectUsageError(
      await run('train', '--algo', 'sac', '--env', 'Pendulum-v1', '--out', out, '--set', setting),
      pattern,
    );
    expect(existsSync(out)).toBe(false);
  });

  it.each(['__proto__', 'toString', 'constructor', 'hasOwnProperty'])(
    'a config file with the key %s',
    async (key) => {
      const path = file(`proto-${key}.json`, `{"${key}": 1}`);
      expectUsageError(
        await run('train', '--algo', 'sac', '--env', 'Pendulum-v1', '--config', path),
        new RegExp(`unknown key "${key}" for sac`),
      );
    },
  );

  it('--horizon belongs to sac-svg: other algorithms refuse it, bad values name the key', async () => {
    expectUsageError(
      await run('train', '--algo', 'sac', '--env', 'Pendulum-v1', '--horizon', '2'),
      /--horizon is not a setting of sac \(it is for sac-svg\)/,
    );
    expectUsageError(
      await run('train', '--algo', 'sac-svg', '--env', 'Pendulum-v1', '--horizon', '0'),
      /--horizon: "horizon" must be >= 1, got 0/,
    );
    expectUsageError(
      await run('train', '--algo', 'sac-svg', '--env', 'Pendulum-v1', '--horizon', 'two'),
      /--horizon: "horizon" must be an integer/,
    );
  });

  it("--horizon H is recorded in the run configuration as the agent's horizon", async () => {
    const out = join(dir, 'svg-horizon');
    const outcome = await run(
      'train',
      '--algo',
      'sac-svg',
      '--env',
      'Pendulum-v1',
      '--horizon',
      '2',
      '--steps',
      '1',
      '--out',
      out,
      '--plain',
      '--set',
      'evalEpisodes=1',
      '--set',
      'hiddenSize=8',
      '--set',
      'latentSize=8',
      '--set',
      'encoderHiddenSize=8',
      '--set',
      'headHiddenSize=8',
    );
    expect(outcome.code).toBe(0);
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(config.agent.horizon).toBe(2);
    expectUsageError(
      await run('train', '--resume', out, '--horizon', '3'),
      /--horizon cannot change a run being resumed/,
    );
  }, 60_000);

  it('a missing run directory for eval', async () => {
    expectUsageError(
      await run('eval', '--run', join(dir, 'absent')),
      /run directory .*absent does not exist/,
    );
  });

  it('a missing run directory for --resume', async () => {
    expectUsageError(
      await run('train', '--resume', join(dir, 'absent')),
      /run directory .*absent does not exist/,
    );
  });

  it('a config file with an unknown key', async () => {
    const path = file('unknown.json', { batchSize: 64, learningRat: 0.001 });
    expectUsageError(
      await run('train', '--algo', 'sac', '--env', 'Pendulum-v1', '--config', path),
      /unknown key "learningRat" for sac/,
    );
  });

  it('a config file with a wrong type', async () => {
    const path = file('type.json', { batchSize: 'big' });
    expectUsageError(
      await run('train', '--algo', 'td3', '--env', 'Pendulum-v1', '--config', path),
      /"batchSize" must be an integer, got "big"/,
    );
  });

  it('a config file that is not JSON', async () => {
    const path = file('broken.json', '{ "batchSize": ');
    expectUsageError(
      await run('train', '--algo', 'sac', '--env', 'Pendulum-v1', '--config', path),
      /is not valid JSON/,
    );
  });

  it('a resume directory from another algorithm', async () => {
    const runDir = join(dir, 'sac-run');
    const trained = await run(
      'train',
      '--algo',
      'sac',
      '--env',
      'Pendulum-v1',
      '--steps',
      '40',
      '--backend',
      'wasm',
      '--plain',
      '--set',
      'warmupSteps=20',
      '--set',
      'batchSize=8',
      '--set',
      'hiddenSize=8',
      '--set',
      'checkpointEvery=20',
      '--set',
      'evalEvery=40',
      '--set',
      'evalEpisodes=1',
      '--out',
      runDir,
    );
    expect(trained.code).toBe(0);
    expectUsageError(await run('train', '--resume', runDir, '--algo', 'td3'), /is a sac run, not td3/);
    // the same directory evaluates fine
    const evaluated = await run('eval', '--run', runDir, '--episodes', '1', '--backend', 'wasm');
    expect(evaluated.code).toBe(0);
    const report = JSON.parse(evaluated.stdout.trim().split('\n').at(-1) as string);
    expect(report).toMatchObject({ checkpointStep: 40, episodes: 1, lengths: [200] });
  }, 120_000);

  it('a resume directory of an algorithm this app does not train', async () => {
    const runDir = join(dir, 'alm-run');
    mkdirSync(runDir);
    writeFileSync(
      join(runDir, 'config.json'),
      JSON.stringify({ algo: 'alm', env: 'Pendulum-v1', trainer: {}, agent: {} }),
    );
    expectUsageError(await run('train', '--resume', runDir), /is a alm run; mbrl-baselines trains sac, td3/);
  });

  it('--verbose shows the stack trace', async () => {
    const outcome = await run('--verbose', 'train', '--algo', 'ppo', '--env', 'Pendulum-v1');
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/unknown algorithm "ppo"/);
    expect(outcome.stderr).toMatch(/\n\s+at /);
  });
});

describe('mbrl-baselines --help', () => {
  it.each([[[]], [['train']], [['eval']], [['envs']]])(
    '%j --help prints usage and exits 0',
    async (command) => {
      const outcome = await run(...command, '--help');
      expect(outcome.code).toBe(0);
      expect(outcome.stdout).toMatch(/^Usage: mbrl-baselines/);
    },
  );

  it('train --help lists every flag', async () => {
    const { stdout } = await run('train', '--help');
    for (const flag of [
      '--algo',
      '--env',
      '--steps',
      '--seed',
      '--config',
      '--out',
      '--backend',
      '--resume',
      '--horizon',
    ]) {
      expect(stdout).toContain(flag);
    }
  });

  it('envs lists Pendulum-v1 with its sizes', async () => {
    const outcome = await run('envs');
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(/Pendulum-v1\s+obs\s+3\s+act\s+1\s+limit 200/);
  });
});
