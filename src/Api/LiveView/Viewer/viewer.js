// UFBrowsers live view: draws the session's screencast frames and, on an interactive link, sends the mouse, keyboard
// and scrolling back. The link's token is in this page's URL; the server decides what it allows, whatever this script does.
"use strict";

const sessionId = decodeURIComponent(location.pathname.split("/").pop());
const token = new URLSearchParams(location.search).get("token") || "";
const canvas = document.getElementById("screen");
const context = canvas.getContext("2d");
const state = document.getElementById("state");
const tabs = document.getElementById("tabs");
// Read by tests and by a host page that embeds this one.
const live = (window.ufbLive = { frames: 0, lastFrameAt: 0, refused: 0, mode: null, ended: null, frame: null });
let socket = null;
let frameSize = { width: 1, height: 1 };

function connect() {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  socket = new WebSocket(`${scheme}//${location.host}/v1/sessions/${encodeURIComponent(sessionId)}/live?token=${encodeURIComponent(token)}`);
  socket.binaryType = "arraybuffer";
  socket.onopen = () => { state.textContent = "live"; sendSize(); };
  socket.onmessage = (message) => (typeof message.data === "string" ? onControl(JSON.parse(message.data)) : onFrame(message.data));
  socket.onclose = (close) => {
    const why = close.reason || (close.code === 1006 ? "the link was refused or the session is not running" : "closed");
    state.textContent = live.ended ? "session ended" : why.replaceAll("_", " ");
    live.ended = live.ended || why;
  };
}

function onControl(message) {
  if (message.type === "hello") {
    live.mode = message.mode;
    document.body.className = message.mode === "interactive" ? "interactive" : "view-only";
    document.getElementById("mode").textContent = message.mode === "interactive" ? "Interactive" : "View only";
  } else if (message.type === "tabs") {
    tabs.replaceChildren(...message.tabs.map((tab) => {
      const option = new Option(tab.title || tab.url || "(blank)", tab.targetId, false, tab.targetId === message.current);
      return option;
    }));
  } else if (message.type === "refused") {
    live.refused++;
  } else if (message.type === "ended") {
    live.ended = message.reason;
  }
}

async function onFrame(buffer) {
  const view = new DataView(buffer);
  const headerLength = view.getUint32(0);
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 4, headerLength)));
  const image = await createImageBitmap(new Blob([new Uint8Array(buffer, 4 + headerLength)], { type: "image/jpeg" }));
  if (canvas.width !== image.width || canvas.height !== image.height) {
    canvas.width = image.width;
    canvas.height = image.height;
  }
  context.drawImage(image, 0, 0);
  image.close();
  frameSize = { width: header.width, height: header.height };
  live.frames++;
  live.lastFrameAt = Date.now();
  live.frame = header;
  send({ type: "ack" });
}

function send(message) {
  if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

function sendSize() {
  const stage = document.getElementById("stage");
  const ratio = window.devicePixelRatio || 1;
  send({ type: "size", width: Math.round(stage.clientWidth * ratio), height: Math.round(stage.clientHeight * ratio) });
}

// Page coordinates (CSS pixels of the tab's viewport) of a pointer event on the canvas.
function position(event) {
  const box = canvas.getBoundingClientRect();
  return {
    x: ((event.clientX - box.left) / box.width) * frameSize.width,
    y: ((event.clientY - box.top) / box.height) * frameSize.height,
  };
}

const buttonNames = ["left", "middle", "right", "back", "forward"];
const modifiers = (e) => (e.altKey ? 1 : 0) | (e.ctrlKey ? 2 : 0) | (e.metaKey ? 4 : 0) | (e.shiftKey ? 8 : 0);

function mouse(kind, event, extra = {}) {
  const { x, y } = position(event);
  send({
    type: "mouse", event: kind, x, y,
    button: kind === "mouseMoved" || kind === "mouseWheel" ? "none" : (buttonNames[event.button] || "none"),
    buttons: event.buttons, clickCount: kind === "mouseMoved" || kind === "mouseWheel" ? 0 : Math.min(3, event.detail || 1),
    modifiers: modifiers(event), ...extra,
  });
}

let pendingMove = null;
canvas.addEventListener("mousedown", (e) => { canvas.focus(); e.preventDefault(); mouse("mousePressed", e); });
canvas.addEventListener("mouseup", (e) => { e.preventDefault(); mouse("mouseReleased", e); });
canvas.addEventListener("mousemove", (e) => {
  // At most one move per animation frame.
  if (!pendingMove) requestAnimationFrame(() => { mouse("mouseMoved", pendingMove); pendingMove = null; });
  pendingMove = e;
});
canvas.addEventListener("wheel", (e) => { e.preventDefault(); mouse("mouseWheel", e, { deltaX: e.deltaX, deltaY: e.deltaY }); }, { passive: false });
canvas.addEventListener("contextmenu", (e) => e.preventDefault());
canvas.addEventListener("keydown", (e) => {
  e.preventDefault();
  const text = e.key === "Enter" ? "\r" : e.key.length === 1 ? e.key : "";
  send({ type: "key", event: text ? "keyDown" : "rawKeyDown", key: e.key, code: e.code, text, keyCode: e.keyCode, modifiers: modifiers(e) });
});
canvas.addEventListener("keyup", (e) => {
  e.preventDefault();
  send({ type: "key", event: "keyUp", key: e.key, code: e.code, keyCode: e.keyCode, modifiers: modifiers(e) });
});
canvas.addEventListener("paste", (e) => {
  e.preventDefault();
  const text = e.clipboardData.getData("text/plain");
  if (text) send({ type: "text", text });
});
tabs.addEventListener("change", () => send({ type: "tab", targetId: tabs.value }));
window.addEventListener("resize", sendSize);

connect();
