// The frame store the rest of penstock uses: penstock's own store (frame-store.ts), or, while
// the backend in use carries frames in a context of its own (OpenTelemetry, frame-carrier.ts),
// that context. Chosen per access from the backend in use, so that configure() can switch at
// any time; a frame entered in one is still found after a switch (each falls back to the other).
import { config } from "../config/state";
import { carrierOf, type FrameCarrier } from "./frame-carrier";
import type { Frame } from "./frame";
import type { FrameStore } from "./frame-store";

/**
 * What `enter` returns in carrier mode: the carrier's context switch restores the outer frame
 * when the span returns, so `exit` has nothing to undo.
 */
const CARRIED: Frame = Object.freeze({ correlationId: "", flow: undefined, step: undefined, spanId: undefined, home: undefined, values: undefined }) as Frame;

export class SwitchingFrameStore implements FrameStore {
  readonly own: FrameStore;
  /**
   * The frame the wrapper entered for a call whose span is starting: current from `enter`
   * until the backend's span begins its body (`started`), as it was when the frame was
   * entered before the span (ID generators and samplers read it while the span starts).
   */
  starting: Frame | undefined = undefined;
  /** The last carrier used: after a switch away from it, frames entered there are still found. */
  #lastCarrier: FrameCarrier | undefined = undefined;
  readonly inScope?: FrameStore["inScope"];
  /** The backend in use when last asked, and its carrier (read again only when configure() changed it). */
  #backend: unknown = undefined;
  #carrier: FrameCarrier | undefined = undefined;

  constructor(own: FrameStore) {
    this.own = own;
    if (own.inScope !== undefined) this.inScope = own.inScope.bind(own);
  }

  /** The carrier of the backend in use, or undefined (penstock's own store). */
  carrier(): FrameCarrier | undefined {
    const backend = config.resolved;
    if (backend !== this.#backend) {
      this.#backend = backend;
      this.#carrier = carrierOf(backend);
    }
    return this.#carrier;
  }

  getStore(): Frame | undefined {
    if (this.starting !== undefined) return this.starting;
    const carrier = this.carrier();
    if (carrier !== undefined) return carrier.current() ?? this.own.getStore();
    const own = this.own.getStore();
    return own !== undefined || this.#lastCarrier === undefined ? own : this.#lastCarrier.current();
  }

  run<R>(frame: Frame, fn: () => R): R {
    const carrier = this.carrier();
    if (carrier === undefined) return this.own.run(frame, fn);
    this.#lastCarrier = carrier;
    return carrier.run(frame, fn, (f, g) => this.own.run(f, g));
  }

  enter(frame: Frame): Frame | undefined {
    const carrier = this.carrier();
    if (carrier === undefined) return this.own.enter(frame);
    this.#lastCarrier = carrier;
    this.starting = frame;
    return CARRIED;
  }

  /**
   * `enter` for a call whose parent frame, read by `getStore` just before, is `parent`: that is
   * the own store's frame while no carrier is or was in use, and the own store need not read it
   * again. The wrapper's hot path (lib/call/wrapper.ts).
   */
  enterOver(frame: Frame, parent: Frame | undefined): Frame | undefined {
    const own = this.own;
    if (own.enterOver === undefined || this.carrier() !== undefined || this.#lastCarrier !== undefined || this.starting !== undefined) return this.enter(frame);
    return own.enterOver(frame, parent);
  }

  exit(outer: Frame | undefined): void {
    if (outer === CARRIED) this.starting = undefined;
    else this.own.exit(outer);
  }

  /** From the carrier's span, as its body begins: the frame is current in the carrier's context from here on. */
  started(): Frame | undefined {
    const frame = this.starting;
    this.starting = undefined;
    return frame;
  }
}
