// After `npx mbrl-kernels-build` in the consumer project: which kernels initBackend('auto') takes.
import { initBackend } from '@mbrl-ts/kernels';

const backend = await initBackend('auto');
console.log(JSON.stringify(backend.kernels));
