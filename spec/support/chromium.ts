// Test support: Debian's Chromium, driven by playwright-core, for the specs that check a page in
// a real browser (spec/report/), started by those specs themselves:
//
//   let browser: Browser;
//   beforeAll(async () => (browser = await launchChromium()), CHROMIUM_SETUP_TIMEOUT);
//   afterAll(() => browser?.close());
//
// /usr/bin/chromium must be there: when it is missing and the tests run as root (a CI
// container), the package chromium is installed with apt-get; otherwise the spec fails saying
// how to install it. PENSTOCK_CHROMIUM=<path> overrides the executable looked for. No browser
// is downloaded (playwright-core ships none), and the browser's own background requests are off.
import { chromium, type Browser } from "playwright-core";
import { ensureAptPackage, runCommand, type AptPackage } from "./apt-package";

/** For the beforeAll that calls launchChromium(): an apt-get install of chromium can take minutes. */
export const CHROMIUM_SETUP_TIMEOUT = 600_000;

export function chromiumPath(): string {
  return process.env.PENSTOCK_CHROMIUM || "/usr/bin/chromium";
}

const CHROMIUM_PACKAGE: AptPackage = {
  name: "chromium",
  get command() {
    return chromiumPath();
  },
  found: async () => (await runCommand(chromiumPath(), ["--version"])).status === 0,
  neededFor: "The report specs check the page in a real browser",
  otherwise: "or set PENSTOCK_CHROMIUM to a Chromium executable",
  timeoutMs: CHROMIUM_SETUP_TIMEOUT,
};

/**
 * Makes sure Chromium runs: installs the package chromium with apt-get when it is missing and
 * this process runs as root, else throws saying how to install it (see ./apt-package.ts).
 */
export function ensureChromium(): Promise<void> {
  return ensureAptPackage(CHROMIUM_PACKAGE);
}

/** Chromium (installed first if need be, see ensureChromium), headless. Close it in afterAll. */
export async function launchChromium(): Promise<Browser> {
  await ensureChromium();
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    // --no-sandbox: containers (and root) have no user namespaces for Chromium's sandbox.
    args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
}
