// Online forms: show and hide fields as the applicant answers. The server
// decides which fields show (the same rules it checks on "Weiter"); without
// JavaScript the step is simply sent and shown again with the new fields.
(function () {
  "use strict";
  const form = document.querySelector("form[data-formflow]");
  if (!form) return;
  // Answers can arrive in any order (a phone network holds one back, the next
  // overtakes it): only the answer to the newest state of the form is applied,
  // an older question still on its way is cancelled.
  let newest = 0;
  let inFlight = null;

  function apply(visible) {
    form.querySelectorAll("[data-path]").forEach((element) => {
      const shown = visible.has(element.dataset.path);
      element.hidden = !shown;
      const marker = element.querySelector(':scope > input[name="__shown"]');
      if (marker) marker.disabled = !shown;
    });
  }

  async function refresh() {
    const asked = ++newest;
    if (inFlight) inFlight.abort();
    const controller = new AbortController();
    inFlight = controller;
    form.setAttribute("aria-busy", "true");
    const data = new FormData(form);
    for (const [name, value] of [...data.entries()]) {
      if (value instanceof File) data.delete(name); // files go only with "Weiter"
    }
    data.set("aktion", "sichtbar");
    let visible = null;
    try {
      const response = await fetch(form.action || window.location.href, {
        method: "POST",
        body: data,
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: controller.signal,
      });
      if (response.ok) visible = new Set((await response.json()).visible);
    } catch (error) {
      // Cancelled by a newer change, or no network: "Weiter" asks the server anyway.
    }
    if (asked !== newest) return;
    inFlight = null;
    if (visible) apply(visible);
    form.removeAttribute("aria-busy");
  }

  form.addEventListener("change", (event) => {
    if (event.target.type !== "file") refresh();
  });
})();
