#!/usr/bin/env node
// The `earshot` command. Plain JavaScript on purpose: it must run on whatever Node the
// shell finds (often an older one than Earshot needs), and then get the CLI, which is
// TypeScript, run by a Node that can strip its types.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.join(here, 'earshot.ts');
// The Node that `npm install` brings (devDependency `node`), as npm scripts and npx use it.
const pinnedNode = path.join(here, '..', 'node_modules', 'node', 'bin', 'node');
const REQUIRED_MAJOR = 24;

const major = Number(process.versions.node.split('.')[0]);
if (major >= REQUIRED_MAJOR && process.features.typescript) {
  await import(pathToFileURL(cli).href);
} else if (existsSync(pinnedNode)) {
  runWithPinnedNode();
} else {
  process.stderr.write(
    `earshot: needs Node.js ${REQUIRED_MAJOR} (this is ${process.version}); run \`npm install\` in ${path.dirname(here)}, then \`npx earshot ${process.argv.slice(2).join(' ')}\`.\n`,
  );
  process.exitCode = 1;
}

function runWithPinnedNode() {
  // Its own process group, so a Ctrl-C in the terminal reaches it once, through the
  // forwarding below, and not twice (a second SIGINT means "stop without waiting").
  const child = spawn(pinnedNode, [cli, ...process.argv.slice(2)], { stdio: 'inherit', detached: true });
  const forwarded = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];
  const forward = (signal) => child.kill(signal);
  for (const signal of forwarded) process.on(signal, forward);
  child.on('error', (error) => {
    process.stderr.write(`earshot: could not run ${pinnedNode}: ${error.message}; try \`npx earshot\`.\n`);
    process.exitCode = 1;
  });
  child.on('exit', (code, signal) => {
    for (const name of forwarded) process.removeListener(name, forward);
    if (signal) process.kill(process.pid, signal);
    else process.exitCode = code ?? 1;
  });
}
