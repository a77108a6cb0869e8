// Tells an open page that the plan changed since it was made, and offers to reload it.
// Nothing is reloaded by itself: a form being filled in keeps what was typed.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="plan-version"]');
  if (!meta || !window.fetch) {
    return;
  }
  var loaded = meta.getAttribute("content");
  var typed = false;
  // The version whose note was put aside with "Not now": told again only of a newer one.
  var dismissed = null;
  var region = document.createElement("div");
  region.className = "live";
  region.setAttribute("role", "status");
  document.body.appendChild(region);

  document.addEventListener("input", function (event) {
    if (event.target && event.target.form) {
      typed = true;
    }
  });

  function offer(version) {
    if (region.childNodes.length > 0 || version === dismissed) {
      return;
    }
    var text = document.createElement("p");
    text.textContent = typed
      ? "The plan changed since this page was opened. Reloading shows it as it is now, and drops what you typed here."
      : "The plan changed since this page was opened.";
    var reload = document.createElement("a");
    reload.href = window.location.href.split("#")[0];
    reload.className = "button";
    reload.textContent = "Reload";
    var later = document.createElement("button");
    later.type = "button";
    later.className = "later";
    later.textContent = "Not now";
    later.addEventListener("click", function () {
      dismissed = version;
      region.textContent = "";
    });
    text.appendChild(document.createTextNode(" "));
    text.appendChild(reload);
    text.appendChild(later);
    region.appendChild(text);
  }

  function check() {
    if (document.hidden) {
      return;
    }
    fetch("/api/version", { cache: "no-store", credentials: "same-origin" })
      .then(function (reply) {
        return reply.ok ? reply.json() : null;
      })
      .then(function (body) {
        if (body && body.version && body.version !== loaded) {
          offer(body.version);
        }
      })
      .catch(function () {});
  }

  window.setInterval(check, 2000);
  document.addEventListener("visibilitychange", check);
})();
