/* "My e-card": renew the QR code before it expires (the citizen API gives a new token and its SVG), and count
   the seconds down. Without JavaScript the page offers a "Show a new code" link. Texts come translated from the
   page's data attributes. */
(function () {
  "use strict";

  var box = document.querySelector("[data-token-url]");
  if (!box || !window.fetch) { return; }
  var qr = document.getElementById("ecard-qr");
  var text = document.getElementById("ecard-token");
  var countdown = document.getElementById("ecard-countdown");
  var status = document.getElementById("ecard-status");
  var expiresAt = parseInt(box.getAttribute("data-expires-at"), 10);
  var lifetime = parseInt(box.getAttribute("data-lifetime"), 10);
  var skew = 0; // server time minus this device's time, from the token's issue time
  var renewing = false;

  function now() { return Math.floor(Date.now() / 1000) + skew; }

  function renew() {
    renewing = true;
    fetch(box.getAttribute("data-token-url"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (data) {
        skew = data.issued_at - Math.floor(Date.now() / 1000);
        expiresAt = data.expires_at;
        lifetime = data.lifetime_s;
        qr.innerHTML = data.qr_svg; // our own SVG from our own API (same origin)
        var svg = qr.querySelector("svg");
        if (svg && box.getAttribute("data-qr-title")) { // keep the image's accessible name
          svg.setAttribute("role", "img");
          svg.setAttribute("aria-label", box.getAttribute("data-qr-title"));
        }
        text.textContent = data.token;
        status.textContent = box.getAttribute("data-refreshed");
        renewing = false;
      })
      .catch(function () {
        status.textContent = box.getAttribute("data-failed");
        countdown.textContent = box.getAttribute("data-failed");
        renewing = false;
        expiresAt = now() + 15; // try again a little later
      });
  }

  function tick() {
    var left = expiresAt - now();
    // Renew when a fifth of the lifetime (at least 5 s) is left, so a scan never meets an expired code.
    if (left <= Math.max(5, Math.floor(lifetime / 5)) && !renewing) { renew(); }
    if (left > 0) {
      countdown.textContent = box.getAttribute("data-countdown").replace("{s}", String(left));
    }
  }

  var first = qr.querySelector("svg");
  if (first && first.getAttribute("aria-label")) { box.setAttribute("data-qr-title", first.getAttribute("aria-label")); }
  tick();
  window.setInterval(tick, 1000);
})();
