/* Passkeys (WebAuthn): the one part of the Servicekonto that needs JavaScript.
   Buttons stay hidden where the browser cannot do WebAuthn. */
(function () {
  "use strict";

  function toBuffer(value) {
    const base64 = value.replace(/-/g, "+").replace(/_/g, "/");
    const padded = base64 + "===".slice((base64.length + 3) % 4);
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0)).buffer;
  }

  function toBase64url(buffer) {
    let text = "";
    new Uint8Array(buffer).forEach((b) => { text += String.fromCharCode(b); });
    return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function csrfToken() {
    const cookie = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
    return cookie ? decodeURIComponent(cookie.split("=")[1]) : "";
  }

  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body || {}),
    });
    return { ok: response.ok, data: await response.json() };
  }

  function asJSON(credential) {
    const r = credential.response;
    const out = {
      id: credential.id,
      rawId: toBase64url(credential.rawId),
      type: credential.type,
      response: { clientDataJSON: toBase64url(r.clientDataJSON) },
      clientExtensionResults: credential.getClientExtensionResults(),
    };
    if (r.attestationObject) {
      out.response.attestationObject = toBase64url(r.attestationObject);
      out.response.transports = r.getTransports ? r.getTransports() : [];
    }
    if (r.authenticatorData) {
      out.response.authenticatorData = toBase64url(r.authenticatorData);
      out.response.signature = toBase64url(r.signature);
      if (r.userHandle) out.response.userHandle = toBase64url(r.userHandle);
    }
    return out;
  }

  function say(message) {
    const status = document.getElementById("passkey-status");
    if (status) status.textContent = message;
  }

  async function register(button) {
    say("Bitte bestätigen Sie auf Ihrem Gerät.");
    const options = (await post(button.dataset.options)).data;
    options.challenge = toBuffer(options.challenge);
    options.user.id = toBuffer(options.user.id);
    (options.excludeCredentials || []).forEach((c) => { c.id = toBuffer(c.id); });
    try {
      const credential = await navigator.credentials.create({ publicKey: options });
      const name = document.getElementById("passkey-name").value;
      const result = await post(button.dataset.register, { credential: asJSON(credential), name: name });
      if (result.ok) { window.location.reload(); } else { say(result.data.error); }
    } catch (error) {
      say("Der Passkey wurde nicht angelegt (abgebrochen oder nicht möglich).");
    }
  }

  async function login(button) {
    say("Bitte bestätigen Sie auf Ihrem Gerät.");
    const options = (await post(button.dataset.options)).data;
    options.challenge = toBuffer(options.challenge);
    (options.allowCredentials || []).forEach((c) => { c.id = toBuffer(c.id); });
    try {
      const credential = await navigator.credentials.get({ publicKey: options });
      const result = await post(button.dataset.verify, asJSON(credential));
      if (result.ok) { window.location.assign(result.data.next); } else { say(result.data.error); }
    } catch (error) {
      say("Die Anmeldung mit dem Passkey wurde abgebrochen.");
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.PublicKeyCredential) return;
    document.querySelectorAll("[data-passkey-register]").forEach((button) => {
      button.hidden = false;
      button.addEventListener("click", () => register(button));
    });
    document.querySelectorAll("[data-passkey-login]").forEach((button) => {
      button.hidden = false;
      button.addEventListener("click", () => login(button));
    });
  });
})();
