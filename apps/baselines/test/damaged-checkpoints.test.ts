/**
 * Damaged checkpoints and logs on resume and eval. A short SAC run on Pendulum-v1 keeps two
 * checkpoints (steps 20 and 40); each case damages a copy of it, then resumes it to step 50. Every
 * case either resumes from the older good checkpoint (with a warning naming the damage) and ends
 * bit for bit where the undamaged resume ends, or stops with one line and exit 2 and changes
 * nothing. Runs the CLI in-process.
 */
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { run } from './run-cli';

const work = mkdtempSync(join(tmpdir(), 'baselines-damage-'));
const base = join(work, 'base');
const settings = [
  'warmupSteps=10',
  'batchSize=8',
  'hiddenSize=8',
  'checkpointEvery=20',
  'evalEvery=20',
  'evalEpisodes=1',
  'logEvery=10',
];
const AGENT_FILES = ['parameters.bin', 'actor_adam.bin', 'critic_adam.bin', 'alpha_adam.bin', 'state.json'];

/** Every file below `dir` with its bytes, for "nothing changed" checks. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out[relative(dir, full)] = readFileSync(full).toString('base64');
    }
  };
  walk(dir);
  return out;
}

function finalState(dir: string) {
  const ckpt = join(dir, 'checkpoints', 'checkpoint-50', 'agent');
  return {
    agent: Object.fromEntries(AGENT_FILES.map((f) => [f, readFileSync(join(ckpt, f)).toString('base64')])),
    evaluations: readFileSync(join(dir, 'evaluations.csv'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(',').slice(0, 5).join(',')),
  };
}

let copies = 0;
function copyOfBase(): string {
  copies += 1;
  const dir = join(work, `copy-${copies}`);
  cpSync(base, dir, { recursive: true });
  return dir;
}

const latest = (dir: string, ...path: string[]) => join(dir, 'checkpoints', 'checkpoint-40', ...path);

function flipBit(path: string, at = 0.5): void {
  const bytes = readFileSync(path);
  bytes[Math.floor(bytes.length * at)] ^= 0x10;
  writeFileSync(path, bytes);
}

function changeDigit(path: string, pattern: RegExp): void {
  const text = readFileSync(path, 'utf8');
  const match = pattern.exec(text);
  if (!match) throw new Error(`no ${pattern} in ${path}`);
  const at = match.index + match[0].length - 1;
  const digit = text[at] === '9' ? '8' : String(Number(text[at]) + 1);
  writeFileSync(path, text.slice(0, at) + digit + text.slice(at + 1));
}

let reference: ReturnType<typeof finalState>;

beforeAll(async () => {
  const trained = await run(
    ...['train', '--algo', 'sac', '--env', 'Pendulum-v1', '--steps', '40', '--seed', '4'],
    ...['--backend', 'wasm', '--plain', '--out', base, ...settings.flatMap((kv) => ['--set', kv])],
  );
  expect(trained.code).toBe(0);
  expect(readdirSync(join(base, 'checkpoints')).sort()).toEqual(['checkpoint-20', 'checkpoint-40']);
  const undamaged = copyOfBase();
  const resumed = await run('train', '--resume', undamaged, '--steps', '50', '--plain');
  expect(resumed).toMatchObject({ code: 0, stderr: '' });
  expect(resumed.stdout).toContain('resumed from');
  reference = finalState(undamaged);
}, 120_000);

const fallbackCases: Array<[string, (dir: string) => void, RegExp]> = [
  [
    'a truncated parameters.bin',
    (d) => truncateSync(latest(d, 'agent', 'parameters.bin'), 100),
    /agent\/parameters.bin has 100 bytes/,
  ],
  [
    'a zero-length parameters.bin',
    (d) => truncateSync(latest(d, 'agent', 'parameters.bin'), 0),
    /agent\/parameters.bin has 0 bytes/,
  ],
  [
    'a bit flip in parameters.bin',
    (d) => flipBit(latest(d, 'agent', 'parameters.bin')),
    /agent\/parameters.bin does not match its checksum/,
  ],
  [
    'a bit flip in critic_adam.bin',
    (d) => flipBit(latest(d, 'agent', 'critic_adam.bin'), 0.9),
    /agent\/critic_adam.bin does not match/,
  ],
  [
    'a truncated actor_adam.bin',
    (d) => truncateSync(latest(d, 'agent', 'actor_adam.bin'), 7),
    /agent\/actor_adam.bin has 7 bytes/,
  ],
  [
    'a digit changed in state.json',
    (d) => changeDigit(latest(d, 'agent', 'state.json'), /\d/),
    /agent\/state.json does not match/,
  ],
  [
    "a digit changed in trainer.json's step",
    (d) => changeDigit(latest(d, 'trainer.json'), /"step": \d/),
    /trainer.json does not match/,
  ],
  [
    'a zero-length trainer.json',
    (d) => truncateSync(latest(d, 'trainer.json'), 0),
    /trainer.json has 0 bytes/,
  ],
  [
    'a parameter file whose shapes were changed',
    (d) => {
      const path = latest(d, 'agent', 'parameters.json');
      const manifest = JSON.parse(readFileSync(path, 'utf8'));
      manifest.tensors[0].shape = [...manifest.tensors[0].shape].reverse().concat([1]);
      writeFileSync(path, JSON.stringify(manifest));
    },
    /agent\/parameters.json has \d+ bytes|agent\/parameters.json does not match/,
  ],
  [
    'a missing agent/ folder',
    (d) => rmSync(latest(d, 'agent'), { recursive: true }),
    /agent\/actor_adam.bin is missing/,
  ],
  [
    'a truncated replay file',
    (d) => truncateSync(latest(d, 'replay', 'observation.1.bin'), 12),
    /replay\/observation.1.bin has 12 bytes/,
  ],
  [
    'a zero-length manifest',
    (d) => truncateSync(latest(d, 'COMPLETE.json'), 0),
    /its manifest COMPLETE.json cannot be read/,
  ],
  [
    'a manifest for another step',
    (d) => changeDigit(latest(d, 'COMPLETE.json'), /"step": \d/),
    /the manifest is for step 50/,
  ],
];

describe('a damaged latest checkpoint: the resume uses the older one and ends where an undamaged resume ends', () => {
  it.each(fallbackCases)(
    '%s',
    async (_name, damage, reason) => {
      const dir = copyOfBase();
      damage(dir);
      const resumed = await run('train', '--resume', dir, '--steps', '50', '--plain');
      const warnings = resumed.stderr.trimEnd().split('\n');
      expect(resumed.code).toBe(0);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/^mbrl-baselines: warning: checkpoint .*checkpoint-40 is damaged: /);
      expect(warnings[0]).toMatch(reason);
      expect(warnings[0]).toMatch(/; using an older checkpoint$/);
      expect(resumed.stdout).toMatch(/resumed from .*checkpoint-20 at step 20/);
      expect(finalState(dir)).toEqual(reference);
    },
    60_000,
  );
});

describe('damaged logs', () => {
  it('a torn last line of metrics.jsonl is dropped with a warning', async () => {
    const dir = copyOfBase();
    writeFileSync(
      join(dir, 'metrics.jsonl'),
      readFileSync(join(dir, 'metrics.jsonl'), 'utf8') + '{"step": 41, "crit',
    );
    const resumed = await run('train', '--resume', dir, '--steps', '50', '--plain');
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(
      /^mbrl-baselines: warning: .*metrics.jsonl: dropping its torn last line \d+ \(is not JSON\)/,
    );
    expect(finalState(dir)).toEqual(reference);
    for (const line of readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n')) JSON.parse(line);
  }, 60_000);

  it.each(['metrics.jsonl', 'evaluations.csv'])(
    'a missing %s is started again with a warning',
    async (file) => {
      const dir = copyOfBase();
      rmSync(join(dir, file));
      const resumed = await run('train', '--resume', dir, '--steps', '50', '--plain');
      expect(resumed.code).toBe(0);
      expect(resumed.stderr).toMatch(
        new RegExp(`warning: .*${file.replace('.', '\\.')} is missing; a new one is started`),
      );
      expect(finalState(dir).agent).toEqual(reference.agent);
      expect(existsSync(join(dir, file))).toBe(true);
    },
    60_000,
  );
});

describe('nothing usable: one line, exit 2, nothing changed', () => {
  const expectRefused = async (dir: string, pattern: RegExp) => {
    const before = snapshot(dir);
    const resumed = await run('train', '--resume', dir, '--steps', '50', '--plain');
    const lines = resumed.stderr.trimEnd().split('\n');
    expect(resumed.code).toBe(2);
    expect(lines.at(-1)).toMatch(/^mbrl-baselines: error: /);
    expect(lines.at(-1)).toMatch(pattern);
    expect(lines.filter((l) => /error/.test(l))).toHaveLength(1);
    expect(snapshot(dir)).toEqual(before);
  };

  it('both checkpoints damaged', async () => {
    const dir = copyOfBase();
    flipBit(latest(dir, 'agent', 'parameters.bin'));
    truncateSync(join(dir, 'checkpoints', 'checkpoint-20', 'trainer.json'), 3);
    await expectRefused(
      dir,
      /has no usable checkpoint \(checkpoint-40: agent\/parameters.bin does not match its checksum; checkpoint-20: trainer.json has 3 bytes.*\); nothing was changed or deleted/,
    );
    const evaluated = await run('eval', '--run', dir, '--episodes', '1');
    expect(evaluated.code).toBe(2);
    expect(evaluated.stderr).toMatch(/no usable checkpoint/);
  }, 60_000);

  it('metrics.jsonl damaged before its last line', async () => {
    const dir = copyOfBase();
    const lines = readFileSync(join(dir, 'metrics.jsonl'), 'utf8').split('\n');
    lines[0] = lines[0].slice(0, 5);
    writeFileSync(join(dir, 'metrics.jsonl'), lines.join('\n'));
    await expectRefused(dir, /metrics.jsonl: line 1 is not JSON; the file is damaged before its last line/);
  }, 60_000);

  it('evaluations.csv without its header', async () => {
    const dir = copyOfBase();
    const text = readFileSync(join(dir, 'evaluations.csv'), 'utf8');
    writeFileSync(join(dir, 'evaluations.csv'), text.split('\n').slice(1).join('\n'));
    await expectRefused(dir, /evaluations.csv does not start with the header step,episodes,/);
  }, 60_000);
});

describe('eval', () => {
  it('evaluates the older checkpoint when the latest is damaged, with a warning', async () => {
    const dir = copyOfBase();
    truncateSync(latest(dir, 'agent', 'parameters.bin'), 0);
    const evaluated = await run('eval', '--run', dir, '--episodes', '1');
    expect(evaluated.code).toBe(0);
    expect(evaluated.stderr).toMatch(
      /warning: checkpoint .*checkpoint-40 is damaged: agent\/parameters.bin has 0 bytes/,
    );
    expect(JSON.parse(evaluated.stdout.trim().split('\n').at(-1) as string)).toMatchObject({
      checkpointStep: 20,
    });
    expect(statSync(latest(dir, 'agent', 'parameters.bin')).size).toBe(0);
  }, 60_000);
});
