import { initBackend, tf } from '@mbrl-ts/nn';
import { makeAlmAgent } from './alm-setup';
await initBackend('wasm');
const agent = makeAlmAgent(17, 6);
agent.update(0);
const info = await tf.profile(() => {
  agent.update(1);
});
const groups = new Map<string, { ms: number; calls: number }>();
for (const k of info.kernels) {
  if (!['Identity', 'Tanh', 'Sum', 'Multiply', 'Add', 'SplitV', 'Elu', 'Cast', 'Reshape'].includes(k.name))
    continue;
  const key = `${k.name} ${JSON.stringify(k.inputShapes)} -> ${JSON.stringify(k.outputShapes)}`;
  const g = groups.get(key) ?? { ms: 0, calls: 0 };
  const ms = await k.kernelTimeMs;
  g.ms += typeof ms === 'number' ? ms : 0;
  g.calls++;
  groups.set(key, g);
}
for (const [key, g] of [...groups].sort((a, b) => b[1].ms - a[1].ms).slice(0, 40))
  console.log(g.ms.toFixed(2).padStart(8), String(g.calls).padStart(5), key);
