// Search in the static copy of twinkg: the words of ?q, each as a prefix, over the names in
// search-index.json (written by `twinkg export --site`). Results are built as DOM nodes
// with textContent: names are data, never HTML.
(function () {
  var script = document.currentScript;
  var prefix = script.dataset.prefix || "";
  var lang = script.dataset.lang || "en";
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function words(text) {
    return fold(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }
  function run() {
    var q = new URLSearchParams(location.search).get("q") || "";
    var out = document.getElementById("static-search");
    var input = document.querySelector("main input[name=q]") || document.querySelector("input[name=q]");
    if (input) input.value = q;
    var wanted = words(q);
    if (!out || !wanted.length) return;
    fetch(script.dataset.index).then(function (r) { return r.json(); }).then(function (index) {
      var groups = {};
      index.entries.forEach(function (entry) {
        var have = [];
        entry.texts.forEach(function (t) { have = have.concat(words(t)); });
        var hit = wanted.every(function (w) { return have.some(function (h) { return h.indexOf(w) === 0; }); });
        if (hit) (groups[entry["class"]] = groups[entry["class"]] || []).push(entry);
      });
      out.textContent = "";
      var heading = document.createElement("h2");
      var total = Object.keys(groups).reduce(function (n, k) { return n + groups[k].length; }, 0);
      heading.textContent = "\u201e" + q + "\u201c: " + total;
      out.appendChild(heading);
      Object.keys(groups).sort().forEach(function (cls) {
        var names = index.classes[cls] || {};
        var h = document.createElement("h3");
        h.textContent = names[lang] || names.en || cls;
        var list = document.createElement("ul");
        groups[cls].forEach(function (entry) {
          var item = document.createElement("li");
          var link = document.createElement("a");
          link.href = prefix + entry.href;  // the live address: no trailing slash
          link.textContent = entry.labels[lang] || entry.labels.en || entry.labels.de || entry.labels[""] || entry.texts[0];
          item.appendChild(link);
          list.appendChild(item);
        });
        out.appendChild(h);
        out.appendChild(list);
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run); else run();
})();
