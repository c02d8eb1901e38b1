import { ensureConsoleBuild } from './console-build';
import { ensureH5Build } from './h5-build';

/**
 * `npm start`: build the H5 site and the staff console if their sources
 * changed, then run the server, which starts the simulators, migrates the
 * database and loads demo data.
 */
ensureH5Build();
ensureConsoleBuild();
require('../server/src/main');
