/* The main menu on a narrow screen: folded behind the "Meny" button, which opens and closes it.
   Without this script the button stays hidden and the menu open; the stylesheet folds the menu
   only under .menu-js, which this script sets, and only below 40rem (a desktop sees no change). */
(function () {
  "use strict";
  var header = document.querySelector(".site-header");
  var button = header && header.querySelector(".menu-toggle");
  var menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) { return; }
  var narrow = window.matchMedia("(max-width: 40rem)");

  function setOpen(open) {
    header.classList.toggle("menu-open", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }

  header.classList.add("menu-js");
  button.hidden = false;
  setOpen(false);
  button.addEventListener("click", function () {
    // Focus stays on the button (the disclosure pattern): the menu follows it in the Tab order.
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  // Escape closes an open menu and brings focus back to the button.
  header.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && narrow.matches && button.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      button.focus();
    }
  });
}());
