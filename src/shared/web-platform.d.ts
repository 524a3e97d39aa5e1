/**
 * The WHATWG URL API: globals in every browser and in Node, so code both sides
 * run may use them. Nothing else of the DOM or of Node is declared for src/shared:
 * anything more belongs to the side that has it.
 */
declare class URL {
  constructor(url: string, base?: string | URL);
  readonly protocol: string;
  readonly origin: string;
  readonly host: string;
  readonly pathname: string;
  toString(): string;
}

declare class URLSearchParams {
  constructor(init?: string | Record<string, string>);
  get(name: string): string | null;
  toString(): string;
}
