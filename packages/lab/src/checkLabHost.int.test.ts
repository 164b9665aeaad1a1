import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkLabHost, type LabHostCheck } from './checkLabHost.js';

function checkAsNobody(): Promise<LabHostCheck> {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const mod = pathToFileURL(fileURLToPath(new URL('./checkLabHost.ts', import.meta.url))).href;
  const code = `import(${JSON.stringify(mod)}).then((m) => m.checkLabHost()).then((r) => console.log(JSON.stringify(r)))`;
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', tsx, '--conditions=weft-source', '--input-type=module', '-e', code],
      {
        uid: 65534,
        gid: 65534,
        cwd: '/tmp',
        env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin' },
      },
      (err, stdout, stderr) =>
        err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(JSON.parse(stdout) as LabHostCheck),
    );
  });
}

describe('checkLabHost', () => {
  it('finds this (root, Linux, iproute2 + nftables) host able to run the lab', async () => {
    const r = await checkLabHost();
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it('says why not, for a user without root', async () => {
    const r = await checkAsNobody();
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([
      'not running as root (the lab creates network namespaces, links and nft rules)',
    ]);
  });
});
