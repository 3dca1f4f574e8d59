// The part of autocannon 9 the benchmarks use; the package ships no types.
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  interface Options {
    url: string;
    connections?: number;
    /** Seconds. */
    duration?: number;
    headers?: Record<string, string>;
    /** A shorter run first, whose figures are thrown away. */
    warmup?: { connections?: number; duration?: number };
  }

  interface Result {
    /** Seconds the measured run lasted. */
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
  }

  interface Instance extends EventEmitter, PromiseLike<Result> {
    /** `responseTime` in milliseconds, for every response of the measured run. */
    on(event: 'response', listener: (client: unknown, statusCode: number, bytes: number, responseTime: number) => void): this;
  }

  function autocannon(options: Options): Instance;
  export default autocannon;
}
