// UFBrowsers customer console: plain JavaScript over the public REST API. The API key lives in
// sessionStorage only and is sent as a bearer token; it never goes into a URL (URLs end up in logs).
"use strict";

const keyStorage = "ufb.apiKey";
const $ = (selector) => document.querySelector(selector);
let apiKey = sessionStorage.getItem(keyStorage);
let events = null;

async function api(path, options = {}) {
  const response = await fetch(path, {
    ...options,
    headers: { "Authorization": "Bearer " + apiKey, "Content-Type": "application/json", ...(options.headers || {}) },
  });
  if (response.status === 401) {
    signOut("The API key was refused.");
    throw new Error("unauthorized");
  }
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    throw new Error(problem.detail || response.statusText);
  }
  return response.status === 204 ? null : response.json();
}

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text ?? "";
  if (className) td.className = className;
  return td;
}

const when = (iso) => iso ? new Date(iso).toLocaleString() : "";

// The session's own page: status, live view, replay, timeline (session.html).
function sessionLink(id) {
  const link = document.createElement("a");
  link.href = "session.html?id=" + encodeURIComponent(id);
  link.appendChild(document.createElement("code")).textContent = id;
  return link;
}

async function loadAccount() {
  const account = await api("/v1/account");
  $("#account-name").textContent = account.name;
  $("#plan").textContent = account.plan.name;
  $("#subscription").textContent = account.status;
  $("#balance").textContent = account.balance;
  $("#concurrency").textContent = account.concurrency.used + " / " + account.concurrency.limit;
}

// Events can arrive out of order: a session once seen ended never comes back as active.
const endedSessions = new Set();

function sessionRow(session) {
  const body = $("#sessions tbody");
  let row = body.querySelector(`tr[data-session-id="${session.id}"]`);
  if (session.status !== "active" || endedSessions.has(session.id)) {
    endedSessions.add(session.id);
    row?.remove();
  } else if (!row) {
    row = body.insertRow(0);
    row.dataset.sessionId = session.id;
    cell(row, "").appendChild(sessionLink(session.id));
    cell(row, session.nodePool);
    cell(row, when(session.createdAt));
    cell(row, when(session.expiresAt));
    const end = document.createElement("button");
    end.className = "danger end-session";
    end.textContent = "End";
    end.onclick = () => endSession(session.id, end);
    cell(row, "").appendChild(end);
  }
  $("#no-sessions").hidden = body.rows.length > 0;
}

async function loadSessions() {
  const page = await api("/v1/sessions?status=active&limit=100");
  $("#sessions tbody").replaceChildren();
  page.data.reverse().forEach(sessionRow);
  $("#no-sessions").hidden = page.data.length > 0;
}

async function endSession(id, button) {
  button.disabled = true;
  try {
    const ended = await api(`/v1/sessions/${encodeURIComponent(id)}/end`, { method: "POST" });
    sessionRow(ended);
    await refreshMoney();
  } catch (error) {
    button.disabled = false;
    alert("Could not end the session: " + error.message);
  }
}

async function loadLedger() {
  const page = await api("/v1/account/ledger?limit=50");
  const body = $("#ledger tbody");
  body.replaceChildren();
  for (const entry of page.data) {
    const row = body.insertRow();
    row.dataset.entryId = entry.id;
    row.dataset.sessionId = entry.sessionId ?? "";
    cell(row, entry.id, "num");
    cell(row, when(entry.at));
    cell(row, entry.kind);
    cell(row, (entry.amount > 0 ? "+" : "") + entry.amount, "num");
    cell(row, entry.balanceAfter, "num");
    if (entry.sessionId) cell(row, "").appendChild(sessionLink(entry.sessionId)); else cell(row, "");
    cell(row, entry.reason);
  }
}

async function loadUsage() {
  const usage = await api("/v1/account/usage?days=30");
  const svg = $("#usage");
  const ns = "http://www.w3.org/2000/svg";
  const max = Math.max(1, ...usage.days.map((d) => d.credits));
  const width = 600 / usage.days.length;
  svg.replaceChildren();
  usage.days.forEach((day, i) => {
    const height = Math.round((Math.max(0, day.credits) / max) * 130);
    const bar = document.createElementNS(ns, "rect");
    bar.setAttribute("x", i * width + 2);
    bar.setAttribute("y", 140 - height);
    bar.setAttribute("width", width - 4);
    bar.setAttribute("height", height);
    bar.dataset.day = day.day;
    bar.appendChild(document.createElementNS(ns, "title")).textContent = `${day.day}: ${day.credits} credits`;
    svg.appendChild(bar);
    if (i % 5 === 0 || i === usage.days.length - 1) {
      const label = document.createElementNS(ns, "text");
      const last = i === usage.days.length - 1;
      label.setAttribute("x", last ? 600 : i * width + 2);
      if (last) label.setAttribute("text-anchor", "end");
      label.setAttribute("y", 155);
      label.textContent = day.day.slice(5);
      svg.appendChild(label);
    }
  });
  $("#usage-total").textContent = usage.total;
}

