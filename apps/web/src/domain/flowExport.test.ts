import { describe, expect, it } from 'vitest';
import { fixtures } from '../api/fixtures.js';
import { CSV_HEADER, csvCell, exportFileName, flowsToCsv, flowsToJson } from './flowExport.js';

describe('flow export', () => {
  it('CSV has a header and one line per flow', () => {
    const csv = flowsToCsv(fixtures.flows.flows);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(CSV_HEADER.join(','));
    expect(lines).toHaveLength(1 + fixtures.flows.flows.length);
    expect(lines[2]).toContain('production/api-5c6b7-def34,10.244.1.11,51000,production/db-0');
    expect(lines[2]).toContain('dropped,policy_drop');
  });
  it('quotes separators and defuses spreadsheet formulas in untrusted names', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell(-5)).toBe('-5');
  });
  it('JSON keeps the full records', () => {
    expect(JSON.parse(flowsToJson(fixtures.flows.flows))).toEqual(fixtures.flows.flows);
  });
  it('names files by time', () => {
    expect(exportFileName('csv', new Date('2026-11-27T10:00:00.000Z'))).toBe(
      'weft-flows-2026-11-27T10-00-00-000Z.csv',
    );
  });
});
