// The case the order check was made for: an Express handler (the entrypoint) calling its five
// steps in turn, three requests through penstock/http. Call edges would report every declared
// edge unexercised and every call undeclared; by order, the diff is empty.
import express from "express";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { configure, diffDag, entrypoint, flowStats, generateDag, step } from "../../lib";
import { flowMiddleware } from "../../lib/http";
import { assertConformance, recordingBackend, resetPenstock } from "../../lib/testing";

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

beforeEach(() => {
  resetPenstock();
  configure(recordingBackend());
});

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function signupApp(): Promise<string> {
  const validate = step("validate_input", async (body: { email?: string }) => {
    if (!body.email) throw new Error("email missing");
  }, { flow: "signup", after: "handle_signup" });
  const lookUp = step("look_up_user", async () => pause(2), { after: validate });
  const create = step("create_user", async () => ({ id: 7 }), { after: lookUp });
  const welcome = step("send_welcome", async () => pause(1), { after: create });
  const audit = step("audit", async () => undefined, { after: [create, welcome] });
  const handle = entrypoint("handle_signup", async (body: { email?: string }) => {
    await validate(body);
    await lookUp();
    const user = await create();
    await Promise.all([welcome(), pause(1)]);
    await audit();
    return user;
  }, { flow: "signup" });
  const app = express();
  app.use(flowMiddleware());
  app.post("/signup", express.json(), async (req, res) => {
    try {
      res.json(await handle(req.body));
    } catch (error) {
      res.status(400).json({ error: (error as Error).message });
    }
  });
  server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server!.once("listening", resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

test("three requests to a handler that calls its five steps in turn: an empty diff, and statistics per step", async () => {
  const base = await signupApp();
  const post = (body: object): Promise<Response> => fetch(`${base}/signup`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  expect((await post({ email: "a@example.com" })).status).toBe(200);
  expect((await post({ email: "b@example.com" })).status).toBe(200);
  expect((await post({})).status).toBe(400);
  expect(diffDag("signup")).toEqual({ undeclared: [], unexercised: [], outOfOrder: [], unpreceded: [] });
  assertConformance("signup", { exhaustive: true });
  const stats = flowStats("signup");
  expect(stats.flowCalls).toBe(3);
  expect(stats.steps.map(({ step, calls, errors }) => [step, calls, errors])).toEqual([
    ["audit", 2, 0],
    ["create_user", 2, 0],
    ["handle_signup", 3, 1],
    ["look_up_user", 2, 0],
    ["send_welcome", 2, 0],
    ["validate_input", 3, 1],
  ]);
  expect(stats.edges).toEqual([
    { from: "create_user", to: "audit", count: 2 },
    { from: "create_user", to: "send_welcome", count: 2 },
    { from: "handle_signup", to: "validate_input", count: 3 },
    { from: "look_up_user", to: "create_user", count: 2 },
    { from: "send_welcome", to: "audit", count: 2 },
    { from: "validate_input", to: "look_up_user", count: 2 },
  ]);
  const drawing = generateDag("signup", { stats: true, observed: true });
  expect(drawing).toContain("validate_input<br/>3 calls · p95 ");
  expect(drawing).toContain(" -->|3| ");
  expect(drawing).not.toMatch(/undeclared|unexercised|out of order|unpreceded/);
});
