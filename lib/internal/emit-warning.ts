// A process warning where the runtime has process.emitWarning (Node, Bun, Deno), else one
// console.warn line with the same text and code (Cloudflare Workers have no emitWarning).
export function emitWarning(message: string, options: { readonly code: string }): void {
  const process = (globalThis as { process?: { emitWarning?: (message: string, options: { code: string }) => void } }).process;
  if (typeof process?.emitWarning === "function") process.emitWarning(message, { code: options.code });
  else console.warn(`(${options.code}) Warning: ${message}`);
}
