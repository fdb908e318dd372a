// flowListener: a node:http request listener that runs in a flow.
import type { IncomingMessage, ServerResponse } from "node:http";
import { describeValue } from "../internal/describe-value";
import { PenstockError } from "../errors";
import { currentFlowId } from "../context/flow-context";
import { runInFlow } from "../context/run-in-flow";
import { bindEmitterToFlow, requestResource } from "./bind-emitter";
import { inboundFlow } from "./flow-of-request";
import { resolveHttpOptions, type FlowHttpOptions } from "./options";

/**
 * Wraps a `node:http` request listener so each request runs in its own flow context, with the
 * flow's ID on the response's `X-Correlation-ID` header, set before the listener runs. The
 * listener's `this` is passed through. An Express or Connect app is such a listener.
 *
 * @example
 * import { createServer } from "node:http";
 * import { flowListener } from "penstock/http";
 * createServer(flowListener((req, res) => res.end(currentFlowId()))).listen(8080);
 */
// NoInfer: an Express app's call signature would otherwise make Req express's Request, which a
// node:http server cannot pass. Custom request classes are given explicitly: flowListener<MyReq>(...).
export function flowListener<Req extends IncomingMessage = IncomingMessage, Res extends ServerResponse = ServerResponse>(
  listener: (this: unknown, req: NoInfer<Req>, res: NoInfer<Res>) => unknown,
  options?: FlowHttpOptions,
): (req: Req, res: Res) => void {
  if (typeof listener !== "function") {
    throw new PenstockError("INVALID_ARGUMENT", `flowListener(listener, options): listener must be a function (req, res) => void, not ${describeValue(listener)}.`);
  }
  const resolved = resolveHttpOptions(options, "flowListener(listener, options)");
  return function penstockFlowListener(this: unknown, req: Req, res: Res): void {
    runInFlow(inboundFlow(req.headers, resolved), () => {
      if (!res.headersSent) res.setHeader(resolved.responseHeader, currentFlowId()!);
      // Body and response listeners (data, end, close, finish, error) run in the flow too.
      const resource = requestResource();
      bindEmitterToFlow(req, resource);
      bindEmitterToFlow(res, resource);
      listener.call(this, req, res);
    });
  };
}
