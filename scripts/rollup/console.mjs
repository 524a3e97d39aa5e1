// Rollup entries of the console part (filled in by that part's work).
export const consoleConfigs = [];
