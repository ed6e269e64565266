import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp } from './support/test-app';

/**
 * The committed schema.gql is the code-first schema as the app generates it. A change to any resolver, type or
 * argument that is not followed by `npm run schema:update` fails here (and so in CI).
 */
describe('schema.gql', () => {
  it('is the schema the code generates', async () => {
    const t = await startTestApp();
    try {
      const generated = readFileSync(t.cfg.graphql.schemaFile as string, 'utf8');
      const committedPath = join(__dirname, '..', 'schema.gql');
      if (process.env.SCHEMA_UPDATE === '1') copyFileSync(t.cfg.graphql.schemaFile as string, committedPath);
      const committed = readFileSync(committedPath, 'utf8');
      if (committed !== generated) {
        throw new Error('schema.gql is stale: run `npm run schema:update` and commit the result');
      }
      expect(generated).toMatch(/type Query \{/);
    } finally {
      await t.close();
    }
  });
});
