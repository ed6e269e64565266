import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, QueryFilter } from 'mongoose';
import { Role } from '../auth/roles';
import { Scope, scopeFilter } from '../auth/scope';
import { claimByInsert } from '../store/insert';
import { BOOTSTRAP_CLAIM_ID, BootstrapClaimDoc, UserDoc, UserEmailDoc } from './user.schema';
import { ListedUser, UserLists } from './user-lists';
import { mapLimit } from '../store/map-limit';

const LISTED = { _id: 1, roles: 1, unitCodes: 1, disabled: 1, updatedAt: 1 } as const;

export type UserRecord = UserDoc;

export interface UserListQuery {
  role?: Role;
  unitCode?: string;
  includeDisabled?: boolean;
}

@Injectable()
export class UsersRepository {
  constructor(
    @InjectModel(UserDoc.name) private readonly users: Model<UserDoc>,
    @InjectModel(UserEmailDoc.name) private readonly emails: Model<UserEmailDoc>,
    @InjectModel(BootstrapClaimDoc.name) private readonly bootstrap: Model<BootstrapClaimDoc>,
    readonly lists: UserLists,
  ) {
    lists.attach(
      () =>
        this.users.collection.find(
          {},
          { projection: LISTED, batchSize: 1_000 },
        ) as unknown as AsyncIterable<ListedUser>,
    );
  }

  /** Claims an e-mail for a user id; false when the e-mail is already taken (atomic: an insert). */
  async claimEmail(email: string, userId: string): Promise<boolean> {
    return claimByInsert(() => this.emails.create({ _id: email, userId, createdAt: new Date() }));
  }

  /** Only to undo a claim whose user could not be inserted (so the e-mail is not lost). */
  async releaseEmail(email: string, _userId: string): Promise<void> {
    await this.emails.deleteOne({ _id: email }).exec(); // ours: we inserted it just before (for userId)
  }

  /** Inserts a user and places it in the list index (`siqian reindex users` repairs a crash between the two). */
  async insert(user: UserRecord): Promise<void> {
    await this.users.create(user);
    await this.lists.place([user]);
  }

  /** Users by `_id` (parallel single reads); missing ones undefined. */
  async findMany(ids: readonly string[]): Promise<(UserRecord | undefined)[]> {
    return mapLimit(ids, 16, async (id) => (await this.findById(id)) ?? undefined);
  }

  /** True when a user passes the page's filter and scope (an index page checks what its keys did not). */
  static matches(u: UserRecord, scope: Scope, q: UserListQuery): boolean {
    return (
      (scope.kind === 'ALL' || u.unitCodes.some((c) => scope.unitCodes.includes(c))) &&
      (!q.role || u.roles.includes(q.role)) &&
      (!q.unitCode || u.unitCodes.includes(q.unitCode)) &&
      (q.includeDisabled === true || !u.disabled)
    );
  }

  async findById(id: string): Promise<UserRecord | null> {
    return this.users.findOne({ _id: id }).lean<UserRecord>().exec();
  }

  /** Two exact `_id` reads: e-mail claim, then the user. */
  async findByEmail(email: string): Promise<UserRecord | null> {
    const claim = await this.emails.findOne({ _id: email }).lean<UserEmailDoc>().exec();
    return claim ? this.findById(claim.userId) : null;
  }

  async set(
    id: string,
    fields: Partial<Pick<UserRecord, 'roles' | 'unitCodes' | 'disabled'>>,
  ): Promise<UserRecord | null> {
    await this.users.updateOne({ _id: id }, { $set: { ...fields, updatedAt: new Date() } }).exec();
    const user = await this.findById(id);
    if (user) await this.lists.place([user]);
    return user;
  }

  /**
   * A staff page: filters on roles/units scan the collection on FerretDB (acceptable for a paged admin list).
   * Ordered by `_id`; `after` is the last `_id` of the previous page. `scope` is required.
   */
  async list(scope: Scope, q: UserListQuery, limit: number, after?: string): Promise<UserRecord[]> {
    const filter = this.filter(scope, q);
    if (after) filter._id = { $gt: after };
    return this.users.find(filter).sort({ _id: 1 }).limit(limit).lean<UserRecord[]>().exec();
  }

  async count(scope: Scope, q: UserListQuery): Promise<number> {
    return this.users.countDocuments(this.filter(scope, q)).exec();
  }

  /** Inserts the bootstrap marker; false when another process (or an earlier start) already did. */
  async claimBootstrap(email: string): Promise<boolean> {
    return claimByInsert(() =>
      this.bootstrap.create({ _id: BOOTSTRAP_CLAIM_ID, email, claimedAt: new Date(), pid: process.pid }),
    );
  }

  async findBootstrapClaim(): Promise<BootstrapClaimDoc | null> {
    return this.bootstrap.findOne({ _id: BOOTSTRAP_CLAIM_ID }).lean<BootstrapClaimDoc>().exec();
  }

  private filter(scope: Scope, q: UserListQuery): QueryFilter<UserDoc> {
    const and: QueryFilter<UserDoc>[] = [scopeFilter(scope, 'unitCodes')];
    if (q.role) and.push({ roles: q.role });
    if (q.unitCode) and.push({ unitCodes: q.unitCode });
    if (!q.includeDisabled) and.push({ disabled: false });
    return { $and: and };
  }
}
