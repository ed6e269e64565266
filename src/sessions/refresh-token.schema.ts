import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * A refresh token. `_id` is the SHA-256 (hex) of the opaque token: the raw token is never stored, and
 * presenting it is one exact `_id` read.
 */
@Schema({ collection: 'refresh_tokens', versionKey: false })
export class RefreshTokenDoc {
  @Prop({ type: String, required: true })
  _id: string;

  /** The login session; every rotation stays in the family of the login that started it. */
  @Prop({ type: String, required: true })
  familyId: string;

  @Prop({ type: String, required: true })
  userId: string;

  @Prop({ type: Date, required: true })
  issuedAt: Date;

  @Prop({ type: Date, required: true })
  expiresAt: Date;
}

/**
 * The claim that a refresh token has been used: inserted with `_id` = the token hash when it is rotated. The
 * insert is atomic, so of two presentations of one token exactly one succeeds; the other (duplicate key) is
 * REUSE and revokes the family.
 */
@Schema({ collection: 'refresh_token_uses', versionKey: false })
export class RefreshTokenUseDoc {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true })
  familyId: string;

  @Prop({ type: Date, required: true })
  usedAt: Date;
}

/**
 * A revoked session (refresh-token family): `_id` = familyId. THE source of truth for revocation; Redis holds a
 * copy for the lifetime of access tokens (see SessionRevocations).
 */
@Schema({ collection: 'revoked_sessions', versionKey: false })
export class RevokedSessionDoc {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true })
  userId: string;

  /** LOGOUT, REUSE, DISABLED. */
  @Prop({ type: String, required: true })
  reason: string;

  @Prop({ type: Date, required: true })
  revokedAt: Date;
}

export const RefreshTokenSchema = SchemaFactory.createForClass(RefreshTokenDoc);
export const RefreshTokenUseSchema = SchemaFactory.createForClass(RefreshTokenUseDoc);
export const RevokedSessionSchema = SchemaFactory.createForClass(RevokedSessionDoc);
