import { readFile } from 'node:fs/promises';
import type { Topology } from './topology.js';
import { TopologyError } from './topologyError.js';
import { validateTopology } from './validateTopology.js';

const MAX_TOPOLOGY_BYTES = 4 * 1024 * 1024;

/** Reads and validates a JSON topology file; errors name the file and the field. */
export async function loadTopology(file: string): Promise<Topology> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new TopologyError('', `cannot be read: ${(err as Error).message}`, file);
  }
  if (text.length > MAX_TOPOLOGY_BYTES)
    throw new TopologyError('', `is larger than ${MAX_TOPOLOGY_BYTES} bytes`, file);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new TopologyError('', `is not valid JSON: ${(err as Error).message}`, file);
  }
  return validateTopology(value, file);
}
