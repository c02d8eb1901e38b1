import { ensureBuild, sourceHash as hashOf } from './build-stamp';

/** Everything the H5 bundle is built from. */
const INPUTS = ['miniprogram', 'config', 'babel.config.js', '.env', '.env.production', 'package-lock.json'];

export const sourceHash = () => hashOf(INPUTS);

/** Builds the H5 site unless the build on disk came from the same sources. */
export function ensureH5Build(log: (msg: string) => void = console.log): void {
  ensureBuild(
    {
      name: 'H5 site',
      dist: 'dist/h5',
      inputs: INPUTS,
      command: ['taro', 'build', '--type', 'h5'],
      hint: 'first start or sources changed; about 30-60 s',
    },
    log,
  );
}

if (require.main === module) ensureH5Build();
