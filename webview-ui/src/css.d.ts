// esbuild emits imported CSS next to the bundle (dist/webview.css).
declare module "*.css";
