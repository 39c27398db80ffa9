/** SVG documents for decode tests. */

/**
 * Levels of `fan` uses each, the last drawn once: fan^levels rectangles from a tiny file, of
 * `leaf` pixels a side (the whole canvas makes each one cost the most to draw).
 */
export function useFanOut(levels: number, fan: number, size = 100, leaf = 1): string {
  let defs = `<rect id="l0" width="${leaf}" height="${leaf}" fill-opacity="0.01"/>`;
  for (let l = 1; l <= levels; l++) defs += `<g id="l${l}">${`<use href="#l${l - 1}"/>`.repeat(fan)}</g>`;
  const root = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}">`;
  return `${root}<defs>${defs}</defs><use href="#l${levels}"/></svg>`;
}
