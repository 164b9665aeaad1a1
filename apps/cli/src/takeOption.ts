/** Removes `--name value` or `--name=value` from args and returns the value. */
export function takeOption(args: string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === name) {
      const v = args[i + 1];
      args.splice(i, 2);
      return v;
    }
    if (a.startsWith(`${name}=`)) {
      args.splice(i, 1);
      return a.slice(name.length + 1);
    }
  }
  return undefined;
}

/** Removes a boolean `--name` from args and tells whether it was there. */
export function takeFlag(args: string[], name: string): boolean {
  const i = args.indexOf(name);
  if (i < 0) return false;
  args.splice(i, 1);
  return true;
}
