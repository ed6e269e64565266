import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parseDegreeCaps } from '../identifiers/degree-caps';
import { DEFAULT_IDENTIFIER_MEMO_SIZE } from '../identifiers/memo';
import { EnvVars } from './env.schema';

/** Thrown for any bad variable; `message` is one line naming it. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`invalid configuration: ${variable} ${detail}`);
  }
}

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  /** True when MONGODB_URI and REDIS_URL are both unset: stores are started from DATA_DIR. */
  embedded: boolean;
  version: string;
  http: { host: string; port: number; bodyLimit: string; shutdownTimeoutMs: number };
  dataDir: string;
  /** queryTimeoutMs (STORE_QUERY_TIMEOUT_MS): the store's time limit for each query of a request; 0 = none. */
  mongo: { uri: string | undefined; queryTimeoutMs: number };
  redis: { url: string | undefined };
  log: { level: string; pretty: boolean };
  worker: {
    inApi: boolean;
    concurrency: number;
    /** WORKER_YIELD_MAX_MS: the longest a background job waits for a busy front door (src/queue/front-door.ts) */
    yieldMaxMs: number;
    /** FRONT_DOOR_BUSY_REQUESTS: GraphQL requests in flight from which an API process counts as busy */
    frontDoorBusyRequests: number;
  };
  queue: { prefix: string };
  graphql: {
    introspection: boolean;
    landingPage: boolean;
    maxDepth: number;
    maxCost: number;
    /** Where the code-first schema is written at boot; undefined = keep it in memory. */
    schemaFile: string | undefined;
  };
  diagnosticsEnabled: boolean;
  /** `piiPreviousKey` (PII_ENCRYPTION_KEY_PREVIOUS) only opens values sealed before a key rotation. */
  secrets: { jwtSecret: string; piiKey: Buffer; generated: boolean; piiPreviousKey?: Buffer };
  /** Staff authentication (src/auth, src/users). */
  auth: {
    /** Bootstrap admin (created once, on first start); in embedded mode a password is generated when unset. */
    adminEmail: string | undefined;
    adminPassword: string | undefined;
    accessTokenTtlSeconds: number;
    refreshTokenTtlSeconds: number;
    /** Failed logins per account (per address the account holder used: per pair) before delays start. */
    loginMaxFailures: number;
    /** How long failures are remembered, and how long a locked address stays locked. */
    loginLockSeconds: number;
    /** First delay after `loginMaxFailures` failures, doubling per further failure up to `loginMaxDelaySeconds`. */
    loginDelaySeconds: number;
    loginMaxDelaySeconds: number;
    /** An address that logged into an account is that holder's own address for this many days. */
    loginKnownAddressDays: number;
    /** Failed logins per client address (any e-mails) within `loginLockSeconds` before the address is locked. */
    loginIpMaxFailures: number;
  };
  /** Public reporting and lookup (src/reports). */
  reports: {
    /** Largest stated loss, in fen (REPORT_MAX_LOSS_YUAN × 100). */
    maxLossFen: number;
    maxAgeDays: number;
    /** New reports accepted per client address per window (replays and refused input are not counted). */
    submitPerIp: number;
    /** Refused (invalid) submitReport attempts per client address per window. */
    submitInvalidPerIp: number;
    submitPerReporter: number;
    submitWindowSeconds: number;
    lookupPerIp: number;
    lookupWindowSeconds: number;
    lookupCacheTtlSeconds: number;
    kAnonymity: number;
  };
  /** Express `trust proxy` (TRUST_PROXY): false, true, a hop count or a list of trusted addresses. */
  trustProxy: boolean | number | string;
  /** Linking engine and its serialisation (src/linking). */
  linking: {
    /** degree cap per identifier kind (DEGREE_CAPS over DEFAULT_DEGREE_CAPS) */
    degreeCaps: Record<string, number>;
    /** pending reports linked per lock hold */
    batchSize: number;
    lockTtlMs: number;
    lockWaitMs: number;
  };
  /** Identifier normalisation (src/identifiers). */
  identifiers: {
    /** IDENTIFIER_MEMO_SIZE: results remembered per process, see src/identifiers/memo.ts */
    memoSize: number;
  };
  bins: { ferretdb: string; redisServer: string };
  /** CLOCK_START: where this process's clock starts (src/common/clock.ts); unset = the system clock. */
  clockStart?: Date;
  /** Cases (src/cases). */
  cases: {
    /** a public report with a loss above this opens a case (0 = never) */
    autoOpenLossFen: number;
    slaTriageMs: number;
    slaFirstActionMs: number;
    slaCloseMs: number;
  };
  /** Urgent payment stops (src/payments). */
  payments: {
    /** bank code -> endpoint and its Standard Webhooks secret */
    banks: Record<string, { url: string; secret: string }>;
    bankTimeoutMs: number;
    sweepMs: number;
  };
}

