// The Die Hard puzzle again (see specs/diehard.ts), written with packed(): each jug
// is an int with its range, actions read and write a draft through the slots v.small
// and v.big. Same states, same 6-step solution.
//
//   npx faultline check specs/diehard.packed.ts            # the 6-step solution
//   npx faultline check specs/diehard.packed.ts -p goal=6  # unreachable: all 16 states
import { int, packed } from 'faultline';

export default packed({
  name: 'diehard-packed',
  params: { goal: 4 },
  layout: { small: int(0, 3), big: int(0, 5) },
  init: () => ({ small: 0, big: 0 }),
  define: (v, p) => ({
    actions: {
      FillSmall: (s) => s.set(v.small, 3),
      FillBig: (s) => s.set(v.big, 5),
      EmptySmall: (s) => s.set(v.small, 0),
      EmptyBig: (s) => s.set(v.big, 0),
      SmallToBig: (s) => {
        const small = s.get(v.small);
        const big = s.get(v.big);
        return big + small <= 5 ? s.set(v.small, 0).set(v.big, big + small) : s.set(v.small, small - (5 - big)).set(v.big, 5);
      },
      BigToSmall: (s) => {
        const small = s.get(v.small);
        const big = s.get(v.big);
        return big + small <= 3 ? s.set(v.small, big + small).set(v.big, 0) : s.set(v.small, 3).set(v.big, big - (3 - small));
      },
    },
    invariants: {
      NotSolved: (s) => s.get(v.big) !== p.goal || `the big jug holds ${p.goal} gallons`,
    },
  }),
  expect: { violates: 'NotSolved' },
});
