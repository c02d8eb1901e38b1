/**
 * `npm run check:weapp`: WeChat's own code-quality check (the list DevTools
 * shows before a release can be uploaded) on dist/weapp, run offline with
 * miniprogram-ci. Fails if any item fails. Builds dist/weapp first when it is
 * missing. The key and appid are throwaway placeholders: the check never
 * talks to WeChat, it only reads the package.
 */
import { generateKeyPairSync } from 'node:crypto';
import { Project, checkCodeQuality } from 'miniprogram-ci';
import { WEAPP_DIST, ensureWeappBuild } from './weapp-build';

const PLACEHOLDER_APPID = 'wx0000000000000000';

async function main() {
  ensureWeappBuild();
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const project = new Project({
    appid: PLACEHOLDER_APPID,
    type: 'miniProgram',
    projectPath: WEAPP_DIST,
    privateKey,
    ignores: ['node_modules/**/*'],
  });
  const items = await checkCodeQuality(project);
  let failed = 0;
  for (const item of items) {
    if (!item.success) failed++;
    // `text` says what is wrong; for the size item, `detail` has bytes per package.
    const sizes =
      item.name === 'PACKAGE_SIZE_LIMIT' && item.detail
        ? ` (${Object.entries(item.detail as Record<string, number>)
            .map(([pkg, bytes]) => `${pkg === '__APP__' ? 'main package' : pkg} ${(bytes / 1024).toFixed(1)} KB`)
            .join(', ')})`
        : '';
    console.log(`${item.success ? 'pass' : 'FAIL'}  ${item.name}${sizes}${item.success ? '' : `: ${item.text ?? ''}`}`);
  }
  console.log(`WeChat code quality: ${items.length - failed} of ${items.length} items pass`);
  if (failed) process.exitCode = 1;
}

if (require.main === module) {
  // miniprogram-ci leaves handles open after the check: exit explicitly.
  main().then(
    () => process.exit(process.exitCode ?? 0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
