/* `weft-probe --layout`: the binary records' sizes and offsets, which src/records.ts checks against. */
#ifndef WEFT_LAYOUT_H
#define WEFT_LAYOUT_H

void layout_print(void);

#endif