/** The project root (where package.json is), whether running from src/ (ts-node, jest) or dist/. */
export const PROJECT_ROOT = resolve(__dirname, '..', '..');

function readVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

/**
 * Validates the environment once. Returns a typed, nested config; throws ConfigError naming the first bad
 * variable. Secrets: required when not embedded or NODE_ENV=production; in embedded mode they are generated
 * once into DATA_DIR/secrets.json (mode 0600) and reused, with a warning from the caller.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const raw: Record<string, string> = {};
  for (const key of ENV_VAR_NAMES) {
    const v = env[key];
    if (v !== undefined && v !== '') raw[key] = v;
  }
  const parsed = plainToInstance(EnvVars, raw);
  const errors = validateSync(parsed, { whitelist: true, forbidUnknownValues: true });
  if (errors.length > 0) {
    const e = errors[0];
    const constraints = e.constraints ?? {};
    // Name the type problem before the bounds: "abc" is "not an integer", not "greater than 65535".
    const key = TYPE_CONSTRAINTS.find((k) => k in constraints) ?? Object.keys(constraints)[0];
    const why = (key && constraints[key]) || 'is invalid';
    const echo = !NEVER_ECHOED.has(e.property) && ['string', 'number'].includes(typeof e.value);
    const shown = echo && String(e.value).length < 80 ? ` (got "${String(e.value)}")` : '';
    throw new ConfigError(e.property, `${why.replace(new RegExp(`^${e.property}\\s*`), '')}${shown}`);
  }
  const nodeEnv = parsed.NODE_ENV ?? 'development';
  if (Boolean(parsed.MONGODB_URI) !== Boolean(parsed.REDIS_URL)) {
    const missing = parsed.MONGODB_URI ? 'REDIS_URL' : 'MONGODB_URI';
    throw new ConfigError(missing, 'must be set too: set both MONGODB_URI and REDIS_URL, or neither (embedded mode)');
  }
  const embedded = !parsed.MONGODB_URI;
  const dataDirRaw = parsed.DATA_DIR ?? '.data';
  const dataDir = isAbsolute(dataDirRaw) ? dataDirRaw : resolve(process.cwd(), dataDirRaw);
  const production = nodeEnv === 'production';
  const secrets = resolveSecrets(parsed, embedded && !production, dataDir);
  const schemaFile = parsed.SCHEMA_FILE ?? (production ? undefined : join(PROJECT_ROOT, 'schema.gql'));
  if (parsed.ADMIN_PASSWORD && !parsed.ADMIN_EMAIL)
    throw new ConfigError('ADMIN_EMAIL', 'must be set when ADMIN_PASSWORD is');
  if (parsed.ADMIN_EMAIL && !parsed.ADMIN_PASSWORD && !(embedded && !production)) {
    throw new ConfigError(
      'ADMIN_PASSWORD',
      'must be set when ADMIN_EMAIL is (it is generated only in embedded development mode)',
    );
  }

  return {
    env: nodeEnv,
    embedded,
    version: readVersion(),
    http: {
      host: parsed.HOST ?? '0.0.0.0',
      port: parsed.PORT ?? 3000,
      bodyLimit: parsed.BODY_LIMIT ?? '100kb',
      shutdownTimeoutMs: parsed.SHUTDOWN_TIMEOUT_MS ?? 10_000,
    },
    dataDir,
    mongo: { uri: parsed.MONGODB_URI, queryTimeoutMs: parsed.STORE_QUERY_TIMEOUT_MS ?? 30_000 },
    redis: { url: parsed.REDIS_URL },
    log: { level: parsed.LOG_LEVEL ?? (nodeEnv === 'test' ? 'warn' : 'info'), pretty: parsed.LOG_PRETTY ?? false },
    worker: {
      inApi: parsed.WORKER_IN_API ?? embedded,
      concurrency: parsed.WORKER_CONCURRENCY ?? 8,
      yieldMaxMs: parsed.WORKER_YIELD_MAX_MS ?? 30_000,
      frontDoorBusyRequests: parsed.FRONT_DOOR_BUSY_REQUESTS ?? 8,
    },
    queue: { prefix: parsed.QUEUE_PREFIX ?? 'siqian' },
    graphql: {
      introspection: parsed.GRAPHQL_INTROSPECTION ?? !production,
      landingPage: parsed.GRAPHQL_LANDING_PAGE ?? !production,
      maxDepth: parsed.GRAPHQL_MAX_DEPTH ?? 12,
      maxCost: parsed.GRAPHQL_MAX_COST ?? 5_000,
      schemaFile: schemaFile && !isAbsolute(schemaFile) ? resolve(process.cwd(), schemaFile) : schemaFile,
    },
    diagnosticsEnabled: parsed.DIAGNOSTICS_ENABLED ?? !production,
    secrets: parsed.PII_ENCRYPTION_KEY_PREVIOUS
      ? { ...secrets, piiPreviousKey: Buffer.from(parsed.PII_ENCRYPTION_KEY_PREVIOUS, 'hex') }
      : secrets,
    auth: {
      adminEmail: parsed.ADMIN_EMAIL,
      adminPassword: parsed.ADMIN_PASSWORD,
      accessTokenTtlSeconds: parsed.ACCESS_TOKEN_TTL_SECONDS ?? 900,
      refreshTokenTtlSeconds: parsed.REFRESH_TOKEN_TTL_SECONDS ?? 14 * 24 * 3600,
      loginMaxFailures: parsed.LOGIN_MAX_FAILURES ?? 5,
      loginLockSeconds: parsed.LOGIN_LOCK_SECONDS ?? 900,
      loginIpMaxFailures: parsed.LOGIN_IP_MAX_FAILURES ?? 50,
      loginDelaySeconds: parsed.LOGIN_DELAY_SECONDS ?? 1,
      loginMaxDelaySeconds: parsed.LOGIN_MAX_DELAY_SECONDS ?? 60,
      loginKnownAddressDays: parsed.LOGIN_KNOWN_ADDRESS_DAYS ?? 30,
    },
    reports: {
      maxLossFen: (parsed.REPORT_MAX_LOSS_YUAN ?? 100_000_000) * 100,
      maxAgeDays: parsed.REPORT_MAX_AGE_DAYS ?? 3_650,
      submitPerIp: parsed.SUBMIT_RATE_PER_IP ?? 20,
      submitInvalidPerIp: parsed.SUBMIT_INVALID_RATE_PER_IP ?? 30,
      submitPerReporter: parsed.SUBMIT_RATE_PER_REPORTER ?? 10,
      submitWindowSeconds: parsed.SUBMIT_RATE_WINDOW_SECONDS ?? 3_600,
      lookupPerIp: parsed.LOOKUP_RATE_PER_IP ?? 120,
      lookupWindowSeconds: parsed.LOOKUP_RATE_WINDOW_SECONDS ?? 60,
      lookupCacheTtlSeconds: parsed.LOOKUP_CACHE_TTL_SECONDS ?? 30,
      kAnonymity: parsed.LOOKUP_K_ANONYMITY ?? 5,
    },
    trustProxy: parseTrustProxy(parsed.TRUST_PROXY),
    linking: {
      degreeCaps: parseCaps(parsed.DEGREE_CAPS),
      batchSize: parsed.LINK_BATCH_SIZE ?? 200,
      lockTtlMs: parsed.LINK_LOCK_TTL_MS ?? 30_000,
      lockWaitMs: parsed.LINK_LOCK_WAIT_MS ?? 120_000,
    },
    identifiers: { memoSize: parsed.IDENTIFIER_MEMO_SIZE ?? DEFAULT_IDENTIFIER_MEMO_SIZE },
    clockStart: parseClockStart(parsed.CLOCK_START, production),
    cases: {
      autoOpenLossFen: (parsed.CASE_AUTO_OPEN_LOSS_YUAN ?? 50_000) * 100,
      slaTriageMs: (parsed.CASE_SLA_TRIAGE_HOURS ?? 24) * 3_600_000,
      slaFirstActionMs: (parsed.CASE_SLA_FIRST_ACTION_HOURS ?? 72) * 3_600_000,
      slaCloseMs: (parsed.CASE_SLA_CLOSE_DAYS ?? 30) * 86_400_000,
    },
    payments: {
      banks: parseBanks(parsed.BANK_ENDPOINTS, production),
      bankTimeoutMs: parsed.BANK_TIMEOUT_MS ?? 10_000,
      sweepMs: (parsed.PAYMENT_SWEEP_SECONDS ?? 60) * 1_000,
    },
    bins: {
      ferretdb: parsed.FERRETDB_BIN ?? join(PROJECT_ROOT, '.bin', 'siqian-ferretdb'),
      redisServer: parsed.REDIS_SERVER_BIN ?? 'redis-server',
    },
  };
}

/** Values never repeated in an error line: secrets, and URIs that may carry a password. */
const NEVER_ECHOED = new Set([
  'JWT_SECRET',
  'PII_ENCRYPTION_KEY',
  'PII_ENCRYPTION_KEY_PREVIOUS',
  'ADMIN_PASSWORD',
  'MONGODB_URI',
  'REDIS_URL',
]);
const TYPE_CONSTRAINTS = ['isInt', 'isBoolean', 'isIn', 'matches', 'isString'];

