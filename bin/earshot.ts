#!/usr/bin/env node
import { ConfigError, loadConfig } from '../config/config.ts';
import { runCli } from '../services/cli/run-cli.ts';

try {
  const config = loadConfig(process.env);
  process.exitCode = await runCli(process.argv.slice(2), config);
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`earshot: configuration error: ${error.message}\nSee .env.example for every setting and its default.\n`);
    process.exitCode = 2;
  } else {
    throw error;
  }
}
