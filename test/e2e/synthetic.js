// A synthetic N-message handshake posted to the panel for the timeline render measurement. The message shape
// follows the panel protocol (src/protocol); returns undefined while that protocol is unknown here.
"use strict";

function syntheticTimelineMessage(n) {
  void n;
  return undefined;
}

module.exports = { syntheticTimelineMessage };
