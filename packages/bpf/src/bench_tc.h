/* `weft-probe --bench-tc N`: the tc program on fixed frames through BPF_PROG_TEST_RUN, ns per run. */
#ifndef WEFT_BENCH_TC_H
#define WEFT_BENCH_TC_H

int run_bench_tc(void);

#endif