/** Every variable read; config.spec.ts checks it against EnvVars' validated properties and the README table. */
export const ENV_VAR_NAMES = [
  'CLOCK_START',
  'CASE_AUTO_OPEN_LOSS_YUAN',
  'CASE_SLA_TRIAGE_HOURS',
  'CASE_SLA_FIRST_ACTION_HOURS',
  'CASE_SLA_CLOSE_DAYS',
  'BANK_ENDPOINTS',
  'BANK_TIMEOUT_MS',
  'PAYMENT_SWEEP_SECONDS',
  'NODE_ENV',
  'PORT',
  'HOST',
  'MONGODB_URI',
  'REDIS_URL',
  'DATA_DIR',
  'LOG_LEVEL',
  'LOG_PRETTY',
  'WORKER_IN_API',
  'WORKER_CONCURRENCY',
  'WORKER_YIELD_MAX_MS',
  'FRONT_DOOR_BUSY_REQUESTS',
  'GRAPHQL_INTROSPECTION',
  'GRAPHQL_LANDING_PAGE',
  'GRAPHQL_MAX_DEPTH',
  'GRAPHQL_MAX_COST',
  'STORE_QUERY_TIMEOUT_MS',
  'BODY_LIMIT',
  'SCHEMA_FILE',
  'DIAGNOSTICS_ENABLED',
  'JWT_SECRET',
  'PII_ENCRYPTION_KEY',
  'QUEUE_PREFIX',
  'SHUTDOWN_TIMEOUT_MS',
  'FERRETDB_BIN',
  'REDIS_SERVER_BIN',
  'ADMIN_EMAIL',
  'ADMIN_PASSWORD',
  'ACCESS_TOKEN_TTL_SECONDS',
  'REFRESH_TOKEN_TTL_SECONDS',
  'LOGIN_MAX_FAILURES',
  'LOGIN_LOCK_SECONDS',
  'LOGIN_IP_MAX_FAILURES',
  'LOGIN_DELAY_SECONDS',
  'LOGIN_MAX_DELAY_SECONDS',
  'LOGIN_KNOWN_ADDRESS_DAYS',
  'PII_ENCRYPTION_KEY_PREVIOUS',
  'REPORT_MAX_LOSS_YUAN',
  'REPORT_MAX_AGE_DAYS',
  'SUBMIT_RATE_PER_IP',
  'SUBMIT_INVALID_RATE_PER_IP',
  'SUBMIT_RATE_PER_REPORTER',
  'SUBMIT_RATE_WINDOW_SECONDS',
  'LOOKUP_RATE_PER_IP',
  'LOOKUP_RATE_WINDOW_SECONDS',
  'LOOKUP_CACHE_TTL_SECONDS',
  'LOOKUP_K_ANONYMITY',
  'TRUST_PROXY',
  'DEGREE_CAPS',
  'LINK_BATCH_SIZE',
  'LINK_LOCK_TTL_MS',
  'LINK_LOCK_WAIT_MS',
  'IDENTIFIER_MEMO_SIZE',
] as const;

