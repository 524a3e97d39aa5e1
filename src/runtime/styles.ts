/**
 * The shared styles of the lit surface elements (the card, the chat view):
 * the tokens and base rules of tokens.ts, as lit CSS.
 */
import { unsafeCSS } from 'lit';
import { BASE_CSS } from './tokens.js';

export { LIGHT, DARK, tokenSheet, installTokens } from './tokens.js';

/** Shared by every lit surface element. */
export const baseStyles = unsafeCSS(BASE_CSS);