async function loadKeys() {
  const page = await api("/v1/account/api-keys");
  const body = $("#keys tbody");
  body.replaceChildren();
  for (const key of page.data) {
    const row = body.insertRow();
    row.dataset.keyId = key.id;
    cell(row, key.name);
    cell(row, key.id);
    cell(row, when(key.createdAt));
    cell(row, when(key.revokedAt));
    const actions = cell(row, "");
    if (!key.revokedAt) {
      const revoke = document.createElement("button");
      revoke.className = "danger";
      revoke.textContent = "Revoke";
      revoke.onclick = async () => {
        if (!confirm(`Revoke the key "${key.name}"? Clients using it stop working at once.`)) return;
        await api(`/v1/account/api-keys/${encodeURIComponent(key.id)}`, { method: "DELETE" });
        await loadKeys();
      };
      actions.appendChild(revoke);
    }
  }
}

const refreshMoney = () => Promise.all([loadAccount(), loadLedger(), loadUsage()]);

// Server-sent events read through fetch, because EventSource cannot send an Authorization header.
async function listen() {
  const controller = new AbortController();
  events = controller;
  let delay = 1000;
  while (events === controller) {
    try {
      const response = await fetch("/v1/account/events", {
        headers: { "Authorization": "Bearer " + apiKey, "Accept": "text/event-stream" },
        signal: controller.signal,
      });
      if (!response.ok) throw new Error(response.statusText);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          onEvent(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch (error) {
      if (controller.signal.aborted) return;
    }
    setLive(false);
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 30000);
  }
}

function onEvent(block) {
  let data = "";
  for (const line of block.split("\n")) {
    if (line.startsWith("data:")) data += line.slice(5).trim();
  }
  if (!data) return;
  const event = JSON.parse(data);
  if (event.kind === "ready") {
    setLive(true);
    // Catch up on whatever happened while the stream was down.
    loadSessions();
    refreshMoney();
  } else if (event.session) {
    sessionRow(event.session);
    refreshMoney();
  }
}

function setLive(on) {
  const badge = $("#live");
  badge.hidden = false;
  badge.textContent = on ? "live" : "reconnecting…";
  badge.classList.toggle("on", on);
}

async function showConsole() {
  $("#sign-in").hidden = true;
  $("#console").hidden = false;
  $("#sign-out").hidden = false;
  await Promise.all([loadSessions(), refreshMoney(), loadKeys()]);
  document.dispatchEvent(new Event("ufb:console-shown"));
  listen();
}

function signOut(message) {
  sessionStorage.removeItem(keyStorage);
  apiKey = null;
  events?.abort();
  events = null;
  $("#console").hidden = true;
  $("#sign-out").hidden = true;
  $("#live").hidden = true;
  $("#sign-in").hidden = false;
  const error = $("#sign-in-error");
  error.hidden = !message;
  error.textContent = message || "";
}

$("#sign-in").addEventListener("submit", async (e) => {
  e.preventDefault();
  apiKey = $("#api-key").value.trim();
  $("#api-key").value = "";
  try {
    await api("/v1/account");
    sessionStorage.setItem(keyStorage, apiKey);
    await showConsole();
  } catch (error) {
    if (apiKey) signOut("Could not sign in: " + error.message);
  }
});

$("#sign-out").addEventListener("click", () => signOut());

$("#new-key-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const created = await api("/v1/account/api-keys", { method: "POST", body: JSON.stringify({ name: $("#new-key-name").value }) });
  $("#new-key-name").value = "";
  const notice = $("#new-key");
  notice.hidden = false;
  notice.textContent = "New key (shown only now, copy it): " + created.key;
  await loadKeys();
});

// After every script has registered its handlers (files.js listens for ufb:console-shown).
if (apiKey) window.addEventListener("DOMContentLoaded", () => showConsole().catch(() => {}));
