// Online forms: show and hide fields as the applicant answers. The server
// decides which fields show (the same rules it checks on "Weiter"); without
// JavaScript the step is simply sent and shown again with the new fields.
(function () {
  "use strict";
  const form = document.querySelector("form[data-formflow]");
  if (!form) return;

  async function refresh() {
    const data = new FormData(form);
    for (const [name, value] of [...data.entries()]) {
      if (value instanceof File) data.delete(name); // files go only with "Weiter"
    }
    data.set("aktion", "sichtbar");
    const response = await fetch(form.action || window.location.href, {
      method: "POST",
      body: data,
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    if (!response.ok) return;
    const visible = new Set((await response.json()).visible);
    form.querySelectorAll("[data-path]").forEach((element) => {
      const shown = visible.has(element.dataset.path);
      element.hidden = !shown;
      const marker = element.querySelector(':scope > input[name="__shown"]');
      if (marker) marker.disabled = !shown;
    });
  }

  form.addEventListener("change", (event) => {
    if (event.target.type !== "file") refresh();
  });
})();
