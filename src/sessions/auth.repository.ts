import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { claimByInsert } from '../store/insert';
import { RefreshTokenDoc, RefreshTokenUseDoc, RevokedSessionDoc } from './refresh-token.schema';

export type RefreshTokenRecord = RefreshTokenDoc;

/** Refresh tokens, their single-use claims and revoked sessions: inserts and exact `_id` reads only. */
@Injectable()
export class AuthRepository {
  constructor(
    @InjectModel(RefreshTokenDoc.name) private readonly tokens: Model<RefreshTokenDoc>,
    @InjectModel(RefreshTokenUseDoc.name) private readonly uses: Model<RefreshTokenUseDoc>,
    @InjectModel(RevokedSessionDoc.name) private readonly revoked: Model<RevokedSessionDoc>,
  ) {}

  async insertToken(t: RefreshTokenRecord): Promise<void> {
    await this.tokens.create(t);
  }

  async findToken(hash: string): Promise<RefreshTokenRecord | null> {
    return this.tokens.findOne({ _id: hash }).lean<RefreshTokenRecord>().exec();
  }

  /** Claims a token for its one use; false when it was used before (atomic: an insert). */
  async claimUse(hash: string, familyId: string): Promise<boolean> {
    return claimByInsert(() => this.uses.create({ _id: hash, familyId, usedAt: new Date() }));
  }

  /** Records a revocation; a session revoked twice keeps its first record. */
  async insertRevocation(familyId: string, userId: string, reason: string): Promise<void> {
    await claimByInsert(() => this.revoked.create({ _id: familyId, userId, reason, revokedAt: new Date() }));
  }

  async isRevoked(familyId: string): Promise<boolean> {
    return (await this.revoked.findOne({ _id: familyId }).lean().exec()) !== null;
  }
}
