import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuditAction } from '../audit/audit-actions';
import { AuditService } from '../audit/audit.service';
import { Role } from '../auth/roles';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { normaliseEmail } from './password';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';
import { UsersError, UsersErrorCode } from './users.errors';

/** The e-mail of the generated admin in embedded mode when ADMIN_EMAIL is unset. */
export const DEFAULT_EMBEDDED_ADMIN_EMAIL = 'admin@siqian.local';
export const ADMIN_CREDENTIALS_FILE = 'admin-credentials.txt';

/**
 * Creates the first ADMIN on first start.
 *
 * - ADMIN_EMAIL + ADMIN_PASSWORD set: that admin is created (once).
 * - Embedded mode without ADMIN_PASSWORD: a random password is generated for ADMIN_EMAIL (default
 *   admin@siqian.local), printed ONCE on stderr and written to DATA_DIR/admin-credentials.txt (mode 0600).
 *   Delete that file once you have changed or noted the password.
 * - Otherwise (external stores) with nothing set and no admin yet: a warning says how to create one.
 *
 * "First start" is decided by inserting the `user_bootstrap` marker document with a fixed `_id`: of two
 * processes starting at once, exactly one inserts it and creates the admin. Once the marker exists, later
 * starts do nothing (changing ADMIN_EMAIL/ADMIN_PASSWORD afterwards has no effect; admins manage users
 * through the API) — unless the marked admin's e-mail has no user (a crash between marker and user), in
 * which case the admin is created again.
 */
@Injectable()
export class BootstrapAdminService implements OnApplicationBootstrap {
  private readonly logger = new Logger(BootstrapAdminService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
    private readonly repo: UsersRepository,
    private readonly users: UsersService,
    private readonly audit: AuditService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureAdmin();
  }

  /** Returns the e-mail of the admin created by this call, or undefined when nothing was created. */
  async ensureAdmin(): Promise<string | undefined> {
    const { adminEmail, adminPassword } = this.cfg.auth;
    const generate = !adminPassword && this.cfg.embedded && this.cfg.env !== 'production';
    if (!adminPassword && !generate) {
      if (!(await this.repo.findBootstrapClaim())) {
        this.logger.warn(
          'No admin user exists yet. Set ADMIN_EMAIL and ADMIN_PASSWORD (12+ characters) and restart to create one.',
        );
      }
      return undefined;
    }
    const email = normaliseEmail(adminEmail ?? DEFAULT_EMBEDDED_ADMIN_EMAIL);
    if (!(await this.repo.claimBootstrap(email))) {
      const claim = await this.repo.findBootstrapClaim();
      if (!claim || (await this.repo.findByEmail(claim.email))) return undefined; // done earlier or by a sibling
      if (claim.pid !== process.pid && Date.now() - claim.claimedAt.getTime() < 60_000) return undefined; // a sibling is on it
    }
    const password = adminPassword ?? randomBytes(18).toString('base64url');
    let userId: string;
    try {
      const created = await this.users.insertUser(
        { email, displayName: 'Administrator', password, roles: [Role.ADMIN], unitCodes: [] },
        undefined,
      );
      userId = created._id;
    } catch (e) {
      if (e instanceof UsersError && e.code === UsersErrorCode.EMAIL_TAKEN) return undefined;
      throw e;
    }
    await this.audit.record({
      actorId: userId,
      action: AuditAction.BOOTSTRAP_ADMIN_CREATED,
      objectType: 'User',
      objectId: userId,
    });
    if (adminPassword) {
      this.logger.log(`Created the bootstrap admin ${email} from ADMIN_EMAIL / ADMIN_PASSWORD`);
    } else {
      this.announceGenerated(email, password);
    }
    return email;
  }

  private announceGenerated(email: string, password: string): void {
    const file = join(this.cfg.dataDir, ADMIN_CREDENTIALS_FILE);
    mkdirSync(this.cfg.dataDir, { recursive: true });
    writeFileSync(
      file,
      `# siqian bootstrap admin (embedded mode). Log in, then delete this file.\nemail=${email}\npassword=${password}\n`,
      { mode: 0o600 },
    );
    const bar = '='.repeat(72);
    process.stderr.write(
      `\n${bar}\n siqian: created the bootstrap ADMIN (shown once)\n   e-mail:   ${email}\n   password: ${password}\n` +
        ` also saved to ${file} (mode 0600): delete it once noted.\n Set ADMIN_EMAIL / ADMIN_PASSWORD to choose them yourself.\n${bar}\n\n`,
    );
  }
}