/** DEGREE_CAPS -> caps per kind; a bad token is a ConfigError naming the variable. */
function parseClockStart(spec: string | undefined, production: boolean): Date | undefined {
  if (!spec) return undefined;
  if (production) throw new ConfigError('CLOCK_START', 'must not be set in production (it moves the clock)');
  const d = new Date(spec);
  if (Number.isNaN(d.getTime())) throw new ConfigError('CLOCK_START', `is not a date (got "${spec}")`);
  return d;
}

/**
 * BANK_ENDPOINTS: `{"<CODE>": {"url": "https://…", "secret": "whsec_…"}}`. Plain http is accepted only for a
 * loopback host outside production (a bank sink in tests or on a developer's machine).
 */
function parseBanks(spec: string | undefined, production: boolean): Record<string, { url: string; secret: string }> {
  if (!spec) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(spec);
  } catch {
    throw new ConfigError('BANK_ENDPOINTS', 'must be JSON: {"<BANKCODE>": {"url": "https://…", "secret": "whsec_…"}}');
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new ConfigError('BANK_ENDPOINTS', 'must be a JSON object keyed by bank code');
  const banks: Record<string, { url: string; secret: string }> = {};
  for (const [code, v] of Object.entries(raw as Record<string, unknown>)) {
    if (!/^[A-Z0-9_]{2,20}$/.test(code))
      throw new ConfigError('BANK_ENDPOINTS', `bank code "${code}" must be 2-20 of A-Z, 0-9, _`);
    const e = v as { url?: unknown; secret?: unknown };
    if (typeof e?.url !== 'string' || typeof e.secret !== 'string')
      throw new ConfigError('BANK_ENDPOINTS', `${code} needs "url" and "secret" strings`);
    let url: URL;
    try {
      url = new URL(e.url);
    } catch {
      throw new ConfigError('BANK_ENDPOINTS', `${code}.url is not a URL`);
    }
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback && !production))
      throw new ConfigError(
        'BANK_ENDPOINTS',
        `${code}.url must be https:// (plain http only for loopback outside production)`,
      );
    if (!/^whsec_[A-Za-z0-9+/=]{16,}$/.test(e.secret))
      throw new ConfigError('BANK_ENDPOINTS', `${code}.secret must be a Standard Webhooks secret (whsec_ + base64)`);
    banks[code] = { url: url.toString(), secret: e.secret };
  }
  return banks;
}

