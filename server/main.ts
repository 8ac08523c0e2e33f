import { runCli } from './cli.js'

// The process entry point: `npm start` and `npm run cli -- <command>`.
const code = await runCli(
  process.argv.slice(2),
  process.env,
  (text) => process.stdout.write(text),
  (text) => process.stderr.write(text),
)
process.exitCode = code
