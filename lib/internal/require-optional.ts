// A `require` for optional peers (OpenTelemetry), resolved from penstock's own location.
import { moduleRequire } from "./module-require";

/** Loads the optional peer `id`; throws as `require` does when it is not installed. */
export function requireOptional(id: string): unknown {
  return moduleRequire()(id);
}
