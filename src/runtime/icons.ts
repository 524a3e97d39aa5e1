/** The icons as lit templates (no innerHTML), from the one table of shapes (icon-shapes.ts). */
import { nothing, svg } from 'lit';
import { ICONS, type IconShape } from './icon-shapes.js';

const icon = ({ size, path }: IconShape) =>
  svg`<svg viewBox="0 0 24 24" width=${size} height=${size} aria-hidden="true" focusable="false"><path fill=${path.fill} stroke=${path.stroke ?? nothing} stroke-width=${path.stroke ? 2 : nothing} stroke-linecap=${path.stroke ? 'round' : nothing} d=${path.d}></path></svg>`;

export const closeIcon = icon(ICONS.close);
export const minimizeIcon = icon(ICONS.minimize);
export const sendIcon = icon(ICONS.send);
