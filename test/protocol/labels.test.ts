// Message texts: the canonical rendering that labels show and in-flight messages are
// interned by. Equal messages render alike whatever order their fields were written in.
import { describe, expect, test } from 'vitest';
import { BadValue, formatMessage as format } from '../../src/protocol/labels.js';

const formatMessage = (msg: { type: string; [field: string]: unknown }): string => format(msg);

describe('formatMessage', () => {
  test('sorts fields, quotes strings, and keeps no field order from an earlier message', () => {
    expect(formatMessage({ type: 'Release' })).toBe('Release');
    expect(formatMessage({ type: 'Granted', until: 4, by: 'lock' })).toBe('Granted{by:"lock",until:4}');
    expect(formatMessage({ type: 'Granted', by: 'lock', until: 4 })).toBe('Granted{by:"lock",until:4}');
    expect(formatMessage({ until: 5, type: 'Granted', by: 'x' })).toBe('Granted{by:"x",until:5}');
    // Another key set for the same type: its own fields, not the cached ones.
    expect(formatMessage({ type: 'Granted', until: 4 })).toBe('Granted{until:4}');
    expect(formatMessage({ type: 'Granted', until: 4, by: 'lock', epoch: 2 })).toBe('Granted{by:"lock",epoch:2,until:4}');
    expect(formatMessage({ type: 'Granted' })).toBe('Granted');
    expect(formatMessage({ type: 'Vote', v: { b: [1, 2], a: null }, 'odd key': 1.5 })).toBe('Vote{"odd key":1.5,v:{a:null,b:[1,2]}}');
  });

  test('names the field of a value that is not a state value', () => {
    const bad = (): string => formatMessage({ type: 'Vote', v: { f: () => 1 } });
    expect(bad).toThrow(BadValue);
    try {
      bad();
    } catch (e) {
      expect((e as BadValue).path).toBe('.v.f');
    }
  });
});
