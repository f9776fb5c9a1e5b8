// Starting `vcity-agent` beside a flow's node: the agent and verification flows run one on a
// simulated GPU profile, its log in <dir>/agent.log.
import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { join } from 'node:path';
import { sleep } from './flow.mjs';

/** The agent's settings a flow reads from its environment (the test harness sets them). */
export function agentHostFromEnv() {
  const env = (name) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} must be set`);
    return value;
  };
  const port = env('VCITY_AGENT_PORT');
  return {
    bin: env('VCITY_AGENT_BIN'),
    port,
    dir: env('VCITY_AGENT_DIR'),
    secretFile: env('VCITY_AGENT_SECRET_FILE'),
    profile: env('VCITY_AGENT_PROFILE'),
    url: `http://127.0.0.1:${port}`,
  };
}

/** Starts the agent of `host` and waits until it answers; returns its process. */
export async function startAgent(host) {
  const log = openSync(join(host.dir, 'agent.log'), 'a');
  const agent = spawn(
    host.bin,
    ['--listen', `127.0.0.1:${host.port}`, '--data-dir', host.dir, '--secret-file', host.secretFile,
      '--gpu-profile', host.profile, '--log-format', 'json'],
    { stdio: ['ignore', log, log] },
  );
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${host.url}/healthz`)).ok) return agent;
    } catch {
      // Not listening yet.
    }
    if (agent.exitCode !== null) throw new Error(`the agent exited with ${agent.exitCode}; see ${host.dir}/agent.log`);
    if (Date.now() > deadline) throw new Error('the agent did not start listening in 30 s');
    await sleep(200);
  }
}

/** Kills the agent if it still runs. */
export function stopAgent(agent) {
  if (agent && agent.exitCode === null) agent.kill('SIGKILL');
}
