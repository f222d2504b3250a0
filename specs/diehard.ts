// The Die Hard water-jug puzzle (from Lamport's TLA+ examples): with a 3-gallon and
// a 5-gallon jug, a tap and a drain, measure exactly 4 gallons. The "invariant"
// says the big jug never holds the goal, so its counterexample is the solution.
// faultline finds the shortest one: 6 actions.
//
//   npx faultline check specs/diehard.ts            # the 6-step solution
//   npx faultline check specs/diehard.ts -p goal=6  # an unreachable goal: all 16 states
import { spec } from 'faultline';

interface Jugs {
  readonly small: number; // 0..3 gallons
  readonly big: number; // 0..5 gallons
}

export default spec({
  name: 'diehard',
  params: { goal: 4 },
  init: (): Jugs => ({ small: 0, big: 0 }),
  actions: {
    FillSmall: (s: Jugs) => ({ ...s, small: 3 }),
    FillBig: (s: Jugs) => ({ ...s, big: 5 }),
    EmptySmall: (s: Jugs) => ({ ...s, small: 0 }),
    EmptyBig: (s: Jugs) => ({ ...s, big: 0 }),
    SmallToBig: ({ small, big }: Jugs) =>
      big + small <= 5 ? { small: 0, big: big + small } : { small: small - (5 - big), big: 5 },
    BigToSmall: ({ small, big }: Jugs) =>
      big + small <= 3 ? { small: big + small, big: 0 } : { small: 3, big: big - (3 - small) },
  },
  invariants: {
    TypeOK: (s) => s.small >= 0 && s.small <= 3 && s.big >= 0 && s.big <= 5,
    NotSolved: (s, p) => s.big !== p.goal || `the big jug holds ${p.goal} gallons`,
  },
  expect: { violates: 'NotSolved' },
});
