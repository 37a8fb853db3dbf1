/**
 * The webview's tiny view layer. Every string lands in the DOM through `textContent` or `setAttribute`, never
 * through HTML parsing, so peer-controlled text (SNI, ALPN, certificate subjects) can only ever render as text.
 */

export type Attrs = Record<string, string | number | boolean | null | undefined>;
export type Child = Node | string | number | null | undefined | false;

/** Creates an HTML element; `attrs` become attributes (true → "", false/null/undefined → omitted). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K];
export function h(tag: string, attrs?: Attrs | null, ...children: (Child | Child[])[]): HTMLElement;
export function h(tag: string, attrs?: Attrs | null, ...children: (Child | Child[])[]): HTMLElement {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

const SVG_NS = "http://www.w3.org/2000/svg";

/** Creates an SVG element (createElementNS), same conventions as `h`. */
export function s<K extends keyof SVGElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: (Child | Child[])[]): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

export function setAttrs(el: Element, attrs?: Attrs | null): void {
  if (!attrs) return;
  for (const [k, v] of Object.entries(attrs)) {
    // Event handler attributes would be code: refuse them outright (listeners go through addEventListener).
    if (/^on/i.test(k)) continue;
    if (v === false || v === null || v === undefined) el.removeAttribute(k);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
}

function append(el: Element, children: (Child | Child[])[]): void {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
  }
}

/** Replaces an element's children. */
export function replace(el: Element, ...children: (Child | Child[])[]): void {
  el.replaceChildren();
  append(el, children);
}

export function text(el: Element, value: string): void {
  el.textContent = value;
}

/** A codicon glyph (the host page loads codicon.css). */
export function icon(name: string, label?: string): HTMLElement {
  const el = h("span", { class: `codicon codicon-${name}`, "aria-hidden": label ? null : "true", "aria-label": label ?? null, role: label ? "img" : null });
  return el;
}

export function on<K extends keyof HTMLElementEventMap>(el: EventTarget, type: K, fn: (ev: HTMLElementEventMap[K]) => void): void {
  el.addEventListener(type, fn as EventListener);
}

/** Hex of at most `max` characters with an ellipsis in the middle (the full value goes in a title tooltip). */
export function truncateHex(hex: string, max = 24): string {
  if (hex.length <= max) return hex;
  const half = Math.floor((max - 1) / 2);
  return `${hex.slice(0, half)}…${hex.slice(-half)}`;
}

/**
 * Scrolls only the nearest scrollable ancestor so `el` is visible (like scrollIntoView "nearest", but without
 * moving outer containers: revealing a tree row must not push the bytes pane out of view).
 */
export function revealInScroller(el: Element): void {
  let sc = el.parentElement;
  for (let depth = 0; sc && depth < 32; depth++, sc = sc.parentElement) {
    const oy = getComputedStyle(sc).overflowY;
    if ((oy === "auto" || oy === "scroll") && sc.scrollHeight > sc.clientHeight) break;
  }
  if (!sc) return;
  const r = el.getBoundingClientRect();
  const c = sc.getBoundingClientRect();
  if (r.top < c.top) sc.scrollTop -= c.top - r.top + 4;
  else if (r.bottom > c.bottom) sc.scrollTop += Math.min(r.bottom - c.bottom + 4, r.top - c.top - 4);
}
