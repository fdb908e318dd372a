// The DAG through the public API: wrapped functions register, generateDag draws the registry.
import { entrypoint, flow, generateDag, getRegistry, step, validateFlow } from "../../lib";
import { resetPenstock } from "../../lib/testing";
import { FIXTURES } from "./corpus";
import { makeRegistry, PYTHON_EXAMPLE } from "./registry-fixture";

const noop = (): void => undefined;

beforeEach(() => resetPenstock());

test("the Python user_update example, wrapped and drawn from the global registry", () => {
  const receiveRequest = entrypoint("receive_request", noop, { flow: "user_update" });
  const validateInput = step("validate_input", noop, { after: receiveRequest });
  const checkPermissions = step("check_permissions", noop, { after: receiveRequest });
  const loadUser = step("load_user", noop, { after: [validateInput, checkPermissions] });
  const updateUser = step("update_user", noop, { after: loadUser });
  step("send_notification", noop, { after: updateUser });

  expect(generateDag("user_update")).toBe(PYTHON_EXAMPLE);
  expect(validateFlow("user_update")).toEqual([]);
});

test("registered in another order, by name, through flow(): the same bytes", () => {
  const userUpdate = flow("user_update");
  userUpdate.step("send_notification", noop, { after: "update_user" });
  userUpdate.step("update_user", noop, { after: "load_user" });
  userUpdate.step("load_user", noop, { after: ["check_permissions", "validate_input"] });
  userUpdate.step("check_permissions", noop, { after: "receive_request" });
  userUpdate.step("validate_input", noop, { after: "receive_request" });
  userUpdate.entrypoint("receive_request", noop);

  expect(generateDag("user_update")).toBe(PYTHON_EXAMPLE);
});

test("every flow, as drawn from the same registrations made by hand", () => {
  const receive = entrypoint("receive", noop, { flow: "orders" });
  const validate = step("validate", noop, { after: receive });
  step("charge card", noop, { after: [validate, "ghost"] });
  const refunds = flow("refunds");
  const refund = refunds.entrypoint("receive", noop);
  refunds.step("orders", noop, { after: refunds.step("validate", noop, { after: refund }) });

  const byHand = makeRegistry(FIXTURES.twoFlows!);
  for (const format of ["mermaid", "markdown", "dot"] as const) {
    expect(generateDag(undefined, { format })).toBe(generateDag(undefined, { format, registry: byHand }));
  }
  // JSON also says where each step was registered, which a hand-made registry does not know.
  const withoutSources = (text: string) => text.replace(/,\n\s+"source": "spec\/dag\/public-api\.spec\.ts:\d+:\d+"/g, "");
  expect(withoutSources(generateDag(undefined, { format: "json" }))).toBe(generateDag(undefined, { format: "json", registry: byHand }));
  expect(validateFlow("orders").map((p) => [p.code, p.step])).toEqual([
    ["UNKNOWN_STEP", "charge card"],
  ]);
});

test("a registry snapshot is drawn as it was, whatever is registered later", () => {
  entrypoint("ping", noop);
  const snapshot = getRegistry();
  step("pong", noop, { flow: "ping", after: "ping" });
  expect(generateDag("ping", { registry: snapshot })).toBe("graph TD\n    ping\n");
  expect(generateDag("ping")).toBe("graph TD\n    ping --> pong\n");
});

test("nothing registered: the empty diagram, and UNKNOWN_FLOW for any name", () => {
  expect(generateDag()).toBe("graph TD\n");
  expect(() => generateDag("user_update")).toThrow(expect.objectContaining({ code: "UNKNOWN_FLOW" }));
  expect(() => validateFlow("user_update")).toThrow(expect.objectContaining({ code: "UNKNOWN_FLOW" }));
});