function parseCaps(spec: string | undefined): Record<string, number> {
  try {
    return parseDegreeCaps(spec);
  } catch (e) {
    throw new ConfigError('DEGREE_CAPS', (e as Error).message);
  }
}

/** TRUST_PROXY -> Express's `trust proxy` value: 'true'/'false' -> boolean, '2' -> hop count, else the list. */
function parseTrustProxy(v: string | undefined): boolean | number | string {
  if (v === undefined || v === 'false') return false;
  if (v === 'true') return true;
  return /^\d+$/.test(v) ? Number(v) : v;
}

function resolveSecrets(parsed: EnvVars, mayGenerate: boolean, dataDir: string): AppConfig['secrets'] {
  if (parsed.JWT_SECRET && parsed.PII_ENCRYPTION_KEY) {
    return { jwtSecret: parsed.JWT_SECRET, piiKey: Buffer.from(parsed.PII_ENCRYPTION_KEY, 'hex'), generated: false };
  }
  if (!mayGenerate) {
    throw new ConfigError(
      parsed.JWT_SECRET ? 'PII_ENCRYPTION_KEY' : 'JWT_SECRET',
      'is required outside embedded development mode (generate one with: openssl rand -hex 32)',
    );
  }
  const file = join(dataDir, 'secrets.json');
  let stored: { jwtSecret?: string; piiKey?: string } = {};
  if (existsSync(file)) {
    try {
      stored = JSON.parse(readFileSync(file, 'utf8')) as typeof stored;
    } catch {
      throw new ConfigError('DATA_DIR', `holds an unreadable ${file}; remove it to generate new secrets`);
    }
  }
  const next = {
    jwtSecret: parsed.JWT_SECRET ?? stored.jwtSecret ?? randomBytes(48).toString('base64url'),
    piiKey: parsed.PII_ENCRYPTION_KEY ?? stored.piiKey ?? randomBytes(32).toString('hex'),
  };
  if (next.jwtSecret !== stored.jwtSecret || next.piiKey !== stored.piiKey) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(next, null, 2), { mode: 0o600 });
  }
  return { jwtSecret: next.jwtSecret, piiKey: Buffer.from(next.piiKey, 'hex'), generated: true };
}
