/**
 * `npm run lint:openapi`: the API document partners generate clients from
 * must pass redocly's recommended rules with no error and no warning. Builds
 * the real app (test platform: temporary SQLite, simulators) and lints
 * `/api/openapi.json`. Part of `npm run lint`, so CI checks it.
 */
import { startTestPlatform } from '../test/support/platform';

async function main() {
  process.env.NODE_ENV ??= 'test';
  const { createConfig, lintFromString } = await import('@redocly/openapi-core');
  const p = await startTestPlatform();
  try {
    const source = (await p.api.get('/api/openapi.json')).text;
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source, config, absoluteRef: 'openapi.json' } as never);
    for (const x of problems) console.error(`${x.severity} ${x.ruleId}: ${x.message} at ${x.location[0]?.pointer}`);
    const operations = Object.values(JSON.parse(source).paths as Record<string, object>).reduce(
      (n: number, ops) => n + Object.keys(ops).length,
      0,
    );
    console.log(`OpenAPI lint (redocly recommended): ${operations} operations, ${problems.length} problems`);
    process.exitCode = problems.length ? 1 : 0;
  } finally {
    await p.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
