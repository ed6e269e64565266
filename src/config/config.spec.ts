import { getMetadataStorage } from 'class-validator';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, ENV_VAR_NAMES, loadConfig, PROJECT_ROOT } from './config';
import { EnvVars } from './env.schema';

const SECRETS = { JWT_SECRET: 'j'.repeat(40), PII_ENCRYPTION_KEY: 'ab'.repeat(32) };
const EXTERNAL = {
  MONGODB_URI: 'mongodb://db.example:27017/siqian?replicaSet=rs0',
  REDIS_URL: 'redis://cache.example:6379',
  ...SECRETS,
};

function errorOf(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives the documented defaults for an external deployment', () => {
    const cfg = loadConfig({ ...EXTERNAL });
    expect(cfg.embedded).toBe(false);
    expect(cfg.http).toEqual({ host: '0.0.0.0', port: 3000, bodyLimit: '100kb', shutdownTimeoutMs: 10_000 });
    expect(cfg.worker).toEqual({ inApi: false, concurrency: 8, yieldMaxMs: 30_000, frontDoorBusyRequests: 8 });
    expect(cfg.graphql).toMatchObject({ introspection: true, landingPage: true, maxDepth: 12, maxCost: 5000 });
    expect(cfg.identifiers).toEqual({ memoSize: 20_000 });
    expect(loadConfig({ ...EXTERNAL, IDENTIFIER_MEMO_SIZE: '0' }).identifiers).toEqual({ memoSize: 0 });
    expect(cfg.secrets).toEqual({
      jwtSecret: SECRETS.JWT_SECRET,
      piiKey: Buffer.from(SECRETS.PII_ENCRYPTION_KEY, 'hex'),
      generated: false,
    });
  });

  it('turns introspection, landing page, diagnostics and the schema file off in production', () => {
    const cfg = loadConfig({ ...EXTERNAL, NODE_ENV: 'production' });
    expect(cfg.graphql).toMatchObject({ introspection: false, landingPage: false, schemaFile: undefined });
    expect(cfg.diagnosticsEnabled).toBe(false);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT', 'must be an integer number (got "abc")'],
    [{ PORT: '70000' }, 'PORT', 'must not be greater than 65535'],
    [{ PORT: '30.5' }, 'PORT', 'must be an integer number'],
    [{ WORKER_IN_API: 'maybe' }, 'WORKER_IN_API', 'must be a boolean value'],
    [{ WORKER_YIELD_MAX_MS: '-1' }, 'WORKER_YIELD_MAX_MS', 'must not be less than 0'],
    [{ FRONT_DOOR_BUSY_REQUESTS: '0' }, 'FRONT_DOOR_BUSY_REQUESTS', 'must not be less than 1'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL', 'must be one of the following values'],
    [{ BODY_LIMIT: '10 megs' }, 'BODY_LIMIT', "must look like '100kb' or '1mb'"],
    [{ GRAPHQL_MAX_DEPTH: '0' }, 'GRAPHQL_MAX_DEPTH', 'must not be less than 1'],
    [{ IDENTIFIER_MEMO_SIZE: '-1' }, 'IDENTIFIER_MEMO_SIZE', 'must not be less than 0'],
  ])('names the bad variable: %j', (bad, variable, detail) => {
    const e = errorOf({ ...EXTERNAL, ...bad });
    expect(e.variable).toBe(variable);
    expect(e.message).toContain(`invalid configuration: ${variable} ${detail}`);
    expect(e.message).not.toContain('\n');
  });

  it('never repeats a secret or a URI in the error line', () => {
    expect(errorOf({ ...EXTERNAL, JWT_SECRET: 'hunter2' }).message).not.toContain('hunter2');
    const e = errorOf({ ...EXTERNAL, MONGODB_URI: 'postgres://user:pa55word@host/db' });
    expect(e.variable).toBe('MONGODB_URI');
    expect(e.message).not.toContain('pa55word');
  });

  it('wants MONGODB_URI and REDIS_URL together', () => {
    expect(errorOf({ MONGODB_URI: EXTERNAL.MONGODB_URI, ...SECRETS }).variable).toBe('REDIS_URL');
    expect(errorOf({ REDIS_URL: EXTERNAL.REDIS_URL, ...SECRETS }).variable).toBe('MONGODB_URI');
  });

  it('requires the secrets outside embedded development mode', () => {
    expect(errorOf({ MONGODB_URI: EXTERNAL.MONGODB_URI, REDIS_URL: EXTERNAL.REDIS_URL }).variable).toBe('JWT_SECRET');
    expect(errorOf({ NODE_ENV: 'production', DATA_DIR: mkdtempSync(join(tmpdir(), 'cfg-')) }).variable).toBe(
      'JWT_SECRET',
    );
    expect(errorOf({ ...EXTERNAL, PII_ENCRYPTION_KEY: 'zz'.repeat(32) }).variable).toBe('PII_ENCRYPTION_KEY');
  });

  it('generates the secrets once into DATA_DIR in embedded mode (0600) and reuses them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const first = loadConfig({ DATA_DIR: dir });
    expect(first.embedded).toBe(true);
    expect(first.worker.inApi).toBe(true);
    expect(first.secrets.generated).toBe(true);
    expect(first.secrets.piiKey).toHaveLength(32);
    expect(statSync(join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
    const second = loadConfig({ DATA_DIR: dir });
    expect(second.secrets.jwtSecret).toBe(first.secrets.jwtSecret);
    expect(second.secrets.piiKey.equals(first.secrets.piiKey)).toBe(true);
  });

  it('reads exactly the variables the schema validates', () => {
    const validated = new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(EnvVars, '', true, false)
        .map((m) => m.propertyName),
    );
    expect([...validated].sort()).toEqual([...ENV_VAR_NAMES].sort());
  });

  it('has every variable in the README env table', () => {
    const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
    const missing = ENV_VAR_NAMES.filter((name) => !new RegExp(`^\\|\\s*\`${name}\`\\s*\\|`, 'm').test(readme));
    expect(missing).toEqual([]);
  });
});
