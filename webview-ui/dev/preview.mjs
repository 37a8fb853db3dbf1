// Dev only: renders the webview bundle in headless Chromium with real data and saves screenshots.
//   node webview-ui/dev/preview.mjs [outDir]
// Builds /tmp/wv/webview.{js,css}, makes data from samples/ (capture + simulations) with webview-ui/dev/makeData.ts,
// then screenshots several scenarios in dark, light and high-contrast themes, and times a 1,000-message timeline.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../..");
const out = path.resolve(process.argv[2] ?? "/tmp/wv/shots");
const bundleDir = "/tmp/wv";
mkdirSync(out, { recursive: true });

execFileSync(
  path.join(repo, "node_modules/.bin/esbuild"),
  ["webview-ui/src/main.ts", "--bundle", "--format=iife", "--target=es2022", `--outfile=${bundleDir}/webview.js`],
  { cwd: repo, stdio: "inherit" },
);
const data = JSON.parse(execFileSync("npx", ["tsx", "webview-ui/dev/makeData.ts"], { cwd: repo, maxBuffer: 64 << 20 }).toString());
writeFileSync(`${bundleDir}/data.json`, JSON.stringify(data));
const { syntheticTimelineMessages } = require(path.join(repo, "test/e2e/synthetic.js"));

const { chromium } = require("playwright-core");
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--allow-file-access-from-files"],
});
const results = {};
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  const open = async (theme, mode = "panel") => {
    await page.goto(`file://${here}/preview.html?theme=${theme}&bundle=${bundleDir}`);
    await page.waitForFunction(() => window.__posted.some((m) => m.type === "ready"), null, { timeout: 10000 });
    return mode;
  };
  // postMessage dispatches asynchronously: wait a frame so the webview has handled what was sent.
  const send = async (msgs) => {
    await page.evaluate((ms) => {
      for (const m of ms) window.postMessage(m, "*");
    }, msgs);
    await page.waitForTimeout(50);
  };
  const init = (document, mode = "panel", extra = {}) => ({ type: "init", document, lang: "en", selection: {}, mode, trusted: true, ...extra });
  const shot = async (name) => {
    await page.waitForTimeout(150);
    await page.screenshot({ path: path.join(out, `${name}.png`) });
  };

  for (const theme of ["dark", "light"]) {
    // 1. Empty panel.
    await open(theme);
    await send([init({ kind: "empty", title: "TLS Handshake", connections: [], errors: [], canAttachKeyLog: false })]);
    await shot(`${theme}-empty`);
    // 2. Simulation (TLS 1.3) stepped to ServerHello, then to a secret.
    await open(theme);
    const sim = data.sim13;
    await send([init(sim.document), { type: "connection", connection: sim.connection }]);
    for (let i = 0; i < 10; i++) await page.click('[data-testid="step-next"]');
    await shot(`${theme}-sim13-step10`);
    for (let i = 0; i < 3; i++) await page.click('[data-testid="step-next"]');
    await shot(`${theme}-sim13-step13-secret`);
    // 3. Capture editor: connections table, a message and a field selected.
    await open(theme, "editor");
    const cap = data.capture;
    await send([init(cap.document, "editor"), { type: "connection", connection: cap.connection }]);
    await page.click('[data-testid="timeline-message"][data-index="0"]');
    await page.click('[data-testid="bytes-pane"] .byte[data-o="80"]');
    await page.hover('[data-testid="bytes-pane"] .byte[data-o="120"]');
    await shot(`${theme}-capture-editor`);
    await page.click('[data-testid="timeline-message"][data-index="3"]');
    await page.evaluate(() => (document.querySelector("vscode-tabs").selectedIndex = 1));
    await shot(`${theme}-capture-keys`);
  }
  // 4. HelloRetryRequest + client auth, high contrast; TLS 1.2.
  await open("hc");
  await send([
    init(data.sim13hrr.document),
    { type: "connection", connection: data.sim13hrr.connection },
    { type: "busy", text: "Simulating…" },
    { type: "error", text: "<img src=x onerror=alert(1)> example error" },
  ]);
  await page.click('[data-testid="step-next"] >> nth=0');
  await page.evaluate(() => {
    const s = document.querySelector('[data-testid="step-next"]');
    for (let i = 0; i < 200; i++) s.click();
  });
  await shot("hc-hrr-last");
  await open("dark");
  await send([init(data.sim12.document), { type: "connection", connection: data.sim12.connection }]);
  await page.evaluate(() => {
    const s = document.querySelector('[data-testid="step-next"]');
    for (let i = 0; i < 30; i++) s.click();
  });
  await shot("dark-sim12-step30");
  // 5. 1,000-message synthetic timeline: time from posting to the last row painted, and a click.
  await open("dark");
  await send([init({ kind: "empty", title: "TLS Handshake", connections: [], errors: [], canAttachKeyLog: false })]);
  const msgs = syntheticTimelineMessages(1000);
  results.render1000ms = await page.evaluate(async (ms) => {
    const t0 = performance.now();
    for (const m of ms) window.postMessage(m, "*");
    await new Promise((r) => {
      const check = () => (document.querySelector('[data-testid="timeline-message"][data-index="999"]') ? r() : setTimeout(check, 1));
      check();
    });
    const t1 = performance.now();
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return { dom: Math.round(t1 - t0), painted: Math.round(performance.now() - t0), nodes: document.querySelectorAll("*").length };
  }, msgs);
  const t1 = Date.now();
  await page.click('[data-testid="timeline-message"][data-index="998"]');
  await page.waitForSelector('[data-testid="bytes-pane"] .byte.hl');
  results.select998ms = Date.now() - t1;
  results.hlCount = await page.locator('[data-testid="bytes-pane"] .byte.hl').count();
  await shot("dark-timeline-1000");
  // 6. Keyboard: focus timeline, ArrowDown ×2, Enter.
  await page.focus('[data-testid="timeline"]');
  await page.keyboard.press("Home");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  results.keyboardSelected = await page.evaluate(() => window.__posted.filter((m) => m.type === "selectMessage").slice(-1)[0]);
  results.activedescendant = await page.getAttribute('[data-testid="timeline"]', "aria-activedescendant");
  results.posted = await page.evaluate(() => window.__posted.map((m) => m.type));
  results.state = await page.evaluate(() => window.__state);
  // 7. Behaviour checks: host `select` narrows the highlight, steps change the views, hostile text stays text,
  //    Korean strings, restored state.
  const checks = {};
  await open("dark", "editor");
  const hostile = JSON.parse(JSON.stringify(data.capture));
  hostile.document.connections[0].sni = "<img src=x onerror=alert(1)>";
  hostile.document.connections[0].alpn = "<script>alert(1)</script>";
  hostile.connection.sni = hostile.document.connections[0].sni;
  await send([
    init(hostile.document, "editor"),
    { type: "connection", connection: hostile.connection },
    { type: "select", selection: { connection: 0, message: 0, start: 4, end: 6 } },
  ]);
  checks.selectHl = await page.locator('[data-testid="bytes-pane"] .byte.hl').count();
  checks.treeSelected = await page.evaluate(() => document.querySelector('li[aria-selected="true"] .tn-name')?.textContent);
  checks.fieldInfo = (await page.textContent('[data-testid="field-info"]')).slice(0, 80);
  checks.tableText = await page.textContent('[data-testid="connections-table"]');
  checks.injected = await page.evaluate(
    () => [...document.querySelectorAll("*")].filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name)) || el.tagName === "IMG").length,
  );
  await page.click('[data-testid="bytes-pane"] .byte[data-o="40"]');
  checks.afterByteClick = await page.evaluate(() => window.__posted.filter((m) => m.type === "selectField").slice(-1)[0]);
  await page.click('[data-testid="connection-row"]');
  await page.click(".field-info vscode-button.explain").catch(() => {});
  checks.explain = await page.evaluate(() => window.__posted.filter((m) => m.type === "explain").slice(-1)[0]);
  await open("dark");
  await send([init(data.sim13.document), { type: "connection", connection: data.sim13.connection }]);
  const snap = () =>
    page.evaluate(() =>
      ["timeline", "key-schedule", "field-info", "bytes-pane"].map((id) => document.querySelector(`[data-testid="${id}"]`)?.innerHTML ?? "").join("\u0000"),
    );
  const s0 = await snap();
  await page.click('[data-testid="step-next"]');
  await page.click('[data-testid="step-next"]');
  const s2 = await snap();
  await page.click('[data-testid="step-prev"]');
  const s1 = await snap();
  checks.stepsChange = s0 !== s2 && s1 !== s2;
  checks.stepCount = await page.textContent(".step-count");
  await page.click('vscode-button[data-testid="simulate-run"]', { force: true }).catch(() => {});
  await page.evaluate(() => {
    document.querySelector("details.forms").open = true;
  });
  await page.click('[data-testid="simulate-run"]');
  checks.simulatePosted = await page.evaluate(() => window.__posted.filter((m) => m.type === "simulate").slice(-1)[0]);
  await send([{ type: "lang", lang: "ko" }]);
  checks.koStep = await page.textContent(".step-count");
  await shot("dark-ko");
  // Restore: a saved state (selection, step, form) is applied when its connection arrives.
  const saved = {
    selection: { connection: 0, message: 3, start: 4, end: 8 },
    tab: "message",
    stepIndex: 20,
    simulateForm: { version: "1.2", keyExchange: "DHE", seed: "x" },
  };
  await page.goto(`file://${here}/preview.html?theme=dark&bundle=${bundleDir}&state=${encodeURIComponent(JSON.stringify(saved))}`);
  await page.waitForFunction(() => window.__posted.some((m) => m.type === "ready"), null, { timeout: 10000 });
  await send([init(data.sim13.document), { type: "connection", connection: data.sim13.connection }]);
  checks.restored = await page.evaluate(() => ({
    step: document.querySelector(".step-count")?.textContent,
    hl: document.querySelectorAll(".byte.hl").length,
    version: document.querySelector("#sim-version")?.value,
    kxDisabled: document.querySelector("#sim-kx")?.disabled,
    posted: window.__posted.map((m) => m.type),
  }));
  // Narrow panel (single column layout).
  await page.setViewportSize({ width: 640, height: 900 });
  await open("light", "editor");
  await send([
    init(data.capture.document, "editor"),
    { type: "connection", connection: data.capture.connection },
    { type: "select", selection: { connection: 0, message: 3, start: 10, end: 20 } },
  ]);
  await shot("light-narrow");
  results.checks = checks;
  results.pageErrors = errors;
} finally {
  await browser.close();
}
console.log(JSON.stringify(results, null, 1));
