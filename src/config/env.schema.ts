import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';

/** Parses 'true'/'false'/'1'/'0'/'yes'/'no' (any case); anything else is kept so that validation names it. */
const toBool = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  return value;
};
/** Integers only: '3000' -> 3000, 'abc' and '30.5' stay strings so validation names the variable. */
const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;

/**
 * Every environment variable siqian reads, validated once at boot (src/config/config.ts).
 * The README's env table mirrors this class; keep both in step. Defaults live in config.ts.
 */
export class EnvVars {
  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV?: 'development' | 'production' | 'test';

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT?: number;

  @IsOptional()
  @IsString()
  @MinLength(1)
  HOST?: string;

  @IsOptional()
  @IsString()
  @Matches(/^mongodb(\+srv)?:\/\/[^\s/]+(\/[^\s]*)?$/, {
    message: 'must be a mongodb:// or mongodb+srv:// URI',
  })
  MONGODB_URI?: string;

  @IsOptional()
  @IsString()
  @Matches(/^rediss?:\/\/[^\s]+$/, { message: 'must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  DATA_DIR?: string;

  @IsOptional()
  @IsIn(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'])
  LOG_LEVEL?: string;

  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  LOG_PRETTY?: boolean;

  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  WORKER_IN_API?: boolean;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(500)
  WORKER_CONCURRENCY?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  WORKER_YIELD_MAX_MS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  FRONT_DOOR_BUSY_REQUESTS?: number;

  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  GRAPHQL_INTROSPECTION?: boolean;

  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  GRAPHQL_LANDING_PAGE?: boolean;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(50)
  GRAPHQL_MAX_DEPTH?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(1_000_000)
  GRAPHQL_MAX_COST?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  STORE_QUERY_TIMEOUT_MS?: number;

  @IsOptional()
  @IsString()
  @Matches(/^\d+(kb|mb)$/i, { message: "must look like '100kb' or '1mb'" })
  BODY_LIMIT?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  SCHEMA_FILE?: string;

  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  DIAGNOSTICS_ENABLED?: boolean;

  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters' })
  JWT_SECRET?: string;

  @IsOptional()
  @IsString()
  @Matches(/^[0-9a-fA-F]{64}$/, { message: 'must be 64 hex characters (a 256-bit key)' })
  PII_ENCRYPTION_KEY?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  QUEUE_PREFIX?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600_000)
  SHUTDOWN_TIMEOUT_MS?: number;

  @IsOptional()
  @IsString()
  @MinLength(1)
  FERRETDB_BIN?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  REDIS_SERVER_BIN?: string;

  /** E-mail of the bootstrap ADMIN created on first start. */
  @IsOptional()
  @IsEmail({}, { message: 'must be an e-mail address' })
  ADMIN_EMAIL?: string;

  /** Password of the bootstrap ADMIN (used once, on first start). */
  @IsOptional()
  @IsString()
  @MinLength(12, { message: 'must be at least 12 characters' })
  ADMIN_PASSWORD?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(86_400)
  ACCESS_TOKEN_TTL_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(300)
  @Max(90 * 86_400)
  REFRESH_TOKEN_TTL_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  LOGIN_MAX_FAILURES?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86_400)
  LOGIN_LOCK_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  LOGIN_IP_MAX_FAILURES?: number;

  /** First delay an account's attempts wait after LOGIN_MAX_FAILURES failures; doubles per further failure. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3_600)
  LOGIN_DELAY_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86_400)
  LOGIN_MAX_DELAY_SECONDS?: number;

  /** Days an address that logged into an account stays that account holder's own address. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(365)
  LOGIN_KNOWN_ADDRESS_DAYS?: number;

  /** The previous PII key during a rotation: only decrypts; new values use PII_ENCRYPTION_KEY. */
  @IsOptional()
  @IsString()
  @Matches(/^[0-9a-fA-F]{64}$/, { message: 'must be 64 hex characters (a 256-bit key)' })
  PII_ENCRYPTION_KEY_PREVIOUS?: string;

  /** Public reports (src/reports): the largest loss a report may state, in whole yuan. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000_000_000)
  REPORT_MAX_LOSS_YUAN?: number;

  /** Public reports: how far back `occurredAt` may lie, in days. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(36_500)
  REPORT_MAX_AGE_DAYS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  SUBMIT_RATE_PER_IP?: number;

  /** Refused submitReport attempts per client address per SUBMIT_RATE_WINDOW_SECONDS (own budget). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  SUBMIT_INVALID_RATE_PER_IP?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  SUBMIT_RATE_PER_REPORTER?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86_400 * 7)
  SUBMIT_RATE_WINDOW_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  LOOKUP_RATE_PER_IP?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86_400)
  LOOKUP_RATE_WINDOW_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3_600)
  LOOKUP_CACHE_TTL_SECONDS?: number;

  /** k of the k-anonymous report-count band of `lookup`. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(2)
  @Max(1_000)
  LOOKUP_K_ANONYMITY?: number;

  /** Express `trust proxy`: false (default), true, a hop count, or a comma list of addresses/subnets/names. */
  @IsOptional()
  @IsString()
  @Matches(/^(true|false|\d{1,2}|[0-9A-Za-z.:/_, -]{1,500})$/, {
    message: 'must be true, false, a hop count or a list of addresses',
  })
  TRUST_PROXY?: string;

  /** Linking (src/linking): degree caps over the defaults, e.g. 'PHONE=50,URL=200' (parsed by parseDegreeCaps). */
  @IsOptional()
  @IsString()
  @Matches(/^\s*([A-Z_]+\s*=\s*\d+\s*)?(,\s*([A-Z_]+\s*=\s*\d+\s*)?)*$/, {
    message: "must look like 'PHONE=50,URL=200' (KIND=N, comma-separated)",
  })
  DEGREE_CAPS?: string;

  /** Linking: pending reports linked per hold of the linking lock (group commit). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  LINK_BATCH_SIZE?: number;

  /** Linking: lock lease in ms (renewed every third of it while held). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1_000)
  @Max(600_000)
  LINK_LOCK_TTL_MS?: number;

  /** Linking: how long an operation waits for the linking lock before failing (the job is retried). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  LINK_LOCK_WAIT_MS?: number;

  /** Identifiers: normalisation results remembered per process (an LRU; 0 turns the memo off). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  IDENTIFIER_MEMO_SIZE?: number;

  /** Clock (src/common/clock.ts): the instant the process's clock starts from (tests, demos); refused in production. */
  @IsOptional()
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/, {
    message: 'must be an ISO-8601 date-time with an offset',
  })
  CLOCK_START?: string;

  /** Cases: a public report whose loss exceeds this many yuan opens a case in its region's unit (0: never). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1_000_000_000_000)
  CASE_AUTO_OPEN_LOSS_YUAN?: number;

  /** Cases: SLA from opening to TRIAGED, in hours. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(8_760)
  CASE_SLA_TRIAGE_HOURS?: number;

  /** Cases: SLA from opening to the first action (a task done, a note, a payment stop), in hours. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(8_760)
  CASE_SLA_FIRST_ACTION_HOURS?: number;

  /** Cases: SLA from opening to a closed state, in days. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3_650)
  CASE_SLA_CLOSE_DAYS?: number;

  /**
   * Payment stops: the banks, as JSON `{"<BANKCODE>": {"url": "https://…", "secret": "whsec_…"}}` (the secret
   * signs requests to the bank and verifies its callbacks, Standard Webhooks v1).
   */
  @IsOptional()
  @IsString()
  BANK_ENDPOINTS?: string;

  /** Payment stops: time limit of one request to a bank, in ms. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(120_000)
  BANK_TIMEOUT_MS?: number;

  /** Payment stops: how often the worker repairs lost stop timers from their stored deadlines, in seconds. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3_600)
  PAYMENT_SWEEP_SECONDS?: number;
}
