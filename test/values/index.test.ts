import { describe, expect, it } from 'vitest';
import * as values from '../../src/values/index.js';
import { fingerprint, fingerprintInto, sealPending, NonCanonicalError } from '../../src/values/fingerprint.js';
import { compareValues } from '../../src/values/compare.js';
import { diffValues } from '../../src/values/diff.js';
import { formatValue } from '../../src/values/format.js';
import { fromITF, itfTrace, parseItfTrace, toITF } from '../../src/values/itf.js';
import { kindOf } from '../../src/values/kinds.js';

describe('values/index', () => {
  it('re-exports the public pieces of the values layer', () => {
    expect(values.fingerprint).toBe(fingerprint);
    expect(values.fingerprintInto).toBe(fingerprintInto);
    expect(values.sealPending).toBe(sealPending);
    expect(values.NonCanonicalError).toBe(NonCanonicalError);
    expect(values.kindOf).toBe(kindOf);
    expect(values.compareValues).toBe(compareValues);
    expect(values.diffValues).toBe(diffValues);
    expect(values.formatValue).toBe(formatValue);
    expect(values.toITF).toBe(toITF);
    expect(values.fromITF).toBe(fromITF);
    expect(values.itfTrace).toBe(itfTrace);
    expect(values.parseItfTrace).toBe(parseItfTrace);
    expect(Object.keys(values).sort()).toEqual(
      [
        'ITF_FORMAT_DESCRIPTION',
        'ItfError',
        'NonCanonicalError',
        'compareValues',
        'describeInvalid',
        'diffValues',
        'equalValues',
        'fingerprint',
        'fingerprintInto',
        'formatKey',
        'formatValue',
        'fromITF',
        'indexSegment',
        'itfTrace',
        'keySegment',
        'kindOf',
        'mapEntries',
        'mapKeySegment',
        'parseItfTrace',
        'recordEntries',
        'sealPending',
        'seqItems',
        'setItems',
        'sortedMapEntries',
        'sortedRecordEntries',
        'sortedSetItems',
        'toITF',
      ].sort(),
    );
  });

  it('writes path segments in the notation of NonCanonicalError paths', () => {
    expect(values.keySegment('term') + values.keySegment('two words') + values.mapKeySegment('n1')).toBe(
      '.term["two words"].get("n1")',
    );
    expect(values.mapKeySegment(3) + values.mapKeySegment([1, 'a']) + values.indexSegment(2)).toBe('.get(3).get([1, "a"])[2]');
  });
});
