/** A failure the user can act on (bad input, a server that would not start): reported as its one-line message, without a stack. */
export class UsageError extends Error {}
