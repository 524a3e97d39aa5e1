// Rollup entries of the runtime part (filled in by that part's work).
export const runtimeConfigs = [];
