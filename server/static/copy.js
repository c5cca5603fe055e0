// The copy button of the canonical IRI: shown only where JavaScript runs (without it the
// IRI stays selectable in its read-only field).
document.querySelectorAll("button.copy[data-copy-target]").forEach(function (button) {
  var field = document.getElementById(button.dataset.copyTarget);
  if (!field) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var done = function () { button.textContent = button.dataset.done; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () { field.select(); });
    } else {
      field.select();
      try { document.execCommand("copy"); done(); } catch (e) { /* the IRI stays selected */ }
    }
  });
});
