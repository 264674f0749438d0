/**
 * The one range of seeds: non-negative 31-bit, so a seed prints, passes through a shell and feeds
 * fast-check unchanged (fast-check keeps 32 bits of a seed, so a larger one would wrap and a
 * campaign run could not be reproduced by `run --seed`). The CLI, repro and regression files and
 * campaigns all hold to it.
 */
export const MAX_SEED = 2 ** 31 - 1;
