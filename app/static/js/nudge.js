/* The staff deviation form: as soon as a category that describes abuse or the box "Detta kan
   vara ett missförhållande (lex Sarah)" is ticked, say that sending will ask about lex Sarah.
   Only a hint: the server asks before anything is stored (app/intake/services.py,
   LexSarahNudge), with or without this script. */
(function () {
  "use strict";
  var hint = document.getElementById("nudge-hint");
  var form = hint && hint.closest("form");
  if (!form) { return; }
  var abuse = (hint.getAttribute("data-abuse-ids") || "").split(",").filter(Boolean);

  function update() {
    var marked = form.querySelector('input[name="possible_misconduct"]:checked') !== null;
    var chosen = Array.prototype.some.call(form.querySelectorAll('input[name="category_ids"]:checked'),
      function (box) { return abuse.indexOf(box.value) >= 0; });
    hint.hidden = !(marked || chosen);
  }

  form.addEventListener("change", update);
  update();
})();
