import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditAction } from '../audit/audit-actions';
import { AuditService } from '../audit/audit.service';
import { RequestMeta, StaffPrincipal } from '../auth/principal';
import { Role } from '../auth/roles';
import { assertInScope, Scope } from '../auth/scope';
import { PiiCipher } from '../common/crypto/pii-cipher';
import { ConnectionShape, decodeAfter, indexedConnection, pageSize, toConnection } from '../common/graphql/pagination';
import { countFiltered, readFiltered } from '../store/list-index';
import { ReferenceService } from '../reference/reference.service';
import { CreateUserInput, SetUserRolesInput, SetUserUnitsInput, UserFilter, UserStatusInput } from './dto/users.inputs';
import { User } from './models/user.model';
import { hashPassword, normaliseEmail } from './password';
import { UserRecord, UsersRepository } from './users.repository';
import { UsersError, UsersErrorCode } from './users.errors';

/** Who acts, and from where (for the audit log). */
export interface Actor {
  principal: StaffPrincipal;
  meta: RequestMeta;
}

export interface NewUser {
  email: string;
  displayName: string;
  password: string;
  roles: Role[];
  unitCodes: string[];
  contactPhone?: string;
}

const phoneAad = (userId: string) => `User:${userId}:contactPhone`;

/** Staff users: creation, roles, units, status, and the audited read of their personal data. */
@Injectable()
export class UsersService {
  constructor(
    private readonly repo: UsersRepository,
    private readonly audit: AuditService,
    private readonly reference: ReferenceService,
    private readonly cipher: PiiCipher,
  ) {}

  /** Admin use case: creates a user (CONFLICT when the e-mail is taken). */
  async create(input: CreateUserInput, actor: Actor): Promise<User> {
    const record = await this.insertUser(input, actor.principal.userId);
    await this.audit.record({
      actorId: actor.principal.userId,
      action: AuditAction.USER_CREATED,
      objectType: 'User',
      objectId: record._id,
      unitCodes: [...actor.principal.unitCodes, ...record.unitCodes],
      reason: input.reason,
      ...actor.meta,
      details: { roles: record.roles.join(','), units: record.unitCodes.join(',') },
    });
    return toModel(record);
  }

  /**
   * Inserts the e-mail claim first (atomic: a concurrent duplicate is refused), then the user; if the user
   * insert fails the claim is released again.
   */
  async insertUser(input: NewUser, createdBy: string | undefined): Promise<UserRecord> {
    this.checkUnits(input.unitCodes, 'input.unitCodes');
    const email = normaliseEmail(input.email);
    const now = new Date();
    const id = randomUUID();
    const record: UserRecord = {
      _id: id,
      email,
      displayName: input.displayName.trim(),
      roles: [...new Set(input.roles)],
      unitCodes: [...new Set(input.unitCodes)],
      passwordHash: await hashPassword(input.password),
      disabled: false,
      createdAt: now,
      updatedAt: now,
      ...(input.contactPhone
        ? { contactPhoneSealed: this.cipher.encrypt(input.contactPhone.trim(), phoneAad(id)) }
        : {}),
      ...(createdBy ? { createdBy } : {}),
    };
    if (!(await this.repo.claimEmail(email, id))) {
      throw new UsersError(UsersErrorCode.EMAIL_TAKEN, 'A user with this e-mail already exists', 'input.email');
    }
    try {
      await this.repo.insert(record);
    } catch (e) {
      await this.repo.releaseEmail(email, id);
      throw e;
    }
    return record;
  }

  async findByEmail(email: string): Promise<UserRecord | null> {
    return this.repo.findByEmail(normaliseEmail(email));
  }

  async findById(id: string): Promise<UserRecord | null> {
    return this.repo.findById(id);
  }

  /** A user visible in `scope` (NOT_FOUND for an unknown id, FORBIDDEN for a user outside the scope's units). */
  async get(id: string, scope: Scope): Promise<User> {
    const found = await this.repo.findById(id);
    if (!found) throw new UsersError(UsersErrorCode.USER_NOT_FOUND, `No user with id ${id}`, 'id');
    assertInScope(scope, found.unitCodes, `User ${id}`);
    return toModel(found);
  }

  async me(principal: StaffPrincipal): Promise<User> {
    const found = await this.repo.findById(principal.userId);
    if (!found) throw new UsersError(UsersErrorCode.USER_NOT_FOUND, 'Your user no longer exists');
    return toModel(found);
  }

  async list(
    scope: Scope,
    filter: UserFilter,
    first: number | undefined,
    after: string | undefined,
  ): Promise<ConnectionShape<User>> {
    const from = decodeAfter(after);
    const limit = pageSize(first, 50, 200);
    if (await this.repo.lists.builds.ready()) {
      const plan = this.repo.lists.plan(scope, filter);
      const read = (at: string | undefined, n: number) =>
        this.repo.lists.page({ keys: plan.keys, after: at, limit: n });
      const load = (ids: string[]) => this.repo.findMany(ids);
      const matches = (u: UserRecord) => UsersRepository.matches(u, scope, filter);
      const [{ found, hasNext }, upper] = await Promise.all([
        readFiltered({ read, load, matches, limit, after: from, exact: plan.exact }),
        this.repo.lists.count(plan.keys, plan.disjoint),
      ]);
      const total = plan.exact ? upper : await countFiltered({ upper, read, load, matches });
      return indexedConnection(found, hasNext, total, toModel);
    }
    // the list index is being built: scan meanwhile
    const [rows, total] = await Promise.all([
      this.repo.list(scope, filter, limit + 1, from),
      this.repo.count(scope, filter),
    ]);
    return toConnection(rows, limit, total, (r) => r._id, toModel);
  }

