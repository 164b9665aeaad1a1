import { describe, expect, it } from 'vitest';
import { Inventory } from './inventory.js';
import { INVENTORY_JSON_SCHEMA } from './inventorySchema.js';

describe('INVENTORY_JSON_SCHEMA', () => {
  it('is the TypeBox Inventory schema, keyword for keyword', () => {
    // JSON drops typebox's non-enumerable bookkeeping ('~kind'), leaving the JSON Schema it stands for.
    expect(INVENTORY_JSON_SCHEMA).toEqual(JSON.parse(JSON.stringify(Inventory)));
  });
});
