// Registers the GPUs a running vcity-agent reports as a node, and gives the node's operator key
// to the vcity-node beside it (key type `vcty`), so the node's offchain worker runs the node
// from then on. For development chains: the owner is a dev account and the operator key is
// fresh; on a real chain the operator inserts the key with `vcity-node key insert`.
//
// With the scheduler role asked for too, the scheduler is a node of its own, owned by another
// dev account (`--scheduler-owner`): a scheduler never gives work to its own owner's nodes, so
// a chain whose only scheduler shared the GPUs' owner would match nothing. Its worker runs in
// the same vcity-node and beats without an agent.
//
//   node register-agent-node.mjs [--ws ws://127.0.0.1:9944] [--agent http://127.0.0.1:8790]
//                                [--secret-file path] [--owner //Eve] [--price 1000000]
//                                [--region eu-west] [--roles compute,scheduler]
//                                [--scheduler-owner //Ferdie]
import { readFileSync } from 'node:fs';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { insertOperatorKey, onlineNode, sleep } from './lib/flow.mjs';
import { connect, sr25519Keyring } from './lib/vcity.mjs';

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : fallback;
}

/** The agent's GPUs as the registry takes them: one model, its count, whole GiB per GPU. */
export function gpuSpecOf(status) {
  if (status.gpus.length === 0) throw new Error('the agent reports no GPU');
  const model = status.gpus[0].model;
  const same = status.gpus.filter((g) => g.model === model);
  const mib = Math.min(...same.map((g) => g.memory_total_mib));
  // Drivers report a little less than the nominal size (24,564 MiB for 24 GiB); the node's
  // worker accepts 95% of the registered size.
  return { model, count: same.length, vramPerGpuGib: Math.round(mib / 1024) };
}

async function agentStatus(agent, secret) {
  for (let attempt = 0; ; attempt += 1) {
    try {
      const response = await fetch(`${agent}/v1/status`, { headers: { Authorization: `Bearer ${secret}` } });
      if (response.status === 401) throw new Error('the agent refused the secret');
      if (response.ok) return response.json();
    } catch (e) {
      if (attempt >= 50) throw e;
    }
    await sleep(200);
  }
}

async function main() {
  const ws = option('ws', 'ws://127.0.0.1:9944');
  const agent = option('agent', 'http://127.0.0.1:8790');
  const secretFile = option('secret-file');
  if (!secretFile) throw new Error('--secret-file (the agent\'s secret) is required');
  const roleNames = option('roles', 'compute,scheduler').split(',');
  const roles = { compute: roleNames.includes('compute'), verifier: false, scheduler: roleNames.includes('scheduler') };
  await cryptoWaitReady();
  const status = await agentStatus(agent, readFileSync(secretFile, 'utf8').trim());
  const gpu = gpuSpecOf(status);
  const owner = sr25519Keyring().addFromUri(option('owner', '//Eve'));
  let connection;
  for (let attempt = 0; !connection; attempt += 1) {
    try {
      connection = await connect(ws);
    } catch (e) {
      if (attempt >= 60) throw e;
      await sleep(1_000);
    }
  }
  const { api, provider } = connection;
  try {
    const price = BigInt(option('price', '1000000'));
    const region = option('region', 'eu-west');
    const separateScheduler = roles.compute && roles.scheduler;
    const nodeRoles = separateScheduler ? { ...roles, scheduler: false } : roles;
    const node = await onlineNode(api, owner, gpu, nodeRoles, price, { beat: false, region });
    await insertOperatorKey(provider, node.operator, node.suri);
    console.log(
      `registered node ${node.node}: ${gpu.count} × ${gpu.model} (${gpu.vramPerGpuGib} GiB)${status.simulated ? ', simulated' : ''}; ` +
        `operator ${node.operator.address}; the node's worker beats and runs its tasks from now on`,
    );
    if (separateScheduler) {
      const schedulerOwner = sr25519Keyring().addFromUri(option('scheduler-owner', '//Ferdie'));
      const schedulerRoles = { compute: false, verifier: false, scheduler: true };
      // It rents out no GPUs: the smallest spec the registry takes keeps its stake at the least.
      const smallest = { model: 'none', count: 1, vramPerGpuGib: 1 };
      const scheduler = await onlineNode(api, schedulerOwner, smallest, schedulerRoles, price, { region });
      await insertOperatorKey(provider, scheduler.operator, scheduler.suri);
      console.log(`registered scheduler node ${scheduler.node} of ${schedulerOwner.address}: the worker matches queued tasks from now on`);
    }
  } finally {
    await api.disconnect();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e) => {
    console.error(`register-agent-node: ${e.message}`);
    process.exit(1);
  });
}