  async setRoles(input: SetUserRolesInput, actor: Actor): Promise<User> {
    const roles = [...new Set(input.roles)];
    if (
      input.userId === actor.principal.userId &&
      actor.principal.roles.includes(Role.ADMIN) &&
      !roles.includes(Role.ADMIN)
    ) {
      throw new UsersError(
        UsersErrorCode.SELF_LOCKOUT,
        'You cannot remove your own ADMIN role; ask another admin',
        'input.roles',
      );
    }
    const before = await this.mustExist(input.userId);
    assertUnitsFor(roles, before.unitCodes, 'input.roles');
    const after = await this.repo.set(input.userId, { roles });
    await this.recordChange(AuditAction.USER_ROLES_SET, before, actor, input.reason, {
      from: before.roles.join(','),
      to: roles.join(','),
    });
    return toModel(after ?? { ...before, roles });
  }

  async setUnits(input: SetUserUnitsInput, actor: Actor): Promise<User> {
    this.checkUnits(input.unitCodes, 'input.unitCodes');
    const unitCodes = [...new Set(input.unitCodes)];
    const before = await this.mustExist(input.userId);
    assertUnitsFor(before.roles, unitCodes, 'input.unitCodes');
    const after = await this.repo.set(input.userId, { unitCodes });
    await this.recordChange(
      AuditAction.USER_UNITS_SET,
      { ...before, unitCodes: [...before.unitCodes, ...unitCodes] },
      actor,
      input.reason,
      {
        from: before.unitCodes.join(','),
        to: unitCodes.join(','),
      },
    );
    return toModel(after ?? { ...before, unitCodes });
  }

  /** Disabling takes effect on the user's next request: every operation re-reads the user. */
  async setDisabled(input: UserStatusInput, disabled: boolean, actor: Actor): Promise<User> {
    if (disabled && input.userId === actor.principal.userId) {
      throw new UsersError(UsersErrorCode.SELF_LOCKOUT, 'You cannot disable yourself', 'input.userId');
    }
    const before = await this.mustExist(input.userId);
    const after = await this.repo.set(input.userId, { disabled });
    await this.recordChange(
      disabled ? AuditAction.USER_DISABLED : AuditAction.USER_ENABLED,
      before,
      actor,
      input.reason,
      {},
    );
    return toModel(after ?? { ...before, disabled });
  }

  /**
   * The decrypted contact phone of `user`, for a caller who passed the field's role check. Every read writes a
   * READ_PII audit entry with the reason given, before the value is returned.
   */
  async readContactPhone(user: User, reason: string, actor: Actor): Promise<string | null> {
    const why = reason.trim();
    if (why.length < 3 || why.length > 500) {
      throw new UsersError(
        UsersErrorCode.REASON_REQUIRED,
        'Give a reason (3 to 500 characters) to read personal data',
        'reason',
      );
    }
    if (!user.contactPhoneSealed) return null;
    const phone = this.cipher.decrypt(user.contactPhoneSealed, phoneAad(user.id));
    await this.audit.record({
      actorId: actor.principal.userId,
      action: AuditAction.READ_PII,
      objectType: 'User',
      objectId: user.id,
      unitCodes: [...actor.principal.unitCodes, ...user.unitCodes],
      reason: why,
      ...actor.meta,
      details: { field: 'contactPhone' },
    });
    return phone;
  }

  private async mustExist(id: string): Promise<UserRecord> {
    const found = await this.repo.findById(id);
    if (!found) throw new UsersError(UsersErrorCode.USER_NOT_FOUND, `No user with id ${id}`, 'input.userId');
    return found;
  }

  private checkUnits(codes: readonly string[], field: string): void {
    codes.forEach((code, i) => {
      if (!this.reference.isRegion(code))
        throw new UsersError(UsersErrorCode.UNKNOWN_UNIT, `${code} is not a region code`, `${field}.${i}`);
    });
  }

  private async recordChange(
    action: AuditAction,
    user: UserRecord,
    actor: Actor,
    reason: string | undefined,
    details: Record<string, string>,
  ): Promise<void> {
    await this.audit.record({
      actorId: actor.principal.userId,
      action,
      objectType: 'User',
      objectId: user._id,
      unitCodes: [...actor.principal.unitCodes, ...user.unitCodes],
      reason,
      ...actor.meta,
      details,
    });
  }
}

export function toModel(r: UserRecord): User {
  return {
    id: r._id,
    email: r.email,
    displayName: r.displayName,
    roles: r.roles,
    unitCodes: r.unitCodes,
    disabled: r.disabled,
    createdAt: r.createdAt,
    hasContactPhone: Boolean(r.contactPhoneSealed),
    contactPhoneSealed: r.contactPhoneSealed,
  };
}

/** Staff work in units: a user without ADMIN keeps at least one (CreateUserInput checks the same). */
function assertUnitsFor(roles: Role[], unitCodes: string[], field: string): void {
  if (unitCodes.length === 0 && !roles.includes(Role.ADMIN))
    throw new UsersError(UsersErrorCode.UNITS_REQUIRED, 'A user without ADMIN needs at least one unit', field);
}
