import { ensureH5Build } from './h5-build';

/**
 * `npm start`: build the H5 site if its sources changed, then run the server,
 * which starts the simulators, migrates the database and loads demo data.
 */
ensureH5Build();
require('../server/src/main');
