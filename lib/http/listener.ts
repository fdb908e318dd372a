// flowListener: a node:http request listener that runs in a flow.
import type { IncomingMessage, ServerResponse } from "node:http";
import { describeValue } from "../describe";
import { PenstockError } from "../errors";
import { currentFlowId, runInFlow } from "../context";
import { inboundFlow } from "./flow-of-request";
import { resolveHttpOptions, type FlowHttpOptions } from "./options";

/**
 * Wraps a `node:http` request listener so each request runs in its own flow context, with the
 * flow's ID on the response's `X-Correlation-ID` header, set before the listener runs. The
 * listener's `this` and return value are passed through.
 *
 * @example
 * import { createServer } from "node:http";
 * import { flowListener } from "penstock/http";
 * createServer(flowListener((req, res) => res.end(currentFlowId()))).listen(8080);
 */
export function flowListener<Req extends IncomingMessage, Res extends ServerResponse, R>(
  listener: (this: unknown, req: Req, res: Res) => R,
  options?: FlowHttpOptions,
): (req: Req, res: Res) => R {
  if (typeof listener !== "function") {
    throw new PenstockError("INVALID_ARGUMENT", `flowListener(listener, options): listener must be a function (req, res) => void, not ${describeValue(listener)}.`);
  }
  const resolved = resolveHttpOptions(options, "flowListener(listener, options)");
  return function penstockFlowListener(this: unknown, req: Req, res: Res): R {
    return runInFlow(inboundFlow(req.headers, resolved), () => {
      res.setHeader(resolved.responseHeader, currentFlowId()!);
      return listener.call(this, req, res);
    });
  };
}
