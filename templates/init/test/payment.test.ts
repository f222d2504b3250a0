// Written by `faultline init`: the payment specs as vitest tests, so `npx vitest run`
// (or `npm test`) fails when a change breaks the fix or hides the bug.
import { describe, expect, it } from 'vitest';
import 'faultline/vitest';
import buggy from '../specs/payment.buggy.js';
import fixed from '../specs/payment.fixed.js';

describe('payment with retry', () => {
  it('the naive server charges a retried payment twice', () => {
    expect(buggy).toViolate('chargedOnce');
  });

  it('the idempotency key makes every retry safe', () => {
    expect(fixed).toHold();
  });

  it('still holds when two messages may be lost and the client tries three times', () => {
    expect(fixed).toHold({ params: { attempts: 3 }, faults: { drop: 2 } });
  });
});
