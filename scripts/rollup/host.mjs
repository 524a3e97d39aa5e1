// Rollup entries of the host part (filled in by that part's work).
export const hostConfigs = [];
