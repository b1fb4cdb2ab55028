// A session in the console: its status and charge, its live view while it runs, its replay once it ended (rrweb's
// player), and a timeline of what happened to it. The API key comes from the console tab's sessionStorage.
"use strict";

const $ = (selector) => document.querySelector(selector);
const apiKey = sessionStorage.getItem("ufb.apiKey");
const sessionId = new URLSearchParams(location.search).get("id") || "";
const when = (iso) => (iso ? new Date(iso).toLocaleString() : "");
let player = null;
let replayStart = 0;

async function api(path, options = {}) {
  const response = await fetch(path, {
    ...options,
    headers: { "Authorization": "Bearer " + apiKey, "Content-Type": "application/json", ...(options.headers || {}) },
  });
  const body = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    const error = new Error((body && body.detail) || response.statusText);
    error.status = response.status;
    error.code = body && body.code;
    throw error;
  }
  return body;
}

function showError(message) {
  const error = $("#error");
  error.hidden = false;
  error.textContent = message;
}

function showSession(session) {
  $("#session-id").textContent = session.id;
  $("#status").textContent = session.status;
  $("#created").textContent = when(session.createdAt);
  $("#ended").textContent = when(session.endedAt);
  $("#reason").textContent = session.endReason || "";
  $("#duration").textContent = Math.round(session.durationMs / 1000) + " s";
  $("#charge").textContent = session.creditsCharged;
  $("#live-card").hidden = session.status !== "active";
}

async function openLive() {
  const link = await api(`/v1/sessions/${encodeURIComponent(sessionId)}/live-links`, {
    method: "POST",
    body: JSON.stringify({ interactive: $("#interactive").checked, expiresInSeconds: 3600 }),
  });
  const frame = $("#live");
  frame.hidden = false;
  frame.src = link.url;
}

// rrweb replays one document stream at a time: a session's tabs are replayed one by one.
function showReplay(recording) {
  const card = $("#replay-card");
  card.hidden = false;
  const pages = recording.pages.filter((p) => p.events.length >= 2);
  const note = [];
  if (recording.status === "recording") note.push("Still recording: this is what was stored so far.");
  if (recording.truncated) note.push("The recording reached its size limit and stopped there.");
  if (!pages.length) note.push("Nothing was recorded.");
  $("#replay-note").textContent = note.join(" ");
  if (!pages.length) return [];
  // The tab with the most events first: usually the one the automation worked in.
  pages.sort((a, b) => b.events.length - a.events.length);
  const select = $("#pages");
  select.replaceChildren(...pages.map((p, i) => new Option(`${pageUrl(p) || p.pageId} (${p.events.length} events)`, i)));
  $("#page-choice").hidden = pages.length < 2;
  select.onchange = () => play(pages[Number(select.value)]);
  play(pages[0]);
  return pages.flatMap((p) => p.events.filter(isNavigation).map((e) => ({ at: e.timestamp, type: "navigated", detail: e.data.payload.url })));
}

const isNavigation = (e) => e.type === 5 && e.data && e.data.tag === "ufb.navigation";
const pageUrl = (page) => (page.events.find((e) => e.type === 4 && e.data && e.data.href) || { data: {} }).data.href;

function play(page) {
  const target = $("#player");
  target.replaceChildren();
  player?.$destroy?.();
  const events = page.events.slice().sort((a, b) => a.timestamp - b.timestamp);
  replayStart = events[0].timestamp;
  const width = Math.min(1024, target.clientWidth || 1024);
  const Player = rrwebPlayer.Player || rrwebPlayer.default || rrwebPlayer;
  player = new Player({ target, props: { events, width, height: Math.round(width * 0.6), autoPlay: false, showController: true } });
}

function showTimeline(items) {
  const body = $("#timeline tbody");
  body.replaceChildren();
  for (const item of items.sort((a, b) => a.at - b.at)) {
    const row = body.insertRow();
    row.dataset.type = item.type;
    row.insertCell().textContent = new Date(item.at).toLocaleTimeString();
    row.insertCell().textContent = item.type;
    row.insertCell().textContent = item.detail || "";
    if (player && item.at >= replayStart) {
      row.className = "seekable";
      row.title = "Show the replay at this moment";
      row.onclick = () => player.goto(item.at - replayStart, false);
    }
  }
}

function sessionEvents(log) {
  return log.data.map((e) => ({
    at: Date.parse(e.at),
    type: e.type,
    detail: e.type === "ended" ? `${e.endReason}, ${e.billableSeconds} s billable, ${e.creditsCharged} credits`
      : e.type === "connected" || e.type === "disconnected" ? `${e.clients} client(s) connected` : "",
  }));
}

async function load() {
  if (!apiKey) {
    location.replace("./");
    return;
  }
  if (!sessionId) {
    showError("No session id in the address.");
    return;
  }
  try {
    const id = encodeURIComponent(sessionId);
    const [session, log] = await Promise.all([api(`/v1/sessions/${id}`), api(`/v1/sessions/${id}/events`)]);
    showSession(session);
    let navigations = [];
    if (session.status !== "active") {
      try {
        navigations = showReplay(await api(`/v1/sessions/${id}/recording`));
      } catch (error) {
        if (error.code !== "recording_not_found") throw error;
      }
    }
    showTimeline([...sessionEvents(log), ...navigations]);
  } catch (error) {
    showError("Could not load the session: " + error.message);
  }
}

$("#open-live").addEventListener("click", () => openLive().catch((error) => showError("Could not open the live view: " + error.message)));
load();
