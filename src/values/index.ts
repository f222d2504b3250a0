// The values layer: canonical state values, their fingerprints, order, ITF
// encoding, diffs and rendering.
export { NonCanonicalError, fingerprint, fingerprintInto, sealPending } from './fingerprint.js';
export { kindOf, describeInvalid, recordEntries, seqItems, mapEntries, setItems, type ValueKind } from './kinds.js';
export { compareValues, equalValues, sortedRecordEntries, sortedMapEntries, sortedSetItems } from './compare.js';
export {
  toITF,
  fromITF,
  itfTrace,
  parseItfTrace,
  ItfError,
  ITF_FORMAT_DESCRIPTION,
  type ItfMeta,
  type ParsedItfTrace,
} from './itf.js';
export { diffValues, type Change } from './diff.js';
export { formatValue, formatKey, type FormatOptions } from './format.js';
export { keySegment, mapKeySegment, indexSegment } from './path.js';
