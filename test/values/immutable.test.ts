import * as Immutable from 'immutable';
import { describe, expect, it } from 'vitest';
import { List, Map, isImmutable } from '../../src/values/immutable.js';
import { fingerprint } from '../../src/values/fingerprint.js';

// faultline requires Immutable.js (src/values/immutable.ts) where a spec imports it:
// both must be the one module, or a spec's values would be another copy's objects.
describe('values/immutable', () => {
  it("is the module a spec's import of 'immutable' gets", () => {
    expect(List).toBe(Immutable.List);
    expect(Map).toBe(Immutable.Map);
    expect(isImmutable(Immutable.Set([1]))).toBe(true);
    expect(fingerprint(Immutable.List([1, 2]))).toBe(fingerprint(List([1, 2])));
  });
});
