// withFlow: a fetch-style handler, (Request) => Response, that runs in a flow (Hono, Next.js
// route handlers, Deno-style servers, anything on web standards).
import { describeValue } from "../internal/describe-value";
import { PenstockError } from "../errors";
import { currentFlowId } from "../context/flow-context";
import { runInFlow } from "../context/run-in-flow";
import { inboundFlow } from "./flow-of-request";
import { resolveHttpOptions, type FlowHttpOptions } from "./options";

/** A fetch-style handler; extra arguments (Hono's `env` and execution context, Next.js's route context) are passed through. */
export type FetchHandler<A extends unknown[] = unknown[]> = (request: Request, ...rest: A) => Response | Promise<Response>;

/**
 * Wraps a fetch-style handler: each request runs in its own flow context, and the returned
 * Response carries the flow's ID as `X-Correlation-ID` (a copy of the Response is returned
 * when its headers are immutable, as those of `Response.redirect()` or of a `fetch()` result
 * are). A handler that throws or rejects is rethrown unchanged: the framework builds the error
 * response, without the header (Hono's `app.fetch` catches errors itself, so its 500s do carry it).
 *
 * @example
 * import { withFlow } from "penstock/http";
 * export const GET = withFlow(async (request) => Response.json({ id: currentFlowId() }));
 */
export function withFlow<A extends unknown[]>(handler: FetchHandler<A>, options?: FlowHttpOptions): (request: Request, ...rest: A) => Promise<Response> {
  if (typeof handler !== "function") {
    throw new PenstockError("INVALID_ARGUMENT", `withFlow(handler, options): handler must be a function (request) => Response, not ${describeValue(handler)}.`);
  }
  const resolved = resolveHttpOptions(options, "withFlow(handler, options)");
  return function penstockWithFlow(this: unknown, request: Request, ...rest: A): Promise<Response> {
    return runInFlow(inboundFlow(request?.headers, resolved), async () => {
      const id = currentFlowId()!;
      const response = await handler.call(this, request, ...rest);
      return withHeader(response, resolved.responseHeader, id);
    });
  };
}

function withHeader(response: Response, name: string, value: string): Response {
  if (!(response instanceof Response)) return response;
  try {
    response.headers.set(name, value);
    return response;
  } catch {
    // Immutable headers (a redirect, a fetch() result): the same body and status, in a copy.
    try {
      const copy = new Response(response.body, { status: response.status, statusText: response.statusText, headers: new Headers(response.headers) });
      copy.headers.set(name, value);
      return copy;
    } catch {
      // Response.error() (status 0) cannot be rebuilt; it reaches the client as a network error anyway.
      return response;
    }
  }
}
