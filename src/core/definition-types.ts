// Types that make a definition's mistakes one type error each, shared by spec() and
// protocol(): a handler's result that keeps literal types (HandlerResult), and the
// check of a definition's keys (KnownKeys). Types only.

/**
 * What a handler may return where the role's state is `S`. `C` is never inferred (it
 * is `never` once the call is resolved, so this is exactly `S`): being a `const` type
 * parameter, it makes every object literal a handler returns a const context, so
 * `{ ...s, role: 'leader' }` keeps `'leader'` where `init` declared
 * `role: 'follower' | 'candidate' | 'leader'`. (A bare `S` does not: TypeScript widens
 * literals returned against a type parameter still being inferred.) `C`'s constraint
 * is only seen while the handler is checked: it gives array fields a mutable array
 * contextual type, so `{ ...s, queue: [...s.queue, id] }` stays a `string[]` and not
 * a readonly tuple.
 */
export type HandlerResult<S, C> = NoInfer<S> | NoInfer<C>;

/** The constraint of a role's `C` (see HandlerResult): array fields stay mutable arrays. */
export type StateLiteralContext = readonly unknown[] | unknown[] | { readonly [field: string]: unknown[] | StateLiteralContext };

export type Primitive = string | number | bigint | boolean | symbol | null | undefined;

/**
 * Callable and indexable by anything: the contextual type of the functions under an
 * unknown key (their parameters are `any`, with no implicit-any error), and a type
 * every value under it is assignable to, so the error is reported at the key.
 */
export interface AnyValue {
  (...args: any[]): any;
  readonly [field: string]: AnyValue | Primitive | object;
}

/** A property named by the problem (so TypeScript's message quotes it) that no value has. */
export type NotAKey<Problem extends string> = { readonly [P in Problem]: never };

/** `invariant` → `invariants` when the plural is a valid key, `timer` → `timers`, or the reverse; else never. */
type Suggestion<K extends string, Known> = `${K}s` extends Known ? `${K}s` : K extends `${infer Singular}s` ? (Singular extends Known ? Singular : never) : never;

/**
 * Checks the keys `K` of a definition object `Def` against its own: a known key adds
 * nothing, an unknown one must be a NotAKey naming it (and the key it is likely a typo
 * of). TypeScript's own excess-property error would leave the functions under the key
 * without a contextual type: one implicit-any error per parameter besides the real one.
 * So they are typed as under the suggested key (`invariant`'s as `invariants`'), or
 * as AnyValue.
 *
 * `Inferred` is false while TypeScript has not yet typed the definition's functions
 * (the first of its two inference passes): a call that fails there is re-typed with
 * `unknown` states, and every handler would report an error of its own. The check
 * waits for the second pass.
 */
export type KnownKeys<K extends PropertyKey, Def, Where extends string, Inferred extends boolean = true> = {
  readonly [Key in K]?: Key extends keyof Def
    ? unknown
    : ([Inferred] extends [false] ? unknown : NotAKey<`${Where} '${Key & string}'${DidYouMean<Suggestion<Key & string, keyof Def>>}`>) &
        ([Suggestion<Key & string, keyof Def>] extends [never] ? AnyValue | Primitive | object : Def[Suggestion<Key & string, keyof Def>]);
};

type DidYouMean<Key extends string> = [Key] extends [never] ? '' : ` (did you mean '${Key}'?)`;

/** Whether a type parameter has been inferred yet (an uninferred one is `unknown`). */
export type IsInferred<X> = unknown extends X ? false : true;
