// flowMiddleware: Express 5 / Connect middleware that runs the rest of the request in a flow.
import type { IncomingMessage, ServerResponse } from "node:http";
import { currentFlowId } from "../context/flow-context";
import { runInFlow } from "../context/run-in-flow";
import { bindEmitterToFlow, requestResource } from "./bind-emitter";
import { inboundFlow } from "./flow-of-request";
import { resolveHttpOptions, type FlowHttpOptions } from "./options";

/** The Connect middleware shape; Express's `RequestHandler` accepts it. */
export type FlowMiddleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * Express 5 / Connect middleware: the rest of the request (later middleware, the route, error
 * handlers) runs in one flow context. An inbound `X-Correlation-ID` or `traceparent` is
 * continued only when valid; the flow's ID is set as `X-Correlation-ID` on the response
 * before anything else runs, so error responses carry it too. Register it first.
 *
 * @example
 * import express from "express";
 * import { flowMiddleware } from "penstock/http";
 * const app = express();
 * app.use(flowMiddleware());
 * app.get("/orders/:id", (req, res) => res.json({ id: currentFlowId() }));
 */
export function flowMiddleware(options?: FlowHttpOptions): FlowMiddleware {
  const resolved = resolveHttpOptions(options, "flowMiddleware(options)");
  return function penstockFlow(req, res, next) {
    runInFlow(inboundFlow(req.headers, resolved), () => {
      // Set on entry: whatever answers later (the route, next(err), a thrown handler) keeps it.
      // (Registered after something that already answered, there is nothing left to mark.)
      if (!res.headersSent) res.setHeader(resolved.responseHeader, currentFlowId()!);
      // Body and response listeners (data, end, close, finish, error) run in the flow too.
      const resource = requestResource();
      bindEmitterToFlow(req, resource);
      bindEmitterToFlow(res, resource);
      next();
    });
  };
}
