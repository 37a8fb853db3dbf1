/**
 * The layers below the extension (TLS decoders, inspection, the handshake engine), gathered into one module that
 * esbuild emits as its own bundle, dist/core.js. Nothing in the activation path imports it statically: the
 * extension reaches it through `core()` (lazyCore.ts) the first time a capture, transcript or simulation needs it,
 * so activating the extension compiles only the registration code. No `vscode` import here.
 */
export { detectTranscriptKind, lineOfFrame, parseOpensslMsg, parseTranscript, writeTranscript } from "../capture/transcript";
export { connect } from "../engine/connect";
export { simulate } from "../engine/simulate";
export { inspectBytes } from "../inspect/inspect";
export { alertText, captureDocument, connectionView, emptyDocument, engineDocument, messageNote, toHex } from "../inspect/viewModel";
export { annotateFieldNotes } from "../tls/fieldNotes";
export { ContentType, HandshakeType, NamedGroup, ProtocolVersion, contentTypes, namedGroups, versionName } from "../tls/registry";
