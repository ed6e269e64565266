import { HealthResolver } from '../ops/health.resolver';
import { ReferenceResolver } from '../reference/reference.resolver';
import { Public } from './decorators';

/**
 * Public fields of resolvers this feature does not own: marked here (the same metadata `@Public()` writes)
 * so default deny does not lock them. Their owners should move `@Public()` onto the methods themselves and
 * delete the line here; test/auth.e2e-spec.ts keeps the allowlist honest either way.
 */
const PUBLIC_ELSEWHERE: [object, string][] = [
  [HealthResolver.prototype, 'health'],
  [ReferenceResolver.prototype, 'fraudTypes'],
  [ReferenceResolver.prototype, 'regions'],
];

for (const [proto, method] of PUBLIC_ELSEWHERE) {
  const descriptor = Object.getOwnPropertyDescriptor(proto, method);
  if (!descriptor || typeof descriptor.value !== 'function') throw new Error(`public-elsewhere: no method ${method}`);
  Public()(proto, method, descriptor);
}
