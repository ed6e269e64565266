import * as jsonwebtoken from 'jsonwebtoken';
import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER, AccessTokens } from './access-token';
import { AuthError, AuthErrorCode } from '../auth/auth.errors';
import { Role } from '../auth/roles';

const SECRET = 'a'.repeat(48);
const claims = { sub: 'user-1', sid: 'family-1', roles: [Role.INVESTIGATOR], units: ['DG01'] };
const std = { issuer: ACCESS_TOKEN_ISSUER, audience: ACCESS_TOKEN_AUDIENCE };

function codeOf(fn: () => unknown): AuthErrorCode | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof AuthError) return e.code;
    throw e;
  }
  return undefined;
}

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('AccessTokens', () => {
  const tokens = new AccessTokens(SECRET, 900);

  it('signs HS256 tokens with the claims and a TTL expiry, and verifies them', () => {
    const { token, expiresAt } = tokens.sign(claims);
    const header = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()) as { alg: string };
    expect(header.alg).toBe('HS256');
    expect(Math.abs(expiresAt.getTime() - (Date.now() + 900_000))).toBeLessThan(5_000);
    expect(tokens.verify(token)).toEqual({ ...claims, typ: 'access' });
  });

  it('refuses a token signed with a different secret', () => {
    const other = new AccessTokens('b'.repeat(48), 900).sign(claims).token;
    expect(codeOf(() => tokens.verify(other))).toBe(AuthErrorCode.TOKEN_INVALID);
  });

  it('refuses an expired token as TOKEN_EXPIRED', () => {
    const expired = jsonwebtoken.sign({ ...claims, typ: 'access', exp: Math.floor(Date.now() / 1000) - 10 }, SECRET, {
      algorithm: 'HS256',
      ...std,
    });
    expect(codeOf(() => tokens.verify(expired))).toBe(AuthErrorCode.TOKEN_EXPIRED);
  });

  it('refuses alg=none, with or without a signature', () => {
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, typ: 'access', iss: ACCESS_TOKEN_ISSUER, aud: ACCESS_TOKEN_AUDIENCE, exp: Math.floor(Date.now() / 1000) + 600 })}.`;
    expect(codeOf(() => tokens.verify(unsigned))).toBe(AuthErrorCode.TOKEN_INVALID);
    const viaLib = jsonwebtoken.sign({ ...claims, typ: 'access' }, '', { algorithm: 'none', ...std, expiresIn: 600 });
    expect(codeOf(() => tokens.verify(viaLib))).toBe(AuthErrorCode.TOKEN_INVALID);
  });

  it('refuses other algorithms even with the right secret (HS512) and RS256 tokens', async () => {
    const hs512 = jsonwebtoken.sign({ ...claims, typ: 'access' }, SECRET, {
      algorithm: 'HS512',
      ...std,
      expiresIn: 600,
    });
    expect(codeOf(() => tokens.verify(hs512))).toBe(AuthErrorCode.TOKEN_INVALID);
    // off the main thread: a key generation that stalls fails this test by its timeout instead of hanging jest
    const { privateKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
    const rs = jsonwebtoken.sign({ ...claims, typ: 'access' }, privateKey, {
      algorithm: 'RS256',
      ...std,
      expiresIn: 600,
    });
    expect(codeOf(() => tokens.verify(rs))).toBe(AuthErrorCode.TOKEN_INVALID);
  });

  it('refuses a tampered payload (roles raised to ADMIN) with the original signature', () => {
    const [h, , s] = tokens.sign(claims).token.split('.');
    const raised = `${h}.${b64({ ...claims, roles: [Role.ADMIN], typ: 'access', iss: ACCESS_TOKEN_ISSUER, aud: ACCESS_TOKEN_AUDIENCE, exp: Math.floor(Date.now() / 1000) + 600 })}.${s}`;
    expect(codeOf(() => tokens.verify(raised))).toBe(AuthErrorCode.TOKEN_INVALID);
  });

  it('refuses a validly signed token of the wrong shape, issuer or audience', () => {
    const noSid = jsonwebtoken.sign({ sub: 'u', roles: [], units: [], typ: 'access' }, SECRET, {
      algorithm: 'HS256',
      ...std,
      expiresIn: 600,
    });
    expect(codeOf(() => tokens.verify(noSid))).toBe(AuthErrorCode.TOKEN_INVALID);
    const badRole = jsonwebtoken.sign({ ...claims, roles: ['ROOT'], typ: 'access' }, SECRET, {
      algorithm: 'HS256',
      ...std,
      expiresIn: 600,
    });
    expect(codeOf(() => tokens.verify(badRole))).toBe(AuthErrorCode.TOKEN_INVALID);
    const refreshTyp = jsonwebtoken.sign({ ...claims, typ: 'refresh' }, SECRET, {
      algorithm: 'HS256',
      ...std,
      expiresIn: 600,
    });
    expect(codeOf(() => tokens.verify(refreshTyp))).toBe(AuthErrorCode.TOKEN_INVALID);
    const otherIss = jsonwebtoken.sign({ ...claims, typ: 'access' }, SECRET, {
      algorithm: 'HS256',
      issuer: 'x',
      audience: ACCESS_TOKEN_AUDIENCE,
      expiresIn: 600,
    });
    expect(codeOf(() => tokens.verify(otherIss))).toBe(AuthErrorCode.TOKEN_INVALID);
    const otherAud = jsonwebtoken.sign({ ...claims, typ: 'access' }, SECRET, {
      algorithm: 'HS256',
      issuer: ACCESS_TOKEN_ISSUER,
      audience: 'x',
      expiresIn: 600,
    });
    expect(codeOf(() => tokens.verify(otherAud))).toBe(AuthErrorCode.TOKEN_INVALID);
  });

  it('refuses garbage', () => {
    for (const t of ['', 'abc', 'a.b.c', `${b64({ alg: 'HS256' })}.e30.`])
      expect(codeOf(() => tokens.verify(t))).toBe(AuthErrorCode.TOKEN_INVALID);
  });
});
