// Spoken announcements on the display board (off by default): the browser's own voice, in Vietnamese.
(function () {
  "use strict";
  var button = document.getElementById("speak-toggle");
  if (!button || !("speechSynthesis" in window)) return;
  button.hidden = false;
  var on = false;
  function latest() {
    var row = document.querySelector("[data-announce]");
    return row ? row.getAttribute("data-announce") : null;
  }
  var last = latest();
  button.addEventListener("click", function () {
    on = !on;
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.textContent = button.getAttribute(on ? "data-on" : "data-off");
  });
  document.body.addEventListener("htmx:afterSwap", function () {
    var key = latest();
    if (key === null || key === last) return;
    last = key;
    if (!on) return;
    var row = document.querySelector("[data-announce]");
    var speech = new SpeechSynthesisUtterance(row.getAttribute("data-text"));
    speech.lang = "vi-VN";
    window.speechSynthesis.speak(speech);
  });
})();
