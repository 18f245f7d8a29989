/* A staff report being written is kept as a draft on the server (app/intake/drafts.py), never in
   the browser's storage (phones are shared): after a pause in typing, and when the page is hidden
   (the phone locks, another app opens), what is typed is posted to the form's data-draft-url.
   Files are not sent. Without this script the "Spara utkast" button does the same. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-draft-url]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var url = form.getAttribute("data-draft-url");
  var timer = null;
  var changed = false;

  function save() {
    if (!changed) { return; }
    changed = false;
    var data = new FormData(form);
    data.delete("attachments");
    // keepalive: the request survives the page being hidden or left.
    fetch(url, { method: "POST", body: data, credentials: "same-origin", keepalive: true })
      .catch(function () { changed = true; });
  }

  form.addEventListener("input", function () {
    changed = true;
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 5000);
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { save(); }
  });
  // Sending the report removes the draft on the server; nothing more to save.
  form.addEventListener("submit", function () { changed = false; window.clearTimeout(timer); });
}());
