// UFBrowsers customer console: saved profiles and a session's downloads. Uses app.js's api(), cell(), when() and $().
"use strict";

const bytes = (n) => n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1048576).toFixed(1)} MB`;

async function loadProfiles() {
  const page = await api("/v1/profiles");
  const body = $("#profiles tbody");
  body.replaceChildren();
  for (const profile of page.data) {
    const row = body.insertRow();
    row.dataset.profileId = profile.id;
    cell(row, profile.name);
    cell(row, "").appendChild(document.createElement("code")).textContent = profile.id;
    cell(row, profile.version, "num");
    cell(row, bytes(profile.sizeBytes), "num");
    cell(row, when(profile.updatedAt));
    cell(row, profile.persistingSessionId ?? "");
    const last = profile.lastSave;
    cell(row, last ? (last.saved ? "saved " : `not saved (${last.code}) `) + when(last.at) : "", last && !last.saved ? "error last-save" : "last-save");
    const remove = document.createElement("button");
    remove.className = "danger delete-profile";
    remove.textContent = "Delete";
    remove.onclick = async () => {
      if (!confirm(`Delete the profile "${profile.name}" and its saved cookies and storage?`)) return;
      try {
        await api(`/v1/profiles/${encodeURIComponent(profile.id)}`, { method: "DELETE" });
      } catch (error) {
        alert("Could not delete the profile: " + error.message);
      }
      await loadProfiles();
    };
    cell(row, "").appendChild(remove);
  }
  $("#no-profiles").hidden = page.data.length > 0;
}

$("#new-profile-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const error = $("#profile-error");
  error.hidden = true;
  try {
    await api("/v1/profiles", { method: "POST", body: JSON.stringify({ name: $("#new-profile-name").value }) });
    $("#new-profile-name").value = "";
  } catch (problem) {
    error.hidden = false;
    error.textContent = problem.message;
  }
  await loadProfiles();
});

// A download is fetched with the API key (a plain link cannot send it) and handed to the browser as a file.
async function saveDownload(sessionId, name) {
  const response = await fetch(`/v1/sessions/${encodeURIComponent(sessionId)}/downloads/${encodeURIComponent(name)}`, {
    headers: { "Authorization": "Bearer " + apiKey },
  });
  if (!response.ok) {
    alert("Could not fetch the file: " + response.statusText);
    return;
  }
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement("a"), { href: url, download: name });
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

$("#downloads-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const sessionId = $("#downloads-session").value.trim();
  const body = $("#downloads tbody");
  const status = $("#downloads-status");
  body.replaceChildren();
  try {
    const listing = await api(`/v1/sessions/${encodeURIComponent(sessionId)}/downloads`);
    for (const file of listing.data) {
      const row = body.insertRow();
      row.dataset.name = file.name;
      const link = document.createElement("a");
      link.href = "#";
      link.textContent = file.name;
      link.onclick = (click) => { click.preventDefault(); saveDownload(sessionId, file.name); };
      cell(row, "").appendChild(link);
      cell(row, bytes(file.sizeBytes), "num");
      cell(row, file.truncated ? `cut off at ${bytes(file.storedBytes)}` : "", file.truncated ? "error" : "");
      cell(row, when(file.completedAt));
    }
    status.textContent = listing.data.length === 0 ? "No downloads."
      : listing.source === "browser" ? "From the running browser."
      : `Kept until ${when(listing.retainedUntil)}.`;
  } catch (error) {
    status.textContent = error.message;
  }
});

document.addEventListener("ufb:console-shown", () => loadProfiles().catch(() => {}));
