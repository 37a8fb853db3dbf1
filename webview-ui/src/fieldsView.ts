/**
 * The fields tree of the selected message (WAI-ARIA tree pattern: role tree/treeitem/group, aria-expanded,
 * roving tabindex). Children render when a node is first expanded, so a certificate chain's hundreds of nodes
 * cost nothing until opened. Selecting a node reports its path; `reveal` expands down to a node from outside.
 */
import type { FieldNode } from "../../src/protocol/messages";
import { keyOf } from "./fieldTree";
import { t } from "./i18n";
import { h, replace, revealInScroller } from "./ui";

interface Item {
  li: HTMLLIElement;
  row: HTMLDivElement;
  path: FieldNode[];
  group?: HTMLUListElement;
  expanded: boolean;
}

export interface FieldsCallbacks {
  onSelectPath(path: FieldNode[]): void;
}

export class FieldsView {
  readonly el: HTMLDivElement;
  private readonly list: HTMLUListElement;
  private items = new Map<string, Item>();
  private selectedKey: string | null = null;
  private focusKey: string | null = null;
  private root: FieldNode | undefined;

  constructor(private readonly cb: FieldsCallbacks) {
    this.list = h("ul", { class: "tree", role: "tree", "aria-label": t().fields });
    this.el = h("div", { class: "fields-view", "data-testid": "fields-tree" }, this.list);
    this.list.addEventListener("click", (e) => {
      const li = (e.target as Element).closest("li[role=treeitem]") as HTMLLIElement | null;
      if (!li) return;
      const item = this.items.get(li.dataset.key ?? "");
      if (!item) return;
      if ((e.target as Element).closest(".twistie")) this.toggle(item);
      else this.choose(item);
      e.stopPropagation();
    });
    this.list.addEventListener("keydown", (e) => this.onKey(e));
  }

  setTree(root: FieldNode | undefined): void {
    this.root = root;
    this.items.clear();
    this.selectedKey = null;
    this.focusKey = null;
    replace(this.list);
    if (!root) return;
    const top = this.makeItem([root], 1);
    this.list.appendChild(top.li);
    this.expand(top);
    top.row.tabIndex = 0;
    this.focusKey = "0";
  }

  private makeItem(path: FieldNode[], level: number): Item {
    const n = path[path.length - 1];
    const hasKids = !!n.children?.length;
    const key = keyOf(path);
    const row = h(
      "div",
      { class: "tree-row" },
      h("span", { class: "twistie", "aria-hidden": "true" }, hasKids ? "›" : ""),
      h("span", { class: "tn-name" }, n.name),
      h("span", { class: "tn-display" }, n.display),
      n.error ? h("span", { class: "tn-error" }, ` ⚠ ${n.error}`) : null,
      h("span", { class: "tn-range" }, `${n.start}–${n.end}`),
    );
    row.style.paddingLeft = `${(level - 1) * 14 + 4}px`;
    row.tabIndex = -1;
    const li = h(
      "li",
      {
        role: "treeitem",
        "aria-level": level,
        "aria-selected": "false",
        "aria-expanded": hasKids ? "false" : null,
        "data-key": key,
        "aria-label": `${n.name}: ${n.display}`,
      },
      row,
    );
    const item: Item = { li, row, path, expanded: false };
    this.items.set(key, item);
    return item;
  }

  private expand(item: Item): void {
    const n = item.path[item.path.length - 1];
    if (!n.children?.length || item.expanded) return;
    if (!item.group) {
      const group = h("ul", { role: "group" });
      for (const c of n.children) group.appendChild(this.makeItem([...item.path, c], item.path.length + 1).li);
      item.group = group;
      item.li.appendChild(group);
    }
    item.group.hidden = false;
    item.expanded = true;
    item.li.setAttribute("aria-expanded", "true");
  }

  private collapse(item: Item): void {
    if (!item.expanded || !item.group) return;
    item.group.hidden = true;
    item.expanded = false;
    item.li.setAttribute("aria-expanded", "false");
  }

  private toggle(item: Item): void {
    if (item.expanded) this.collapse(item);
    else this.expand(item);
  }

  private choose(item: Item): void {
    this.markSelected(item);
    this.cb.onSelectPath(item.path);
  }

  private markSelected(item: Item | undefined): void {
    if (this.selectedKey) {
      const old = this.items.get(this.selectedKey);
      old?.li.setAttribute("aria-selected", "false");
      old?.row.classList.remove("selected");
    }
    this.selectedKey = item ? keyOf(item.path) : null;
    if (item) {
      item.li.setAttribute("aria-selected", "true");
      item.row.classList.add("selected");
      this.setFocus(item, false);
    }
  }

  private setFocus(item: Item, focus = true): void {
    if (this.focusKey) {
      const old = this.items.get(this.focusKey);
      if (old) old.row.tabIndex = -1;
    }
    this.focusKey = keyOf(item.path);
    item.row.tabIndex = 0;
    if (focus) item.row.focus();
  }

  /** Selects and reveals the node at `path` (root first) without reporting it back. */
  reveal(path: FieldNode[]): void {
    if (!this.root || !path.length) return;
    let item: Item | undefined;
    for (let i = 1; i <= path.length; i++) {
      item = this.items.get(keyOf(path.slice(0, i)));
      if (!item) break;
      if (i < path.length) this.expand(item);
    }
    if (!item) return;
    this.markSelected(item);
    revealInScroller(item.row);
  }

  /** Visible items in document order (for arrow-key navigation). */
  private visible(): Item[] {
    const out: Item[] = [];
    for (const li of this.list.querySelectorAll<HTMLLIElement>("li[role=treeitem]")) {
      if (li.closest("ul[hidden]")) continue;
      const it = this.items.get(li.dataset.key ?? "");
      if (it) out.push(it);
    }
    return out;
  }

  private onKey(e: KeyboardEvent): void {
    const cur = this.focusKey ? this.items.get(this.focusKey) : undefined;
    if (!cur) return;
    const vis = this.visible();
    const i = vis.indexOf(cur);
    const node = cur.path[cur.path.length - 1];
    switch (e.key) {
      case "ArrowDown":
        if (vis[i + 1]) this.setFocus(vis[i + 1]);
        break;
      case "ArrowUp":
        if (i > 0) this.setFocus(vis[i - 1]);
        break;
      case "Home":
        if (vis[0]) this.setFocus(vis[0]);
        break;
      case "End":
        if (vis.length) this.setFocus(vis[vis.length - 1]);
        break;
      case "ArrowRight":
        if (node.children?.length && !cur.expanded) this.expand(cur);
        else if (cur.expanded && vis[i + 1]) this.setFocus(vis[i + 1]);
        break;
      case "ArrowLeft":
        if (cur.expanded) this.collapse(cur);
        else if (cur.path.length > 1) {
          const parent = this.items.get(keyOf(cur.path.slice(0, -1)));
          if (parent) this.setFocus(parent);
        }
        break;
      case "Enter":
      case " ":
        this.choose(cur);
        break;
      default:
        return;
    }
    e.preventDefault();
  }
}
