import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Role } from '../auth/roles';

/**
 * A staff user. `_id` is a random UUID; every read is an exact `_id` lookup (the e-mail goes through
 * `user_emails`). Role/unit/disabled changes are plain `$set`s of the whole value (last writer wins, which is
 * what "set" means), never read-modify-write. Optional keys are left out rather than stored as null.
 */
@Schema({ collection: 'users', versionKey: false })
export class UserDoc {
  @Prop({ type: String, required: true })
  _id: string;

  /** Normalised (trimmed, lower-cased). */
  @Prop({ type: String, required: true })
  email: string;

  @Prop({ type: String, required: true })
  displayName: string;

  @Prop({ type: [String], required: true })
  roles: Role[];

  /** Region codes of the user's units (supervisors may cover several). */
  @Prop({ type: [String], required: true })
  unitCodes: string[];

  /** argon2id encoded hash. */
  @Prop({ type: String, required: true })
  passwordHash: string;

  /** Contact phone sealed with PiiCipher (AES-256-GCM, bound to `User:<id>:contactPhone`). */
  @Prop({ type: String })
  contactPhoneSealed?: string;

  @Prop({ type: Boolean, required: true })
  disabled: boolean;

  @Prop({ type: Date, required: true })
  createdAt: Date;

  @Prop({ type: Date, required: true })
  updatedAt: Date;

  /** Id of the admin who created the user; absent for the bootstrap admin. */
  @Prop({ type: String })
  createdBy?: string;
}

/**
 * The e-mail claim: `_id` is the normalised e-mail, `userId` the owner. Inserted BEFORE the user, so two
 * concurrent creations of one e-mail cannot both succeed (the second insert is refused: CONFLICT), and login
 * finds the user with two `_id` reads.
 */
@Schema({ collection: 'user_emails', versionKey: false })
export class UserEmailDoc {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true })
  userId: string;

  @Prop({ type: Date, required: true })
  createdAt: Date;
}

/**
 * "The bootstrap admin has been created" marker: one document with `_id` = BOOTSTRAP_CLAIM_ID, inserted by the
 * first process to start; a second process starting at the same time gets a duplicate-key error and stands down.
 */
@Schema({ collection: 'user_bootstrap', versionKey: false })
export class BootstrapClaimDoc {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true })
  email: string;

  @Prop({ type: Date, required: true })
  claimedAt: Date;

  @Prop({ type: Number, required: true })
  pid: number;
}

export const BOOTSTRAP_CLAIM_ID = 'bootstrap-admin';

export const UserSchema = SchemaFactory.createForClass(UserDoc);
export const UserEmailSchema = SchemaFactory.createForClass(UserEmailDoc);
export const BootstrapClaimSchema = SchemaFactory.createForClass(BootstrapClaimDoc);
