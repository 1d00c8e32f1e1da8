// Root jest: one run over every package, app and tool that has a jest.config.js
// (the README's test command).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const projects = ['packages', 'apps', 'tools'].flatMap((group) =>
  existsSync(group)
    ? readdirSync(group)
        .map((name) => join(group, name, 'jest.config.js'))
        .filter((file) => existsSync(file))
        .map((file) => `<rootDir>/${file}`)
    : [],
);

// testTimeout is a global option: per-project values are ignored in a multi-project run.
export default { projects, testTimeout: 120_000 };
