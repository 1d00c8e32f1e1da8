import { cliBuild } from '../../tsup.cli.js';

export default cliBuild();
