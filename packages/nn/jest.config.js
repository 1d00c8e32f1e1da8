import { packageJestConfig } from '../../jest.preset.js';

// tfjs keeps its engine on the global object; jest's between-file global cleanup would otherwise
// warn when the engine is touched again by the next file's backend initialisation.
export default packageJestConfig(import.meta.url, { testEnvironmentOptions: { globalsCleanup: 'off' } });
