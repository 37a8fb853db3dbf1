/**
 * The one HTML page both webviews load (the panel and the capture editor): the bundled script and styles from
 * dist/, under a Content Security Policy that allows nothing else — no inline script without the nonce, no remote
 * content, so peer-controlled strings rendered by the webview can never run. The codicon stylesheet carries the id
 * @vscode-elements/elements looks for: its icons (in buttons, inside shadow roots) link that same file.
 */
import { randomBytes } from "node:crypto";
import * as vscode from "vscode";

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, "dist"), vscode.Uri.joinPath(extensionUri, "media")],
  };
}

const escapeAttr = (s: string) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, mode: "panel" | "editor" | "note", lang: string): string {
  const nonce = randomBytes(16).toString("base64");
  const asset = (...p: string[]) => escapeAttr(webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...p)).toString());
  const src = webview.cspSource;
  const csp = ["default-src 'none'", `script-src 'nonce-${nonce}'`, `style-src ${src}`, `font-src ${src}`, `img-src ${src} data:`].join("; ");
  return `<!DOCTYPE html>
<html lang="${escapeAttr(lang)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" id="vscode-codicon-stylesheet" href="${asset("dist", "codicons", "codicon.css")}">
<link rel="stylesheet" href="${asset("dist", "webview.css")}">
<title>TLS Handshake</title>
</head>
<body data-mode="${mode}">
<div id="app"></div>
<script nonce="${nonce}" src="${asset("dist", "webview.js")}"></script>
</body>
</html>`;
}
